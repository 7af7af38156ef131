"""The integrity check on values the engine would refuse later: delays, timeouts, durations, ports, and
the settings of client configurations."""

from __future__ import annotations

import math
from typing import Any, List

import pytest

from dockermap.map.client import MappingDockerClient
from dockermap.map.config.client import ClientConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.exceptions import MapIntegrityError


def problems_of(config: Any) -> List[str]:
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap("main", {"web": config})
    return [str(problem) for problem in info.value.problems]


@pytest.mark.parametrize("value", [-1, math.inf, -math.inf, math.nan, 1.5, True, "10"])
def test_stop_timeout_is_a_whole_non_negative_number(value):
    (problem,) = problems_of({"stop_timeout": value})
    assert problem.startswith("main.web.stop_timeout: Invalid stop_timeout")
    assert "expected a whole number of seconds (0 or more), or a lazy value" in problem


def test_whole_float_stop_timeout_becomes_an_int():
    config = ContainerMap("main", {"web": {"stop_timeout": 10.0}}).get_existing("web")
    assert config.stop_timeout == 10 and isinstance(config.stop_timeout, int)


@pytest.mark.parametrize("value", [-0.5, math.inf, math.nan])
def test_start_delay_is_finite_and_non_negative(value):
    (problem,) = problems_of({"start_delay": value})
    assert problem.startswith("main.web.start_delay: Invalid start_delay")
    assert ContainerMap("main", {"web": {"start_delay": 0.5}}).get_existing("web").start_delay == 0.5


@pytest.mark.parametrize("key", ["interval", "timeout", "start_period"])
def test_health_check_durations_below_a_millisecond(key):
    (problem,) = problems_of({"healthcheck": {"test": "true", key: "500us"}})
    assert problem.startswith("main.web.healthcheck: Invalid health check")
    assert "the engine accepts 0 (its default) or at least 1 ms" in problem
    ContainerMap("main", {"web": {"healthcheck": {"test": "true", key: "1ms"}}})


@pytest.mark.parametrize("exposed", [0, 65536, "70000/tcp", "80-70000", "http", -1])
def test_exposed_ports_out_of_range(exposed):
    (problem,) = problems_of({"exposes": [exposed]})
    assert problem.startswith("main.web.exposes")
    assert "a port (1-65535)" in problem


def test_host_ports_out_of_range():
    (problem,) = problems_of({"exposes": [(80, 65536)]})
    assert "a port (0-65535)" in problem
    ContainerMap("main", {"web": {"exposes": [(80, 0), ("53/udp", "5353"), ("8000-8010", "9000-9010")]}})


def client_problems(config: ClientConfiguration) -> List[str]:
    client = MappingDockerClient(ContainerMap("main", {"web": {}}), config)
    with pytest.raises(MapIntegrityError) as info:
        client.plan("startup", "web")
    return [str(problem) for problem in info.value.problems]


def test_unknown_client_settings_are_refused():
    config = ClientConfiguration(base_url="unix:///nonexistent.sock", stop_timout=5, colour="blue")
    assert client_problems(config) == [
        "clients.__default__.stop_timout: unknown client setting; did you mean 'stop_timeout'?",
        "clients.__default__.colour: unknown client setting; known settings: base_url, version, timeout, "
        "tls, domainname, stop_timeout, wait_timeout, core_image",
    ]


def test_client_timeouts_are_finite_and_non_negative():
    config = ClientConfiguration(
        base_url="unix:///nonexistent.sock", timeout=-1, stop_timeout=math.inf, wait_timeout=math.nan
    )
    problems = client_problems(config)
    assert [problem.split(":")[0] for problem in problems] == [
        "clients.__default__.timeout",
        "clients.__default__.stop_timeout",
        "clients.__default__.wait_timeout",
    ]


def test_a_subclass_declares_further_settings():
    class SshConfiguration(ClientConfiguration):
        init_kwargs = ClientConfiguration.init_kwargs + ("ssh_key",)
        settings = ClientConfiguration.settings + ("deploy_user",)

    config = SshConfiguration(base_url="unix:///x.sock", ssh_key="id_rsa", deploy_user="app")
    assert config.problems("clients.host") == []
    assert [str(problem) for problem in ClientConfiguration(ssh_key="id_rsa").problems("clients.host")] == [
        "clients.host.ssh_key: unknown client setting; known settings: base_url, version, timeout, tls, "
        "domainname, stop_timeout, wait_timeout, core_image"
    ]
