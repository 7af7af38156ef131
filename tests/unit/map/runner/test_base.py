"""The runner's verbs (one for every action kind a plan produces) and what it tells its listener about
each action: waiting, running, then done or failed."""

from __future__ import annotations

import threading

import pytest

from dockermap.map.exceptions import ActionRunnerException
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action, ActionKind
from dockermap.map.plan import Plan
from dockermap.map.runner import Runner
from dockermap.map.runner.base import VERBS
from tests.unit.map.plan import records as rec


def volume_action(name: str, kind: str = "skip") -> Action:
    # ``skip`` does nothing on the engine; a kind without a verb for volumes fails when it runs
    return Action("one", kind, ItemType.VOLUME, MapConfigId(ItemType.VOLUME, "m", name), name, "")


class Listener:
    def __init__(self):
        self.events = []
        self.threads = {}
        self.lock = threading.Lock()

    def __call__(self, action, state):
        with self.lock:
            self.events.append((action.name, state))
            if state == "running":
                self.threads[action.name] = threading.current_thread().name


@pytest.mark.parametrize("workers", [1, 3])
def test_each_action_is_waiting_then_running_then_done(workers):
    actions = [volume_action(f"v{n}") for n in range(3)]
    listener = Listener()
    runner = Runner({"one": object()}, {}, {"max_workers": workers, "listener": listener})

    results = runner.run(actions)

    assert [r.action_type for r in results] == ["skip"] * 3
    assert listener.events[:3] == [(f"v{n}", "waiting") for n in range(3)]
    for n in range(3):
        states = [state for name, state in listener.events if name == f"v{n}"]
        assert states == ["waiting", "running", "done"]
    # "running" comes from the thread that runs the action: the caller's with one worker
    caller = threading.current_thread().name
    assert (set(listener.threads.values()) == {caller}) is (workers == 1)


def test_a_failed_action_is_reported_and_later_ones_stay_waiting():
    actions = [volume_action("bad", kind="exec"), volume_action("later")]
    listener = Listener()
    runner = Runner({"one": object()}, {}, {"max_workers": 1, "listener": listener})

    with pytest.raises(ActionRunnerException):
        runner.run(actions)

    assert listener.events == [("bad", "waiting"), ("later", "waiting"), ("bad", "failed")]


def test_the_listener_is_an_option_of_the_call_and_not_shown():
    listener = Listener()
    runner = Runner({}, {}, {"listener": listener, "unrelated": 1})
    assert runner.options.listener is listener
    assert "listener" not in repr(runner.options)


def test_every_kind_has_a_verb_and_every_verb_a_kind():
    kinds = {kind for verbs in VERBS.values() for kind in verbs}
    assert all(isinstance(kind, ActionKind) for kind in kinds)
    assert kinds == set(ActionKind)


class RefusingEngine:
    """Creates every container; refuses to start ``m.web``."""

    def create_container(self, **kwargs):
        return {"Id": kwargs["name"], "Warnings": []}

    def start(self, name):
        if name == "m.web":
            raise RuntimeError("port 8080 is already allocated")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failure_names_the_other_containers_left_created(workers):
    web, other = rec.container("web"), rec.container("other")

    def act(record, kind):
        return Action(rec.CLIENT, kind, ItemType.CONTAINER, record.config_id, record.name, "")

    plan = Plan([act(web, "create"), act(other, "create"), act(web, "start"), act(other, "start")])
    plan.depends_on = [frozenset(), frozenset(), frozenset({0}), frozenset({1, 2})]
    desired = {(rec.CLIENT, r.config_id): r for r in (web, other)}
    runner = Runner({rec.CLIENT: RefusingEngine()}, desired, {"max_workers": workers})

    with pytest.raises(ActionRunnerException) as raised:
        runner.run(plan)

    message = str(raised.value)
    assert "The container m.web was created but not started" in message
    assert message.endswith("Created but not started, the next update will start them: m.other.")
    assert sorted(r.config_id.config_name for r in raised.value.results) == ["other", "web"]
