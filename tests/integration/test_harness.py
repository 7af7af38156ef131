"""The harness itself: engines answer, the local base image runs, cleanup removes what a test made."""

import os
import signal
from pathlib import Path

from tests import helpers


def test_base_image_runs_busybox(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("harness")
    container = api.create_container(
        base_image, "sh -c 'echo hello from busybox'", name=name, labels=cleanup.labels
    )
    api.start(container)
    assert api.wait(container, timeout=30)["StatusCode"] == 0
    assert api.logs(container).decode().strip() == "hello from busybox"


def test_remove_test_objects_removes_only_this_run(engine, base_image, test_run):
    api = engine.api
    other = helpers.TestRun()
    mine = api.create_container(base_image, "true", name=test_run.name("mine"))
    theirs = api.create_container(base_image, "true", name=other.name("theirs"))
    api.create_volume(test_run.name("vol"))
    unprefixed = f"labelled-only-{test_run.run_id}"
    api.create_network(unprefixed, labels=test_run.labels)
    try:
        removed = helpers.remove_test_objects(api, test_run, images=False)
        assert ("container", test_run.name("mine")) in removed
        assert ("volume", test_run.name("vol")) in removed
        assert ("network", unprefixed) in removed
        remaining = {c["Id"] for c in api.containers(all=True)}
        assert mine["Id"] not in remaining
        assert theirs["Id"] in remaining
    finally:
        api.remove_container(theirs, force=True)


def test_second_engine_is_independent(engine, second_engine, second_base_image, test_run):
    first_info = engine.api.info()
    second_info = second_engine.api.info()
    assert second_engine.base_url != engine.base_url
    assert second_info["DockerRootDir"] != first_info["DockerRootDir"]
    name = test_run.name("on-second")
    container = second_engine.api.create_container(second_base_image, "true", name=name)
    try:
        assert name not in {n.lstrip("/") for c in engine.api.containers(all=True) for n in c["Names"]}
        assert second_engine.api.inspect_container(container)["Name"] == f"/{name}"
    finally:
        second_engine.api.remove_container(container, force=True)


def test_private_engine_restart_keeps_its_state(private_engine, test_run):
    api = private_engine.api
    name = test_run.name("survivor")
    api.create_container("busybox:latest", "true", name=name)
    private_engine.restart()
    assert private_engine.api.inspect_container(name)["Name"] == f"/{name}"
    private_engine.api.remove_container(name)


def test_a_hung_engine_is_restarted_with_its_state_and_an_answering_one_left_alone(private_engine, test_run):
    api = private_engine.api
    name = test_run.name("through-hang")
    api.create_container("busybox:latest", "true", name=name)
    pid_file = Path(private_engine.state_dir, "dockerd.pid")
    assert private_engine.recover_if_hung(hung_after=5) == ""
    pid = int(pid_file.read_text())
    os.kill(pid, signal.SIGSTOP)  # answers nothing from now on, as a deadlocked engine
    try:
        report = private_engine.recover_if_hung(hung_after=2)
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass
    assert report.startswith("the engine did not list its networks within 2 s")
    assert report.endswith("restarted it")
    assert int(pid_file.read_text()) != pid
    assert private_engine.api.inspect_container(name)["Name"] == f"/{name}"
    private_engine.api.remove_container(name)
