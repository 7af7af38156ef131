"""Acceptance: a map on two hosts whose second engine is stopped before a call, or during one.

Host ``one`` is the main engine, host ``two`` a private engine in its own network namespace that the
tests stop and start again. Without ``skip_unreachable`` nothing changes on either host and the error
names the unreachable client and its socket; with it, ``one`` converges and ``two`` is listed. An engine
stopped in the middle of a run fails the action at hand, which names the client and the item.
"""

from __future__ import annotations

import logging
import socket
import threading

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import ActionRunnerException, UnreachableClientsError
from dockermap.map.input import ItemType
from tests.helpers import engine_answers, free_port, remove_test_objects

SLEEPER = "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""


@pytest.fixture
def hosts(engine, private_engine, base_image, cleanup):
    """The two engines by client name; ``two`` runs again and this test's objects are gone afterwards."""
    yield {"one": engine, "two": private_engine}
    if not engine_answers(private_engine.base_url):
        private_engine.restart()
    remove_test_objects(private_engine.api, cleanup)


def two_host_map(name: str) -> ContainerMap:
    """``web`` uses the attached volume of ``app`` and links to it, on clients ``one`` and ``two``."""
    return ContainerMap(
        name,
        {
            "clients": ["one", "two"],
            "app": {"image": "/busybox", "attaches": "data", "create_options": {"command": SLEEPER}},
            "web": {
                "image": "/busybox",
                "uses": "data",
                "links": "app",
                "create_options": {"command": SLEEPER},
            },
            "volumes": {"data": "/data"},
        },
    )


@pytest.fixture
def deployment(hosts, cleanup):
    container_map = two_host_map(cleanup.name("un"))
    clients = {name: ClientConfiguration(base_url=eng.base_url) for name, eng in hosts.items()}
    return container_map, MappingDockerClient(container_map, clients=clients)


def states(api, map_name: str) -> dict:
    """``{container name: state}`` of the map's containers on one engine."""
    found = api.containers(all=True, filters={"name": f"^/{map_name}\\."})
    return {c["Names"][0].lstrip("/"): c["State"] for c in found}


def running(map_name: str) -> dict:
    return {f"{map_name}.app": "running", f"{map_name}.web": "running"}


def socket_path(base_url: str) -> str:
    return base_url[len("unix://") :]


def test_stopped_engine_changes_nothing_anywhere_and_is_named(hosts, deployment):
    container_map, client = deployment
    hosts["two"].halt()
    for call in (lambda: client.startup("web"), lambda: client.plan("startup", "web")):
        with pytest.raises(UnreachableClientsError) as raised:
            call()
        [unreachable] = raised.value.unreachable
        assert unreachable.client_name == "two"
        assert unreachable.address == hosts["two"].base_url
        assert unreachable.reason.startswith("socket missing")
        message = str(raised.value)
        assert "client two" in message and socket_path(hosts["two"].base_url) in message
        assert "Nothing was changed" in message
    assert states(hosts["one"].api, container_map.name) == {}
    volumes = {v["Name"] for v in hosts["one"].api.volumes().get("Volumes") or ()}
    assert f"{container_map.name}.data" not in volumes


def test_skip_unreachable_converges_the_reachable_host_and_lists_the_other(hosts, deployment):
    container_map, client = deployment
    hosts["two"].halt()
    results = client.startup("web", skip_unreachable=True)
    assert {r.client_name for r in results} == {"one"}
    assert [u.client_name for u in results.unreachable] == ["two"]
    untouched = {(item.client, item.name) for item in results.untouched}
    assert {("two", f"{container_map.name}.app"), ("two", f"{container_map.name}.web")} <= untouched
    assert all(item.client == "two" for item in results.untouched)
    assert states(hosts["one"].api, container_map.name) == running(container_map.name)

    client.option_defaults()["skip_unreachable"] = True
    plan = client.plan("update", "web")
    assert not list(plan)
    lines = str(plan).splitlines()
    assert f"untouched container {container_map.name}.web on two: client two cannot be reached" in lines
    assert lines[-1].startswith(f"unreachable client two ({hosts['two'].base_url}): socket missing")

    hosts["two"].restart()
    client.update("web")
    for eng in hosts.values():
        assert states(eng.api, container_map.name) == running(container_map.name)
    assert str(client.plan("update", "web")) == "nothing to do"


class _HaltBefore(logging.Handler):
    """Stops an engine when the runner announces a given action (the runner logs each one before it runs)."""

    def __init__(self, action: str, engine) -> None:
        super().__init__()
        self.action, self.engine = action, engine

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(self.action):
            self.engine.halt()


def test_engine_stopped_during_a_run_fails_the_action_at_hand(hosts, deployment):
    container_map, client = deployment
    web = f"{container_map.name}.web"
    handler = _HaltBefore(f"create container {web} on two", hosts["two"])
    runner_log = logging.getLogger("dockermap.map.runner.base")
    runner_log.addHandler(handler)
    runner_log.setLevel(logging.INFO)
    try:
        with pytest.raises(ActionRunnerException) as raised:
            client.startup("web", max_workers=1)  # in plan order: client one is done before two's engine goes
    finally:
        runner_log.removeHandler(handler)
        runner_log.setLevel(logging.NOTSET)
    failure = raised.value
    assert failure.client_name == "two"
    assert (failure.config_id.config_type, failure.config_id.config_name) == (ItemType.CONTAINER, "web")
    assert failure.action_type == "create"
    assert f"container {web} on client two" in str(failure)
    assert "The engine of client two cannot be reached: socket missing" in str(failure)
    completed = {(r.client_name, r.config_id.config_name, r.action_type) for r in failure.results}
    assert {("one", "web", "start"), ("two", "app", "start")} <= completed
    assert ("two", "web", "create") not in completed
    assert states(hosts["one"].api, container_map.name) == running(container_map.name)


@pytest.fixture
def plain_server():
    """A TCP server on 127.0.0.1 that answers every connection in plain HTTP, then closes it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve() -> None:
        for _ in range(8):
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    server.close()


@pytest.fixture
def silent_socket(tmp_path_factory):
    """A unix socket that accepts connections (in its backlog) and never answers."""
    directory = tmp_path_factory.mktemp("silent")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(directory / "docker.sock"))
    server.listen(8)
    yield f"unix://{directory}/docker.sock"
    server.close()


@pytest.mark.parametrize("case", ["refused", "timeout", "tls", "old_api"])
def test_each_kind_of_unreachable_engine_is_named_and_changes_nothing(
    case, engine, base_image, cleanup, plain_server, silent_socket
):
    second = {
        "refused": dict(base_url=f"tcp://127.0.0.1:{free_port()}", version="1.41"),
        "timeout": dict(base_url=silent_socket, version="1.41", timeout=1),
        "tls": dict(base_url=plain_server, version="1.41", tls=True),
        "old_api": dict(base_url=engine.base_url, version="1.12"),
    }[case]
    container_map = two_host_map(cleanup.name("uk"))
    clients = {"one": ClientConfiguration(base_url=engine.base_url), "two": ClientConfiguration(**second)}
    with pytest.raises(UnreachableClientsError) as raised:
        MappingDockerClient(container_map, clients=clients).startup("web")
    [unreachable] = raised.value.unreachable
    assert (unreachable.client_name, unreachable.address) == ("two", second["base_url"])
    expected = {
        "refused": "connection refused",
        "timeout": "timed out",
        "tls": "TLS failure",
        "old_api": "API version not supported",
    }[case]
    assert unreachable.reason.startswith(expected)
    assert states(engine.api, container_map.name) == {}
