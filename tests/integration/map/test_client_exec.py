"""Acceptance: ``exec_commands`` run after startup; ``update`` re-runs missing ``KEEP_RUNNING`` commands only.

Whether a command runs is read from the process list (``top``), matched as the engine shows it (a
shell running a single command shows that command); ``update`` runs the missing ones in the existing
container instead of recreating it. ``RESTART`` commands run after every start, ``INITIAL`` ones once:
an ``update`` that leaves the container running runs neither again.
"""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.input import ExecPolicy
from tests.helpers import exec_in

#: The processes the exec commands leave running, as (user, args) in the container's ``ps``.
AS_2000 = ("2000", "sleep 3601")  # KEEP_RUNNING, as user 2000, a shell-like string
AS_ROOT_LIST = ("root", "sleep 3602")  # KEEP_RUNNING, exec form through a shell, default user
INITIAL = ("root", "sleep 3603")  # INITIAL
#: A one-shot RESTART command and the file that counts its runs.
ONE_SHOT = ["sh", "-c", "echo ran >> /tmp/runs"]


@pytest.fixture
def worker(engine, base_image, cleanup):
    """A map with one container ``worker`` and its exec commands, and a client for it."""
    container_map = ContainerMap(
        cleanup.name("ex"),
        {
            "worker": {
                "image": "/busybox",
                "create_options": {"command": "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""},
                "exec_commands": [
                    ("sleep 3601", "2000", ExecPolicy.KEEP_RUNNING),
                    (["sh", "-c", "sleep 3602"], None, "keep_running"),
                    ("sleep 3603", None, ExecPolicy.INITIAL),
                    (ONE_SHOT, None, ExecPolicy.RESTART),
                ],
            }
        },
    )
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url))
    return f"{container_map.name}.worker", client


def processes(api, container: str) -> list:
    """(user, args) of the ``sleep 36xx`` processes in the container, sorted."""
    rows = exec_in(api, container, "ps -o user,args").splitlines()[1:]
    found = [tuple(row.split(None, 1)) for row in rows]
    return sorted(p for p in found if len(p) == 2 and p[1].startswith("sleep 36") and p[1] != "sleep 3600")


def kill_processes(api, container: str, args: str) -> None:
    """Kill the processes whose command line is exactly ``args``, behind dockermap's back."""
    first, second = args.split()
    script = f'ps -o pid,args | awk \'$2 == "{first}" && $3 == "{second}" {{print $1}}\' | xargs kill'
    exec_in(api, container, script)
    assert [p for p in processes(api, container) if p[1] == args] == []


def kinds(results) -> list:
    return [r.action_type for r in results]


def runs(api, container: str) -> int:
    """How often the one-shot ``RESTART`` command ran in the container (it runs detached: wait for it)."""
    wait = "for i in $(seq 50); do [ -s /tmp/runs ] && break; sleep 0.1; done"
    return len(exec_in(api, container, f"{wait}; cat /tmp/runs").splitlines())


def test_startup_runs_every_exec_command_as_its_user(engine, worker):
    name, client = worker
    assert kinds(client.startup("worker")) == ["create", "start", "exec"]
    assert processes(engine.api, name) == sorted([AS_2000, AS_ROOT_LIST, INITIAL])
    assert str(client.plan("update", "worker")) == "nothing to do"


def test_update_reruns_missing_restart_commands_in_the_same_container(engine, worker):
    name, client = worker
    client.startup("worker")
    container_id = engine.api.inspect_container(name)["Id"]
    for _, args in (AS_2000, AS_ROOT_LIST, INITIAL):
        kill_processes(engine.api, name, args)
    plan_text = str(client.plan("update", "worker"))
    assert plan_text.startswith(f"exec container {name}: not running: ")
    assert "'sleep 3601'" in plan_text and "3602" in plan_text and "3603" not in plan_text
    assert kinds(client.update("worker")) == ["exec"]
    assert engine.api.inspect_container(name)["Id"] == container_id
    assert processes(engine.api, name) == sorted([AS_2000, AS_ROOT_LIST])
    assert client.update("worker") == []


def test_update_reruns_only_the_killed_restart_command(engine, worker):
    name, client = worker
    client.startup("worker")
    kill_processes(engine.api, name, AS_2000[1])
    assert str(client.plan("update", "worker")) == f"exec container {name}: not running: 'sleep 3601'"
    assert kinds(client.update("worker")) == ["exec"]
    assert processes(engine.api, name) == sorted([AS_2000, AS_ROOT_LIST, INITIAL])


def test_killed_initial_command_is_not_run_again(engine, worker):
    name, client = worker
    client.startup("worker")
    kill_processes(engine.api, name, INITIAL[1])
    assert str(client.plan("update", "worker")) == "nothing to do"
    assert client.update("worker") == []
    assert processes(engine.api, name) == sorted([AS_2000, AS_ROOT_LIST])


def test_restart_after_a_stop_runs_the_restart_commands_only(engine, worker):
    name, client = worker
    client.startup("worker")
    container_id = engine.api.inspect_container(name)["Id"]
    engine.api.stop(name, timeout=5)
    assert kinds(client.update("worker")) == ["start", "exec"]
    assert engine.api.inspect_container(name)["Id"] == container_id
    assert processes(engine.api, name) == sorted([AS_2000, AS_ROOT_LIST])
    assert runs(engine.api, name) == 2


def test_updates_of_a_running_container_run_no_command_twice(engine, worker):
    name, client = worker
    client.startup("worker")
    assert runs(engine.api, name) == 1
    for _ in range(2):
        assert str(client.plan("update", "worker")) == "nothing to do"
        assert client.update("worker") == []
    assert processes(engine.api, name) == sorted([AS_2000, AS_ROOT_LIST, INITIAL])
    assert runs(engine.api, name) == 1
