"""Acceptance: parallel runs keep the dependency order, and readiness conditions hold dependents back.

Concurrency is shown without clocks: the leaves of a fan-out only become ready once several of them
started (they meet in the shared volume), so a run that started them one at a time would time out.
Order is shown by the containers themselves: each dependent notes whether its dependency was ready
when it started.
"""

from __future__ import annotations

import socket

import docker
import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.client.cmdline import DockerCommandLineClient
from dockermap.map.exceptions import ActionRunnerException
from tests.helpers import exec_in

#: Stops at once on SIGTERM.
IDLE = "trap 'exit 0' TERM; sleep 3600 & wait"
LEAVES = 20
#: Leaves that must have started before any of them is ready.
MEET = 3


def _sh(script: str) -> dict:
    return {"command": ["sh", "-c", script]}


def fan_out_map(name: str, port: int = 0, leaves: int = LEAVES) -> ContainerMap:
    """``hub`` attaches ``data`` and is ready once it wrote ``/data/hub``; every leaf uses ``data``, links
    the hub, notes ``EARLY`` if the hub was not ready when it started, and is ready once ``MEET`` leaves
    started."""
    hub = {
        "image": "/busybox",
        "attaches": "data",
        "create_options": _sh(f"sleep 0.5; touch /data/hub; echo hub ready; {IDLE}"),
        "ready": {"log": "hub ready", "timeout": 30},
    }
    leaf_script = (
        "[ -f /data/hub ] || echo EARLY; touch /data/leaf.$HOSTNAME; "
        f'while [ "$(ls /data | grep -c leaf)" -lt {MEET} ]; do sleep 0.05; done; echo met; {IDLE}'
    )
    leaf = {
        "image": "/busybox",
        "uses": "data",
        "links": "hub",
        "create_options": _sh(leaf_script),
        "ready": {"log": "^met$", "timeout": 60},
    }
    config = {"hub": hub, **{f"leaf{i}": dict(leaf) for i in range(leaves)}}
    if port:
        config["leaf7"] = {**leaf, "exposes": [(80, port, "lo")]}
    config.update(volumes={"data": "/data"}, groups={"all": [f"leaf{i}" for i in range(leaves)]})
    return ContainerMap(name, config)


def _client(container_map, engine, **options) -> MappingDockerClient:
    return MappingDockerClient(
        container_map,
        ClientConfiguration(base_url=engine.base_url, interfaces={"lo": "127.0.0.1"}),
        option_defaults=options,
    )


def _running(api, name: str) -> bool:
    return api.inspect_container(name)["State"]["Running"]


def test_a_fan_out_starts_several_leaves_at_once_and_none_before_the_hub_is_ready(
    engine, base_image, cleanup
):
    container_map = fan_out_map(cleanup.name("fan"))
    client = _client(container_map, engine)
    plan = client.plan("startup", "all")
    assert "[4] create container" in str(plan)  # the leaves' creates share a step
    results = client.startup("all")
    assert len(results) == len(plan)
    for i in range(LEAVES):
        name = f"{container_map.name}.leaf{i}"
        assert _running(engine.api, name)
        log = engine.api.logs(name).decode()
        assert "EARLY" not in log and "met" in log
    starts = [r.config_id.config_name for r in results if r.action_type == "start"]
    assert starts[0] == "hub"


def test_the_command_line_client_runs_actions_at_once_too(engine, base_image, cleanup):
    container_map = fan_out_map(cleanup.name("cli"), leaves=MEET + 1)
    cli = DockerCommandLineClient(cmd_args=["-H", engine.base_url])
    MappingDockerClient(container_map, ClientConfiguration(client=cli)).startup("all")
    for i in range(MEET + 1):
        log = engine.api.logs(f"{container_map.name}.leaf{i}").decode()
        assert "EARLY" not in log and "met" in log


