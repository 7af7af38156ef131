"""Waiting until a started container is ready for its dependents (see :mod:`dockermap.map.readiness`).

``completed`` blocks on the engine's wait call. ``healthy`` looks at the container once, then again
whenever the engine reports an event about it (the waiters of a client share one events stream, see
:mod:`.events`). ``log`` polls the container's log with a growing interval (from 50 ms up to one
second), so a quick container is seen quickly and a slow one costs few requests; so does ``healthy``
when the client cannot stream events or the stream is lost. A container that fails its condition,
exits while it should keep running, or is not ready within the timeout raises
:class:`~dockermap.map.exceptions.ContainerNotReady` with the last healthcheck output or the last
lines of its log. A condition without a timeout is waited for until the container meets or fails it.
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable, Dict, Optional

from dockermap.client.protocol import DockerClient

from ..exceptions import ContainerNotReady
from ..readiness import Readiness
from .events import EVENTS, Subscription
from .utils import container_log, wait_exit_code

#: How many lines of the container's log an error shows.
LOG_LINES = 10
_FIRST_POLL, _LONGEST_POLL = 0.05, 1.0
#: Longest sleep between two looks at a container while events arrive (a safety net for a lost event).
_LONGEST_QUIET = 10.0


def _last_lines(client: DockerClient, name: str) -> str:
    text = container_log(client, name, tail=LOG_LINES).rstrip()
    return f"last log lines:\n{text}" if text else "no log output"


def _health_output(state: Dict[str, Any]) -> str:
    checks = (state.get("Health") or {}).get("Log") or []
    if not checks:
        return "no healthcheck ran yet"
    last = checks[-1]
    return f"last healthcheck (exit code {last.get('ExitCode')}): {str(last.get('Output', '')).strip()}"


def _exited(state: Dict[str, Any]) -> Optional[str]:
    if state.get("Running") or state.get("Restarting"):
        return None
    return f"it exited with code {state.get('ExitCode')}"


def _healthy(client: DockerClient, name: str) -> Optional[str]:
    """``None`` while it is starting; ``''`` when healthy; otherwise why it never will be."""
    state = client.inspect_container(name)["State"]
    health = (state.get("Health") or {}).get("Status")
    if health is None:
        return "it has no healthcheck"
    if health == "healthy":
        return ""
    if health == "unhealthy":
        return f"it is unhealthy; {_health_output(state)}"
    exited = _exited(state)
    return f"{exited}; {_health_output(state)}" if exited else None


def _logged(client: DockerClient, name: str, pattern: re.Pattern) -> Optional[str]:
    """``''`` once a log line matches; ``None`` while it runs without one; why not when it stopped."""
    if any(pattern.search(line) for line in container_log(client, name).splitlines()):
        return ""
    exited = _exited(client.inspect_container(name)["State"])
    return f"{exited} without such a line; {_last_lines(client, name)}" if exited else None


def _wait_for(
    name: str,
    ready: Readiness,
    check: Callable[[], Optional[str]],
    detail: Callable[[], str],
    wake: Subscription,
) -> None:
    """Call ``check`` until it returns ``''`` (ready) or a reason (raised); between calls, sleep until
    ``wake`` is woken by an event, or back off while it is not live. Without a timeout it waits as long
    as the container neither meets nor fails its condition."""
    deadline = None if ready.timeout is None else time.monotonic() + ready.timeout
    interval = _FIRST_POLL
    while True:
        problem = check()
        if problem == "":
            return
        if problem is not None:
            raise ContainerNotReady(name, ready, problem)
        pause = _LONGEST_QUIET if wake.live else interval
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ContainerNotReady(name, ready, f"timed out; {detail()}")
            pause = min(pause, remaining)
        wake.wait(pause)
        if not wake.live:
            interval = min(interval * 2, _LONGEST_POLL)


def _await_healthy(client: DockerClient, name: str, ready: Readiness) -> None:
    with EVENTS.subscribe(client, name) as wake:
        _wait_for(
            name,
            ready,
            lambda: _healthy(client, name),
            lambda: _health_output(client.inspect_container(name)["State"]),
            wake,
        )


def _await_log(client: DockerClient, name: str, ready: Readiness) -> None:
    pattern = re.compile(str(ready.pattern))
    _wait_for(
        name,
        ready,
        lambda: _logged(client, name, pattern),
        lambda: _last_lines(client, name),
        Subscription(name),
    )


def _completed(client: DockerClient, name: str, ready: Readiness) -> None:
    code = wait_exit_code(client, name, ready.timeout)
    if code is None:
        raise ContainerNotReady(name, ready, f"timed out, it still runs; {_last_lines(client, name)}")
    if code != 0:
        raise ContainerNotReady(name, ready, f"it exited with code {code}; {_last_lines(client, name)}")


def wait_ready(client: DockerClient, name: str, ready: Readiness) -> None:
    """Return once the started container ``name`` meets ``ready``.

    :raises ContainerNotReady: when it fails the condition or the timeout passes first.
    """
    if ready.condition == "completed":
        _completed(client, name, ready)
    elif ready.condition == "healthy":
        _await_healthy(client, name, ready)
    elif ready.condition == "log":
        _await_log(client, name, ready)
