"""Acceptance: after faults behind dockermap's back, a failure halfway or an engine restart, the next
``update`` converges; bad calls are refused before anything changes.

Converged means: ``plan('update', ...)`` has nothing to do, every container of the map runs, and the
attached volumes still hold what was written into them before the fault.
"""

from __future__ import annotations

import dataclasses
import socket
from dataclasses import dataclass
from typing import Dict, Tuple

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import ActionRunnerException
from dockermap.map.input import ItemType
from tests.helpers import exec_in, fetch, free_port
from tests.integration.map.conftest import Site, build_standin

#: Runs until SIGTERM, then exits at once.
SLEEPER = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
#: A file in each attached volume of the getting-started map: (container, path) -> content.
MARKS = {
    ("uwsgi", "/var/lib/app/log/mark"): "app log kept",
    ("uwsgi", "/var/lib/uwsgi/socket/mark"): "socket volume kept",
    ("nginx", "/var/log/nginx/mark"): "nginx log kept",
}


@dataclass
class QuietSite(Site):
    """The getting-started site with nginx's port 80 published on ``port`` of 127.0.0.1 only."""

    port: int = 0


def loopback_client(container_map: ContainerMap, base_url: str) -> MappingDockerClient:
    """A client for ``base_url`` whose interface ``lo`` is 127.0.0.1."""
    config = ClientConfiguration(base_url=base_url, interfaces={"lo": "127.0.0.1"})
    return MappingDockerClient(container_map, config)


def quiet_site(site: Site, base_url: str, **containers) -> QuietSite:
    """``site``'s map without fixed host ports (80 -> a free port on 127.0.0.1), on ``base_url``.

    ``containers`` replace properties of container configurations, e.g. ``uwsgi={'persistent': True}``.
    """
    port = free_port()
    nginx = {"exposes": {80: (port, "lo")}, **containers.pop("nginx", {})}
    container_map = ContainerMap(site.map.name, site.map, nginx=nginx, **containers)
    client = loopback_client(container_map, base_url)
    return QuietSite(container_map, client, site.root, site.repository, ports={80: port}, port=port)


@pytest.fixture
def quiet(site, engine) -> QuietSite:
    return quiet_site(site, engine.base_url)


def write_marks(api, site: Site, marks: Dict[Tuple[str, str], str]) -> None:
    for (config, path), content in marks.items():
        exec_in(api, site.name(config), f"echo '{content}' > {path}")


def container_states(api, site: Site) -> Dict[str, str]:
    """``{config name: state}`` of the map's containers on the engine."""
    found = api.containers(all=True, filters={"name": f"^/{site.map.name}\\."})
    return {c["Names"][0].lstrip("/")[len(site.map.name) + 1 :]: c["State"] for c in found}


def assert_converged(api, site: Site, marks: Dict[Tuple[str, str], str] = MARKS) -> None:
    """Nothing left to update, both containers run, and the volumes hold ``marks``."""
    assert str(site.client.plan("update", "nginx")) == "nothing to do"
    assert container_states(api, site) == {"nginx": "running", "uwsgi": "running"}
    for (config, path), content in marks.items():
        assert exec_in(api, site.name(config), f"cat {path}") == content
    assert exec_in(api, site.name("nginx"), "cat /var/lib/uwsgi/socket/uwsgi.sock") == "up"


def container_actions(results) -> list:
    return [
        (r.config_id.config_name, r.action_type)
        for r in results
        if r.config_id.config_type is ItemType.CONTAINER
    ]


@pytest.fixture
def running(quiet, engine) -> QuietSite:
    """The quiet site started, with a mark written into each attached volume."""
    quiet.client.startup("nginx")
    write_marks(engine.api, quiet, MARKS)
    return quiet


# --- containers changed behind dockermap's back --------------------------------------------------------


def test_removed_container_is_created_again(running, engine):
    engine.api.remove_container(running.name("uwsgi"), force=True)

    results = running.client.update("nginx")

    assert container_actions(results) == [("uwsgi", "create"), ("uwsgi", "start")]
    assert_converged(engine.api, running)


