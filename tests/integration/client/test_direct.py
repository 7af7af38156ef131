"""DirectClient against the real engine: the changes of a teardown made with one request each and no API
version negotiation, the SDK client's errors and error handling, several requests at once, and the
SDK client prepared in the background."""

from __future__ import annotations

import threading
import time

import docker
import pytest

from dockermap.client.direct import DirectClient
from dockermap.map.config.client import ClientConfiguration

#: A container that ignores SIGTERM: only the engine's kill after the stop timeout ends it.
IGNORES_TERM = ["sh", "-c", "trap '' TERM; sleep 600 & wait"]


def _direct(base_url: str, timeout: float = 10) -> DirectClient:
    client = ClientConfiguration(base_url=base_url, timeout=timeout).get_direct_client()
    assert isinstance(client, DirectClient)
    return client


def _running(engine, base_image, cleanup, name: str, command=("sleep", "600")) -> str:
    container = engine.api.create_container(
        base_image, list(command), name=cleanup.name(name), labels=cleanup.labels
    )
    engine.api.start(container)
    return container["Id"]


def _state(engine, container: str) -> str:
    return engine.api.inspect_container(container)["State"]["Status"]


def test_teardown_changes_take_one_request_each(engine, base_image, cleanup, request_proxy):
    first = _running(engine, base_image, cleanup, "direct-first")
    second = _running(engine, base_image, cleanup, "direct-second")
    volume = engine.api.create_volume(cleanup.name("direct-vol"), labels=cleanup.labels)["Name"]
    network = engine.api.create_network(cleanup.name("direct-net"), labels=cleanup.labels)["Id"]
    client = _direct(request_proxy.base_url)

    client.stop(cleanup.name("direct-first"), timeout=1)
    assert _state(engine, first) == "exited"
    client.start(first)
    assert _state(engine, first) == "running"
    client.kill(first, signal="SIGKILL")
    assert _state(engine, first) == "exited"
    client.stop(first)  # already stopped: the engine answers 304
    client.remove_container(first, v=True)
    client.remove_container(second, force=True)
    client.remove_volume(volume)
    client.remove_network(network)

    assert engine.api.containers(all=True, filters={"id": [first, second]}) == []
    assert engine.api.volumes(filters={"name": volume})["Volumes"] in (None, [])
    assert engine.api.networks(ids=[network]) == []
    assert [(method, path.split("?")[0]) for method, path in request_proxy.requests] == [
        ("POST", f"/containers/{cleanup.name('direct-first')}/stop"),
        ("POST", f"/containers/{first}/start"),
        ("POST", f"/containers/{first}/kill"),
        ("POST", f"/containers/{first}/stop"),
        ("DELETE", f"/containers/{first}"),
        ("DELETE", f"/containers/{second}"),
        ("DELETE", f"/volumes/{volume}"),
        ("DELETE", f"/networks/{network}"),
    ]
    assert request_proxy.connections == 1


def test_errors_are_the_sdk_clients(engine, base_image, cleanup, request_proxy):
    client = _direct(request_proxy.base_url)
    missing = cleanup.name("direct-missing")
    client.remove_container(missing)  # DockerClientWrapper ignores a missing container
    with pytest.raises(docker.errors.NotFound):
        client.remove_container(missing, raise_not_found=True)
    with pytest.raises(docker.errors.NotFound):
        client.stop(missing, timeout=1)
    running = _running(engine, base_image, cleanup, "direct-running")
    with pytest.raises(docker.errors.APIError) as raised:
        client.remove_container(running)
    assert raised.value.status_code == 409
    assert _state(engine, running) == "running"


def test_requests_in_flight_at_once_use_connections_of_their_own(engine, base_image, cleanup, request_proxy):
    containers = [_running(engine, base_image, cleanup, f"direct-slow{i}", IGNORES_TERM) for i in range(4)]
    client = _direct(request_proxy.base_url)
    barrier = threading.Barrier(len(containers))
    failures = []

    def stop(container: str) -> None:
        barrier.wait()
        try:
            client.stop(container, timeout=1)  # each request takes about a second
        except Exception as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=stop, args=(c,)) for c in containers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert [_state(engine, c) for c in containers] == ["exited"] * 4
    assert request_proxy.connections == 4
    for container in containers:  # one after another: the idle connections are used again
        client.remove_container(container)
    assert request_proxy.connections == 4


def test_a_stop_may_take_longer_than_the_request_timeout(engine, base_image, cleanup):
    container = _running(engine, base_image, cleanup, "direct-stubborn", IGNORES_TERM)
    started = time.monotonic()
    _direct(engine.base_url, timeout=1).stop(container, timeout=3)
    assert time.monotonic() - started >= 3
    assert _state(engine, container) == "exited"


def test_the_sdk_client_is_prepared_in_the_background(engine):
    config = ClientConfiguration(base_url=engine.base_url, timeout=10)
    config.get_direct_client().prepare_sdk()
    deadline = time.monotonic() + 30
    while isinstance(config.get_direct_client(), DirectClient):
        assert time.monotonic() < deadline, "the SDK client was not created"
        time.sleep(0.05)
    assert config.get_client().version()["ApiVersion"] == config.version