def test_one_worker_keeps_the_plan_order_and_fails_where_leaves_must_meet(engine, base_image, cleanup):
    container_map = fan_out_map(cleanup.name("seq"))
    for i in range(LEAVES):
        container_map.containers[f"leaf{i}"].ready = {"log": "^met$", "timeout": 3}
    client = _client(container_map, engine, max_workers=1)
    plan = client.plan("startup", "all")
    with pytest.raises(ActionRunnerException) as error:
        client.startup("all")
    done = [(r.action_type, r.config_id) for r in error.value.results]
    assert done == [(a.kind, a.config_id) for a in plan[: len(done)]]
    assert (error.value.action_type, error.value.config_id) == (
        plan[len(done)].kind,
        plan[len(done)].config_id,
    )
    assert "leaf0 is not ready: waited for a log line matching '^met$'" in str(error.value)
    # only one leaf was ever started: with one worker, nothing ran beside the waiting one
    assert [r.config_id.config_name for r in error.value.results if r.action_type == "start"] == ["hub"]


def test_a_failure_midway_lists_what_completed_and_the_next_update_converges(engine, base_image, cleanup):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen(1)
    port = blocker.getsockname()[1]
    container_map = fan_out_map(cleanup.name("mid"), port)
    client = _client(container_map, engine)
    try:
        with pytest.raises(ActionRunnerException) as error:
            client.startup("all")
        failed = error.value
        assert (failed.action_type, failed.config_id.config_name) == ("start", "leaf7")
        assert str(port) in str(failed)
        completed = failed.results
        assert ("start", "hub") in [(r.action_type, r.config_id.config_name) for r in completed]
        for result in completed:
            if result.action_type == "start":
                assert _running(engine.api, f"{container_map.name}.{result.config_id.config_name}")
        hub = f"{container_map.name}.hub"
        exec_in(engine.api, hub, "echo kept > /data/keep")
    finally:
        blocker.close()
    client.update("all")
    for i in range(LEAVES):
        assert _running(engine.api, f"{container_map.name}.leaf{i}")
    assert exec_in(engine.api, f"{container_map.name}.leaf7", "cat /data/keep") == "kept"
    assert str(client.plan("update", "all")) == "nothing to do"


def _pair(name: str, dependency: dict, dependency_ready, marker: str) -> ContainerMap:
    """``dep`` (configured by the test) and ``app``, which links it and prints ``EARLY`` unless ``marker``
    exists in the shared volume when it starts."""
    app_script = f"[ -f /shared/{marker} ] || echo EARLY; {IDLE}"
    config = {
        "dep": {"image": "/busybox", "attaches": "shared", "ready": dependency_ready, **dependency},
        "app": {"image": "/busybox", "uses": "shared", "create_options": _sh(app_script)},
        "volumes": {"shared": "/shared"},
    }
    return ContainerMap(name, config)


def _absent(api, name: str) -> bool:
    try:
        api.inspect_container(name)
    except docker.errors.NotFound:
        return True
    return False


HEALTH = {"interval": "100ms", "timeout": "1s", "retries": 2}


def test_healthy_holds_the_dependent_back_until_the_healthcheck_passes(engine, base_image, cleanup):
    dependency = {
        "create_options": _sh(f"sleep 1.5; touch /shared/ok; {IDLE}"),
        "healthcheck": {"test": ["CMD-SHELL", "test -f /shared/ok"], **HEALTH, "start_period": "20s"},
    }
    container_map = _pair(cleanup.name("healthy"), dependency, {"condition": "healthy", "timeout": 30}, "ok")
    _client(container_map, engine).startup("app")
    app = f"{container_map.name}.app"
    assert _running(engine.api, app)
    assert "EARLY" not in engine.api.logs(app).decode()
    health = engine.api.inspect_container(f"{container_map.name}.dep")["State"]["Health"]
    assert health["Status"] == "healthy"


def test_an_unhealthy_dependency_fails_with_its_healthcheck_output_and_its_dependent_is_never_created(
    engine, base_image, cleanup
):
    dependency = {
        "create_options": _sh(IDLE),
        "healthcheck": {"test": ["CMD-SHELL", "echo database is broken; exit 1"], **HEALTH},
    }
    container_map = _pair(cleanup.name("sick"), dependency, "healthy", "never")
    with pytest.raises(ActionRunnerException) as error:
        _client(container_map, engine).startup("app")
    message = str(error.value)
    assert f"container {container_map.name}.dep is not ready: waited for healthy" in message
    assert "database is broken" in message
    assert _absent(engine.api, f"{container_map.name}.app")


