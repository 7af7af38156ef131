"""The scheduler of the runner: dependency order, bounded concurrency, and what a failure stops."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action
from dockermap.map.runner.schedule import run_graph


def actions(count, client="one"):
    return [
        Action(
            client, "start", ItemType.CONTAINER, MapConfigId(ItemType.CONTAINER, "m", f"c{n}"), f"c{n}", ""
        )
        for n in range(count)
    ]


class Recorder:
    """Records start and end of each action and the most running at once, overall and per client.

    ``together``: names of actions that wait for each other (they must all run at once); ``fail``: the
    name of an action that fails; ``after_failure``: names of actions that end only after it failed.
    """

    def __init__(self, together=(), fail=None, after_failure=()):
        self.lock = threading.Lock()
        self.events, self.running, self.most = [], Counter(), Counter()
        self.fail, self.after_failure = fail, set(after_failure)
        self.together = set(together)
        self.gate = threading.Barrier(len(together)) if together else None
        self.failed = threading.Event()

    def __call__(self, action):
        with self.lock:
            for key in ("all", action.client):
                self.running[key] += 1
                self.most[key] = max(self.most[key], self.running[key])
            self.events.append(("start", action.name))
        try:
            if action.name in self.together:
                self.gate.wait(timeout=10)
            if action.name in self.after_failure:
                assert self.failed.wait(timeout=10)
            if action.name == self.fail:
                self.failed.set()
                raise RuntimeError(f"{action.name} failed")
            return action.name
        finally:
            with self.lock:
                self.running["all"] -= 1
                self.running[action.client] -= 1
                self.events.append(("end", action.name))


def test_one_worker_runs_in_plan_order_in_the_calling_thread():
    threads = []

    def execute(action):
        threads.append(threading.current_thread())
        return action.name

    waits = [frozenset(), frozenset(), frozenset({0}), frozenset()]
    done = list(run_graph(actions(4), waits, execute, 1))
    assert [index for index, _, _ in done] == [0, 1, 2, 3]
    assert set(threads) == {threading.current_thread()}


def test_independent_actions_run_together_up_to_the_limit_and_dependents_wait():
    recorder = Recorder(together={"c0", "c1", "c2"})
    waits = [frozenset(), frozenset(), frozenset(), frozenset({0, 1, 2})]
    done = list(run_graph(actions(4), waits, recorder, 3))
    assert recorder.most["all"] == 3
    assert {index for index, _, _ in done[:3]} == {0, 1, 2}
    assert done[3] == (3, "c3", None)
    ends = [recorder.events.index(("end", f"c{n}")) for n in range(3)]
    assert recorder.events.index(("start", "c3")) > max(ends)


def test_a_client_limit_holds_back_actions_on_that_client_only():
    recorder = Recorder(together={"c0", "x0"})
    both = actions(3, "one") + [
        Action("two", "start", ItemType.CONTAINER, MapConfigId(ItemType.CONTAINER, "m", "x0"), "x0", "")
    ]
    list(run_graph(both, [frozenset()] * 4, recorder, 4, {"one": 1}))
    assert recorder.most["one"] == 1
    assert recorder.most["all"] == 2


def test_after_a_failure_nothing_new_starts_and_running_actions_finish():
    recorder = Recorder(fail="c0", after_failure={"c1"})
    waits = [frozenset(), frozenset(), frozenset(), frozenset({0})]
    done = list(run_graph(actions(4), waits, recorder, 2))
    assert [(index, result, str(exc or "")) for index, result, exc in done] == [
        (0, None, "c0 failed"),
        (1, "c1", ""),
    ]
    assert sorted(name for kind, name in recorder.events if kind == "start") == ["c0", "c1"]


@pytest.mark.parametrize("workers", [1, 3])
def test_every_action_runs_once(workers):
    recorder = Recorder()
    waits = [frozenset(range(n)) if n % 2 else frozenset() for n in range(9)]
    done = list(run_graph(actions(9), waits, recorder, workers))
    assert sorted(index for index, _, _ in done) == list(range(9))
