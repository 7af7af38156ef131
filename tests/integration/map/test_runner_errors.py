"""Acceptance: a failed action of every kind says, in one sentence, which item failed and why.

Each action kind runs on the test engine against an item that makes the engine refuse it (a missing
container, image, network or volume driver). The error names the action and the item as the plan does
(``stop container m.x on client __default__``), carries the engine's message exactly once, says what was
already done, and shows no internal representation (``MapConfigId(``, ``ItemType.``).
"""

from __future__ import annotations

from dockermap.map.exceptions import ActionRunnerException, error_text
from dockermap.map.input import ExecPolicy, ItemType, MapConfigId
from dockermap.map.items import DesiredEndpoint, DesiredExec, DesiredImage
from dockermap.records import replace
from tests.integration.map.test_runner import CLIENT, MAP, act, client, container, network, runner, volume

__all__ = ["client"]  # the fixture, shared with the runner tests


def _records(run):
    missing = container(run, "missing", ["sleep", "600"])
    no_image = replace(missing, image=run.name("no-image:1"), create_kwargs={"image": run.name("no-image:1")})
    bad_volume = volume(run, "baddriver")
    bad_volume = replace(
        bad_volume, create_kwargs={**bad_volume.create_kwargs, "driver": run.name("nodriver")}
    )
    bad_network = network(run, "badnet")
    bad_network = replace(
        bad_network, create_kwargs={**bad_network.create_kwargs, "driver": run.name("nodriver")}
    )
    ref = "127.0.0.1:1/nothing:v1"
    image = DesiredImage(CLIENT, MapConfigId(ItemType.IMAGE, MAP, "127.0.0.1:1/nothing", "v1"), ref)
    return missing, no_image, bad_volume, bad_network, image


def _cases(run, running):
    missing, no_image, bad_volume, bad_network, image = _records(run)
    prepared = volume(run, "prepared", user="2000")
    command = DesiredExec(["true"], None, ExecPolicy.RESTART)
    return [
        (no_image, "create", {}),
        (missing, "start", {}),
        (missing, "stop", {}),
        (missing, "kill", {}),
        (missing, "restart", {}),
        (running, "remove", {}),
        (missing, "update", {"changes": {"cpu_shares": 512}}),
        (missing, "connect", {"endpoints": [DesiredEndpoint(run.name("no-network"))]}),
        (missing, "disconnect", {"networks": [run.name("no-network")]}),
        (missing, "exec", {"commands": [command]}),
        (no_image, "script", {}),
        (bad_volume, "create", {}),
        (volume(run, "never-created"), "remove", {}),
        (prepared, "prepare", {}),
        (bad_network, "create", {}),
        (network(run, "never-created"), "remove", {}),
        (network(run, "no-containers"), "disconnect", {"containers": [missing.name]}),
        (image, "pull", {}),
    ]


def test_every_action_kind_reports_an_engine_failure_in_one_sentence(client, cleanup, base_image):
    problems = {}
    running = container(cleanup, "running", ["sleep", "600"], image=base_image)
    runner(client, running).run(act(running, "create", "start"))  # removing it without force fails
    for record, kind, args in _cases(cleanup, running):
        [action] = act(record, kind, **args)
        options = {"core_image": cleanup.name("no-core-image:1")}
        try:
            runner(client, record, **options).run([action])
        except ActionRunnerException as exc:
            error = exc
        else:
            problems[f"{kind} {action.name}"] = "no error"
            continue
        message = str(error)
        engine_message = error_text(error.__cause__)
        item = f"{record.config_id.config_type.value} {action.name}"
        expected_start = f"{kind} {item} on client {CLIENT} failed: {engine_message}\n"
        if (
            not message.startswith(expected_start)
            or message.count(engine_message) != 1
            or "MapConfigId(" in message
            or "ItemType." in message
            or "before this failure" not in message
            and "was created but not started" not in message
        ):
            problems[f"{kind} {item}"] = message
    assert problems == {}
