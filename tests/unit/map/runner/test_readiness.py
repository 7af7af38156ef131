"""Waiting for a readiness condition, on a simulated clock: how long it sleeps between looks, and that a
condition without a time limit keeps waiting where a limited one gives up."""

from __future__ import annotations

from typing import List, Optional

import pytest

from dockermap.map.exceptions import ContainerNotReady
from dockermap.map.readiness import DEFAULT_TIMEOUT, Readiness
from dockermap.map.runner import readiness as runner_readiness


class Clock:
    """Stands in for the ``time`` module of the waiter: time passes only while it sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now


class Wake:
    """A subscription whose waits pass on the clock at once and are recorded (never woken early)."""

    def __init__(self, clock: Clock, live: bool) -> None:
        self.clock = clock
        self.live = live
        self.pauses: List[float] = []

    def wait(self, timeout: float) -> bool:
        self.pauses.append(timeout)
        self.clock.now += timeout
        return False


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(runner_readiness, "time", clock)
    return clock


def _ready_after(clock: Clock, seconds: float):
    """A check that reports the container ready once ``seconds`` passed."""

    def check() -> Optional[str]:
        return "" if clock.now >= seconds else None

    return check


@pytest.mark.parametrize("live, longest", [(True, 10.0), (False, 1.0)])
def test_without_a_time_limit_it_waits_past_the_default_timeout_sleeping_between_looks(clock, live, longest):
    wake = Wake(clock, live)
    ready = Readiness("healthy", timeout=None)
    runner_readiness._wait_for("m.db", ready, _ready_after(clock, 3 * DEFAULT_TIMEOUT), str, wake)
    assert clock.now >= 3 * DEFAULT_TIMEOUT
    assert max(wake.pauses) == longest and min(wake.pauses) > 0
    if not live:  # polling backs off from 50 ms
        assert wake.pauses[:3] == [0.05, 0.1, 0.2]


def test_a_limited_condition_times_out_at_its_limit(clock):
    wake = Wake(clock, live=True)
    ready = Readiness("healthy", timeout=25)
    with pytest.raises(ContainerNotReady) as error:
        runner_readiness._wait_for("m.db", ready, _ready_after(clock, 30), lambda: "no check ran", wake)
    assert clock.now == 25 and wake.pauses == [10.0, 10.0, 5.0]
    assert "waited for healthy (timeout 25 s), but timed out; no check ran" in str(error.value)


def test_a_failed_condition_fails_at_once_even_without_a_time_limit(clock):
    wake = Wake(clock, live=True)
    with pytest.raises(ContainerNotReady) as error:
        runner_readiness._wait_for(
            "m.db", Readiness("healthy", timeout=None), lambda: "it is unhealthy", str, wake
        )
    assert wake.pauses == [] and "(no time limit), but it is unhealthy" in str(error.value)