def test_stopped_container_is_started_again(running, engine):
    uwsgi_id = engine.api.inspect_container(running.name("uwsgi"))["Id"]
    engine.api.stop(running.name("uwsgi"), timeout=5)

    plan = running.client.plan("update", "nginx")
    assert str(plan) == f"start container {running.name('uwsgi')}: container exited with code 0"
    running.client.update("nginx")

    assert engine.api.inspect_container(running.name("uwsgi"))["Id"] == uwsgi_id
    assert_converged(engine.api, running)


def test_killed_container_is_started_again(running, engine):
    engine.api.kill(running.name("nginx"), signal="SIGKILL")
    engine.api.wait(running.name("nginx"), timeout=30)

    results = running.client.update("nginx")

    assert container_actions(results) == [("nginx", "start")]
    assert_converged(engine.api, running)
    assert fetch(f"http://127.0.0.1:{running.port}/index.html") == "served by the nginx stand-in\n"


# --- volumes and networks removed behind dockermap's back ----------------------------------------------


def test_removed_volume_is_created_and_prepared_again(running, engine):
    api = engine.api
    volume = f"{running.map.name}.uwsgi_socket"
    for config in ("nginx", "uwsgi"):  # the engine removes no volume that a container still uses
        api.remove_container(running.name(config), force=True)
    api.remove_volume(volume)

    results = running.client.update("nginx")

    volume_actions = [
        (r.config_id.instance_name, r.action_type)
        for r in results
        if r.config_id.config_type is ItemType.VOLUME
    ]
    assert volume_actions == [("uwsgi_socket", "create"), ("uwsgi_socket", "prepare")]
    assert api.inspect_volume(volume)["Name"] == volume
    assert exec_in(api, running.name("uwsgi"), "stat -c '%u %a' /var/lib/uwsgi/socket") == "2000 750"
    kept = {key: value for key, value in MARKS.items() if "socket" not in key[1]}
    assert_converged(api, running, kept)
    assert exec_in(api, running.name("uwsgi"), "ls /var/lib/uwsgi/socket") == "uwsgi.sock"


@pytest.fixture
def linked(engine, base_image, cleanup) -> Tuple[MappingDockerClient, ContainerMap]:
    """A map of two containers on one network, each with an alias, started."""
    sleeper = {"image": base_image, "create_options": {"command": SLEEPER}}
    container_map = ContainerMap(
        cleanup.name("net"),
        {
            "server": {"networks": {"net": {"aliases": ["backend"]}}, **sleeper},
            "client": {"networks": {"net": {"aliases": ["frontend"]}}, **sleeper},
            "networks": {"net": {}},
        },
    )
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url))
    client.startup(["server", "client"])
    return client, container_map


def assert_network_converged(api, client: MappingDockerClient, container_map: ContainerMap) -> None:
    """Nothing left to update, both containers run on the network and reach each other by alias."""
    assert str(client.plan("update", ["server", "client"])) == "nothing to do"
    net = f"{container_map.name}.net"
    for config, alias, other in (("server", "backend", "frontend"), ("client", "frontend", "backend")):
        name = f"{container_map.name}.{config}"
        detail = api.inspect_container(name)
        assert detail["State"]["Running"] is True
        assert alias in detail["NetworkSettings"]["Networks"][net]["Aliases"]
        assert exec_in(api, name, f"ping -c1 -W5 {other} >/dev/null && echo reached") == "reached"


def test_removed_network_is_created_and_running_containers_connected_again(linked, engine):
    client, container_map = linked
    api, net = engine.api, f"{container_map.name}.net"
    for config in ("server", "client"):
        api.disconnect_container_from_network(f"{container_map.name}.{config}", net, force=True)
    api.remove_network(net)

    plan = client.plan("update", ["server", "client"])

    assert [(a.kind, a.name, a.cause) for a in plan[:1]] == [("create", net, "network does not exist")]
    assert sorted((a.kind, a.name, a.cause) for a in plan[1:]) == [
        ("connect", f"{container_map.name}.client", f"not connected to network {net}"),
        ("connect", f"{container_map.name}.server", f"not connected to network {net}"),
    ]
    client.update(["server", "client"])
    assert_network_converged(api, client, container_map)


