"""Acceptance: stopping a container with a configured stop signal is one request; the engine sends it."""

from __future__ import annotations

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient

#: Exits with code 7 on SIGUSR1 only; the trap is set before it says it is ready.
TRAP_USR1 = "trap 'echo got-usr1; exit 7' USR1; echo trapping; while true; do sleep 0.2; done"


def test_stop_with_the_configured_signal_is_a_single_stop_request(engine, base_image, cleanup, request_proxy):
    config = {
        "app": {
            "image": "/busybox",
            "stop_signal": "SIGUSR1",
            "stop_timeout": 20,
            "create_options": {"command": ["sh", "-c", TRAP_USR1]},
            "ready": {"log": "trapping", "timeout": 30},
        }
    }
    container_map = ContainerMap(cleanup.name("sig"), config)
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=request_proxy.base_url))
    client.startup("app")
    request_proxy.reset()

    client.stop("app")

    name = f"{container_map.name}.app"
    assert [(method, path.split("?")[0].split("/", 2)[2]) for method, path in request_proxy.mutating()] == [
        ("POST", f"containers/{name}/stop")
    ]
    state = engine.api.inspect_container(name)["State"]
    assert (state["Running"], state["ExitCode"]) == (False, 7)
    assert "got-usr1" in engine.api.logs(name).decode()
