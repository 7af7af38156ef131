"""Lazy values and registered types in the input conversions: accepted where allowed, never evaluated."""

from __future__ import annotations

import pytest

from dockermap.functional import expand_type_name, lazy, register_type, type_registry
from dockermap.map.input import (
    AttachedVolumeList,
    ContainerLinkList,
    ExecCommand,
    ExecCommandList,
    HealthCheck,
    HostVolume,
    NetworkEndpoint,
    NetworkEndpointList,
    PortBinding,
    PortBindingList,
    SharedHostVolumesList,
    UsedVolume,
    UsedVolumeList,
    get_healthcheck,
    get_list,
    get_network_mode,
)


class Token:
    """A type registered for late resolution in these tests."""

    def __init__(self, value):
        self.value = value


@pytest.fixture
def token():
    register_type(Token, lambda item: item.value)
    yield Token("resolved")
    type_registry.pop(expand_type_name(Token))


@pytest.fixture
def calls():
    return []


@pytest.fixture
def late(calls):
    """A lazy value that records every evaluation in ``calls``."""

    def evaluate():
        calls.append(1)
        return "value"

    return lazy(evaluate)


def test_get_list(late, token, calls):
    assert get_list(late) == [late]
    assert get_list(token)[0] is token
    assert calls == []


def test_registered_value_kept_as_whole_list_value(token):
    for list_type in (
        SharedHostVolumesList,
        UsedVolumeList,
        AttachedVolumeList,
        ContainerLinkList,
        PortBindingList,
    ):
        result = list_type(token)
        assert len(result) == 1
        assert result[0] is token


def test_exec_commands(late, calls):
    assert ExecCommandList(late) == [(late, None, ExecCommand("x").policy)]
    assert ExecCommandList([late, ("ls", late)])[1].user is late
    assert ExecCommand([late, "-l"]).cmd[0] is late
    assert calls == []


def test_port_bindings(late, token, calls):
    assert PortBindingList([(80, late)])[0].host_port is late
    assert PortBindingList([(80, token)])[0].host_port is token
    binding = PortBinding(80, late, late, late)
    assert binding.interface is late
    assert binding.ipv6 is late
    assert calls == []


def test_volume_paths(late, calls):
    assert SharedHostVolumesList([("/c", late)])[0].host_path is late
    assert HostVolume("/c", {"default": late}).host_path["default"] is late
    assert UsedVolumeList([("v", late)])[0] == UsedVolume("v", late)
    assert AttachedVolumeList([("v", late)])[0].path is late
    assert calls == []


def test_network_endpoints(late, token, calls):
    assert NetworkEndpointList(late)[0].network_name is late
    assert NetworkEndpointList([{"n": late}])[0].aliases == [late]
    assert NetworkEndpoint("n", token).aliases[0] is token
    assert NetworkEndpoint("n", None, None, late, late, late).link_local_ips == [late]
    assert calls == []


def test_healthcheck(late, calls):
    check = get_healthcheck(late)
    assert check.test is late
    assert HealthCheck("x", late).interval is late
    assert calls == []


@pytest.mark.parametrize(
    "convert",
    [
        lambda value: SharedHostVolumesList([value]),
        lambda value: ContainerLinkList([value]),
        get_network_mode,
    ],
)
def test_lazy_rejected_where_not_supported(convert, late, calls):
    with pytest.raises(ValueError, match=r"SimpleLazyObject"):
        convert(late)
    assert calls == []