def test_removed_network_of_stopped_containers_is_created_and_they_are_reconnected(linked, engine):
    client, container_map = linked
    api, net = engine.api, f"{container_map.name}.net"
    for config in ("client", "server"):
        api.stop(f"{container_map.name}.{config}", timeout=5)
    api.remove_network(net)  # stopped containers keep their endpoint on the removed network

    plan = client.plan("update", ["server", "client"])
    client.update(["server", "client"])

    server = f"{container_map.name}.server"
    assert [(a.kind, a.cause) for a in plan if a.name == server] == [
        ("disconnect", f"network {net} was removed since it connected"),
        ("connect", f"network {net} was removed since it connected"),
        ("start", "container exited with code 0"),
    ]

    assert_network_converged(api, client, container_map)


# --- the engine restarted between two runs -------------------------------------------------------------


def test_engine_restart_between_two_runs(site, private_engine):
    api = private_engine.api
    for name in ("nginx", "uwsgi"):
        build_standin(api, site.repository, name)
    first = quiet_site(site, private_engine.base_url)
    first.client.startup("nginx")
    write_marks(api, first, MARKS)

    private_engine.restart()
    api = private_engine.api
    assert container_states(api, first) == {"nginx": "exited", "uwsgi": "exited"}
    second = dataclasses.replace(first, client=loopback_client(first.map, private_engine.base_url))

    results = second.client.update("nginx")

    assert container_actions(results) == [("uwsgi", "start"), ("nginx", "start")]
    assert_converged(api, second)


# --- a failure halfway ---------------------------------------------------------------------------------


def test_port_taken_fails_halfway_with_partial_results_then_update_converges(quiet, engine):
    api = engine.api
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", quiet.port))
        blocker.listen(1)
        with pytest.raises(ActionRunnerException) as raised:
            quiet.client.startup("nginx")

    failure = raised.value
    assert (failure.client_name, failure.config_id.config_name, failure.action_type) == (
        "__default__",
        "nginx",
        "start",
    )
    assert str(quiet.port) in str(failure)
    assert f"The container {quiet.name('nginx')} was created but not started" in str(failure)
    assert container_actions(failure.results) == [
        ("uwsgi", "create"),
        ("uwsgi", "start"),
        ("nginx", "create"),
    ]
    volumes = {
        r.config_id.instance_name for r in failure.results if r.config_id.config_type is ItemType.VOLUME
    }
    assert volumes == {"app_log", "uwsgi_socket", "nginx_log"}
    assert container_states(api, quiet) == {"nginx": "created", "uwsgi": "running"}

    results = quiet.client.update("nginx")

    assert container_actions(results) == [("nginx", "start")]
    write_marks(api, quiet, MARKS)
    assert_converged(api, quiet)
    assert fetch(f"http://127.0.0.1:{quiet.port}/index.html") == "served by the nginx stand-in\n"


# --- bad calls -----------------------------------------------------------------------------------------


def engine_objects(api, prefix: str) -> dict:
    """Names of the containers, volumes and networks on the engine that start with ``prefix``."""
    return {
        "containers": sorted(
            n for c in api.containers(all=True) for n in c["Names"] if n.lstrip("/").startswith(prefix)
        ),
        "volumes": sorted(v["Name"] for v in api.volumes()["Volumes"] or () if v["Name"].startswith(prefix)),
        "networks": sorted(n["Name"] for n in api.networks() if n["Name"].startswith(prefix)),
    }


def test_bad_calls_are_refused_before_anything_changes(quiet, engine, cleanup):
    api = engine.api
    quiet.client.startup("uwsgi")
    before = engine_objects(api, cleanup.prefix)

    with pytest.raises(ValueError) as unknown_container:
        quiet.client.startup(["nginx", "nginks"])
    with pytest.raises(ValueError) as unknown_map:
        quiet.client.update("nginx", map_name="elsewhere")
    elsewhere = ContainerMap(cleanup.name("far"), quiet.map, clients=["far_away"])
    with pytest.raises(ValueError) as unknown_client:
        loopback_client([quiet.map, elsewhere], engine.base_url).startup("nginx", map_name=elsewhere.name)

    assert "nginks" in str(unknown_container.value) and "nginx, uwsgi" in str(unknown_container.value)
    assert "elsewhere" in str(unknown_map.value) and quiet.map.name in str(unknown_map.value)
    assert "far_away" in str(unknown_client.value) and "__default__" in str(unknown_client.value)
    assert engine_objects(api, cleanup.prefix) == before
    assert container_states(api, quiet) == {"uwsgi": "running"}
