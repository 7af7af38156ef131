"""Readiness conditions: when a started container counts as ready for the containers that depend on it.

A condition is written in a container configuration as ``ready`` (or given per call with the option
``ready``): a name, or a mapping with a timeout (``null`` waits without a time limit, as Docker Compose
waits for its ``depends_on`` conditions)::

    ready: healthy
    ready: {condition: completed, timeout: 300}
    ready: {condition: completed, timeout: null}
    ready: {log: 'listening on port \\d+', timeout: 30}

``started`` (the default) needs nothing more than the start; ``healthy`` waits for the container's
healthcheck to pass; ``completed`` waits for the container to exit with code 0 (a one-shot init or
migration container, not started again once it completed); ``log`` waits for a line of its output
matching a regular expression.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from dockermap.functional import lazy_type
from dockermap.map.exceptions import MapConfigurationError
from dockermap.records import record

#: The condition names; ``log`` is given as ``{log: pattern}``.
CONDITIONS = ("started", "healthy", "completed", "log")
#: Seconds a condition is waited for unless its ``timeout`` says otherwise.
DEFAULT_TIMEOUT = 60.0


@record(frozen=True)
class Readiness:
    """A container's readiness condition: ``condition`` (one of :data:`CONDITIONS`), the ``pattern`` of
    a ``log`` condition and the ``timeout`` in seconds (``None``: no time limit)."""

    condition: str = "started"
    pattern: Optional[str] = None
    timeout: Optional[float] = DEFAULT_TIMEOUT

    def __str__(self) -> str:
        what = f"a log line matching {self.pattern!r}" if self.condition == "log" else self.condition
        limit = "no time limit" if self.timeout is None else f"timeout {self.timeout:g} s"
        return f"{what} ({limit})"


#: The default condition: ready as soon as the engine started the container.
STARTED = Readiness()

_EXPECTED = (
    "'started', 'healthy', 'completed', or a mapping with 'condition' (or 'log': a regular expression) "
    "and optionally 'timeout' (seconds, or null for no time limit)"
)


def _timeout(value: Any, location: str) -> Optional[float]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < float("inf"):
        raise MapConfigurationError(
            f"{location}.timeout: expected a positive number of seconds, or null for no time limit, "
            f"got {value!r}"
        )
    return float(value)


def get_readiness(value: Any, location: str = "ready") -> Readiness:
    """The :class:`Readiness` written as ``value`` (a name, a mapping or a :class:`Readiness`).

    :raises ValueError: naming ``location`` when the value is not a condition.
    """
    if value is None:
        return STARTED
    if isinstance(value, Readiness):
        return value
    if isinstance(value, str):
        value = {"condition": value}
    if not isinstance(value, dict):
        raise MapConfigurationError(f"{location}: expected {_EXPECTED}, got {value!r}")
    unknown = set(value) - {"condition", "log", "timeout"}
    if unknown:
        raise MapConfigurationError(
            f"{location}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; expected {_EXPECTED}"
        )
    pattern = value.get("log")
    condition = value.get("condition", "log" if pattern is not None else "started")
    if condition not in CONDITIONS:
        raise MapConfigurationError(f"{location}: unknown condition {condition!r}; expected {_EXPECTED}")
    if (condition == "log") != (pattern is not None):
        raise MapConfigurationError(
            f"{location}: a log condition needs 'log' (a regular expression), and only it"
        )
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise MapConfigurationError(
                f"{location}.log: not a regular expression: {pattern!r} ({exc})"
            ) from None
    timeout = _timeout(value["timeout"], location) if "timeout" in value else DEFAULT_TIMEOUT
    return Readiness(condition, pattern, timeout)


def check_readiness(value: Any) -> Any:
    """Input function of the ``ready`` setting: checks the value and keeps it as written (lazy values are
    checked when the desired records are built)."""
    if not isinstance(value, lazy_type):
        get_readiness(value)
    return value
