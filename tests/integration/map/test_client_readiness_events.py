"""Acceptance: the containers a run waits for to become healthy share one events connection per client.

The leaves only turn healthy once the test opens a gate in their shared volume, and it opens it only
after every leaf's waiter looked at its container (a waiter subscribes before that look), so all of
them wait at the same time. Each client's requests pass through a counting proxy. The gate stays
closed a while longer, long enough for a polling waiter to look several times; a waiter woken by
events looks once after subscribing and once per event (its start, maybe replayed, and its health).
"""

from __future__ import annotations

import threading
import time

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.client.cmdline import DockerCommandLineClient
from tests.helpers import exec_in

LEAVES = 10
#: Seconds the gate stays closed after every leaf waits: a waiter that polled would look 5 times or more.
GATE_HELD = 2
IDLE = "trap 'exit 0' TERM; sleep 3600 & wait"
#: Fails until the gate is open; failures in the start period do not count, so it never turns unhealthy.
GATED = {
    "test": ["CMD-SHELL", "test -f /gate/open"],
    "interval": "100ms",
    "retries": 1,
    "start_period": "60s",
}


def gated_map(name: str) -> ContainerMap:
    leaf = {
        "image": "/busybox",
        "uses": "gate",
        "create_options": {"command": ["sh", "-c", IDLE]},
        "healthcheck": GATED,
        "ready": {"condition": "healthy", "timeout": 120},
    }
    config = {
        "keeper": {
            "image": "/busybox",
            "attaches": "gate",
            "create_options": {"command": ["sh", "-c", IDLE]},
        },
        **{f"leaf{i}": dict(leaf) for i in range(LEAVES)},
        "volumes": {"gate": "/gate"},
        "groups": {"leaves": [f"leaf{i}" for i in range(LEAVES)]},
    }
    return ContainerMap(name, config)


def _looks_after_start(requests: list, name: str) -> int:
    """How often ``name`` was inspected after it was started."""
    paths = [path.split("?")[0] for _, path in requests]
    started = [i for i, path in enumerate(paths) if path.endswith(f"/containers/{name}/start")]
    return (
        sum(1 for path in paths[started[0] :] if path.endswith(f"/containers/{name}/json")) if started else 0
    )


def _all_waiting(proxy, container_map: ContainerMap, run: threading.Thread) -> None:
    """Return once every leaf's waiter looked at its container (or the run ended early)."""
    names = [f"{container_map.name}.leaf{i}" for i in range(LEAVES)]
    while run.is_alive():
        if all(_looks_after_start(list(proxy.requests), name) for name in names):
            return
        time.sleep(0.1)


def _events_connections(proxy) -> int:
    return sum(1 for _, path in proxy.requests if path.split("?")[0].endswith("/events"))


@pytest.mark.parametrize("kind", ["api", "command line"])
def test_many_healthy_waiters_share_one_events_connection(kind, engine, base_image, cleanup, request_proxy):
    container_map = gated_map(cleanup.name("gate"))
    if kind == "api":
        config = ClientConfiguration(base_url=request_proxy.base_url)
    else:
        config = ClientConfiguration(client=DockerCommandLineClient(cmd_args=["-H", request_proxy.base_url]))
    client = MappingDockerClient(container_map, config, option_defaults={"max_workers": LEAVES + 1})
    outcome: dict = {}

    def startup() -> None:
        try:
            outcome["results"] = client.startup("leaves")
        except Exception as exc:
            outcome["error"] = exc

    run = threading.Thread(target=startup)
    run.start()
    _all_waiting(request_proxy, container_map, run)
    time.sleep(GATE_HELD)
    exec_in(engine.api, f"{container_map.name}.keeper", "touch /gate/open")
    run.join(180)

    assert "error" not in outcome, outcome.get("error")
    for i in range(LEAVES):
        state = engine.api.inspect_container(f"{container_map.name}.leaf{i}")["State"]
        assert state["Health"]["Status"] == "healthy"
    assert _events_connections(request_proxy) == 1
    requests = list(request_proxy.requests)
    assert [_looks_after_start(requests, f"{container_map.name}.leaf{i}") <= 3 for i in range(LEAVES)] == [
        True
    ] * LEAVES