def test_completed_runs_once_before_its_dependents_and_not_again(engine, base_image, cleanup):
    dependency = {"create_options": _sh("sleep 0.5; echo migrated >> /shared/runs; touch /shared/done")}
    container_map = _pair(cleanup.name("init"), dependency, "completed", "done")
    client = _client(container_map, engine)
    client.startup("app")
    app, dep = f"{container_map.name}.app", f"{container_map.name}.dep"
    assert "EARLY" not in engine.api.logs(app).decode()
    assert engine.api.inspect_container(dep)["State"]["ExitCode"] == 0
    assert str(client.plan("startup", "app")) == "nothing to do"
    client.startup("app")
    client.update("app")
    assert exec_in(engine.api, app, "cat /shared/runs") == "migrated"


def test_a_failing_one_shot_container_stops_the_run_with_its_last_log_lines(engine, base_image, cleanup):
    dependency = {"create_options": _sh("echo applying 42; echo migration 42 failed; exit 1")}
    container_map = _pair(cleanup.name("badinit"), dependency, "completed", "never")
    with pytest.raises(ActionRunnerException) as error:
        _client(container_map, engine).startup("app")
    message = str(error.value)
    assert "waited for completed" in message and "exited with code 1" in message
    assert "migration 42 failed" in message
    assert _absent(engine.api, f"{container_map.name}.app")


def test_a_log_condition_waits_for_a_late_line_and_a_timeout_names_pattern_and_last_lines(
    engine, base_image, cleanup
):
    dependency = {
        "create_options": _sh(f"echo booting; sleep 1; touch /shared/up; echo listening on 5432; {IDLE}")
    }
    ready = {"log": r"listening on \d+", "timeout": 30}
    container_map = _pair(cleanup.name("log"), dependency, ready, "up")
    client = _client(container_map, engine)
    client.startup("app")
    assert "EARLY" not in engine.api.logs(f"{container_map.name}.app").decode()

    client.shutdown("dep", remove_attached=True)
    with pytest.raises(ActionRunnerException) as error:
        client.startup("app", ready={"dep": {"log": "accepting connections", "timeout": 2}})
    message = str(error.value)
    assert f"container {container_map.name}.dep is not ready" in message
    assert "'accepting connections'" in message and "timed out" in message
    assert "booting" in message and "listening on 5432" in message
    assert _absent(engine.api, f"{container_map.name}.app")


#: Writes ``/shared/done`` after three seconds (and stops at once on SIGTERM meanwhile).
LATE_DONE = "trap 'exit 0' TERM; sleep 3 & wait; touch /shared/done"
#: Healthy once ``/shared/done`` exists; failures before count for nothing (the start period is long).
HEALTHY_WHEN_DONE = {"test": ["CMD-SHELL", "test -f /shared/done"], **HEALTH, "start_period": "1m"}


@pytest.mark.parametrize(
    "condition, dependency",
    [
        ("completed", {"create_options": _sh(LATE_DONE)}),
        ("healthy", {"create_options": _sh(f"{LATE_DONE}; {IDLE}"), "healthcheck": HEALTHY_WHEN_DONE}),
    ],
)
def test_a_condition_without_a_time_limit_waits_past_where_a_limit_would_have_failed(
    condition, dependency, engine, base_image, cleanup
):
    """The dependency is ready after three seconds: a per-call timeout of one second fails, none waits."""
    container_map = _pair(cleanup.name(f"nolimit-{condition}"), dependency, condition, "done")
    client = _client(container_map, engine)
    with pytest.raises(ActionRunnerException) as error:
        client.startup("app", ready={"dep": {"condition": condition, "timeout": 1}})
    assert f"waited for {condition} (timeout 1 s), but timed out" in str(error.value)
    assert _absent(engine.api, f"{container_map.name}.app")

    client.shutdown("dep", remove_attached=True)
    client.startup("app", ready={"dep": {"condition": condition, "timeout": None}})
    assert "EARLY" not in engine.api.logs(f"{container_map.name}.app").decode()
    assert _running(engine.api, f"{container_map.name}.app")
