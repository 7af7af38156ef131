"""Health checks and the duration strings they accept."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping
from typing import Any, Dict, List, Union

from .tuples import InputTuple, build, check_names
from .values import describe, invalid, is_lazy, is_text

#: Nanoseconds per duration unit.
_UNITS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_DURATION = re.compile(r"([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(ns|us|ms|s|m|h)?")
DURATION_FORMS = (
    "integer nanoseconds or a string such as '30s', '1.5m' or '500 ms' "
    "(units ns, us, ms, s, m, h; a bare number means ns)"
)
_TEST_PREFIXES = ("NONE", "CMD", "CMD-SHELL")
#: The shortest health-check duration the engine accepts (0 means its default).
MINIMUM_DURATION = 10**6


def get_nanoseconds(value: Any, owner: str = "duration") -> Any:
    """Convert a duration to integer nanoseconds; ``None`` stays ``None``, ``''`` is ``0``.

    Lazy values are kept for later resolution. ``owner`` names the value in error messages.
    """
    if value is None or is_lazy(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        if not value:
            return 0
        match = _DURATION.fullmatch(value.strip())
        if match:
            from decimal import Decimal  # exact fractions of a unit; imported when a text is read

            nanoseconds = Decimal(match.group(1)) * _UNITS[match.group(2) or "ns"]
            if nanoseconds == nanoseconds.to_integral_value():
                return int(nanoseconds)
            raise invalid(owner, value, DURATION_FORMS, "not a whole number of nanoseconds")
    raise invalid(owner, value, DURATION_FORMS)


def _duration(value: Any, owner: str) -> Any:
    """A health-check duration: 0 (the engine's default) or at least a millisecond, as the engine demands."""
    nanoseconds = get_nanoseconds(value, owner)
    if isinstance(nanoseconds, int) and 0 < nanoseconds < MINIMUM_DURATION:
        raise invalid(owner, value, DURATION_FORMS, "the engine accepts 0 (its default) or at least 1 ms")
    return nanoseconds


def _check_test(value: Any) -> Union[None, str, List[Any], Any]:
    if value is None or (isinstance(value, (str, list, tuple)) and (not value or value == "NONE")):
        return None
    if is_text(value):
        return value
    if isinstance(value, (list, tuple)):
        command = list(check_names("HealthCheck.test", value))
        if isinstance(command[0], str) and command[0] in _TEST_PREFIXES:
            return command
        return ["CMD", *command]
    raise ValueError(
        f"HealthCheck.test must be None, a shell command string, a lazy value or a command list; "
        f"got {describe(value)}"
    )


class HealthCheck(
    InputTuple,
    namedtuple(
        "HealthCheck",
        ("test", "interval", "timeout", "retries", "start_period"),
        defaults=(None, None, None, None),
    ),
):
    """A container health check; durations are integer nanoseconds.

    ``test``: ``None`` (also for ``'NONE'`` or empty) disables the image's check; a string runs in a shell;
    a list is a command, prefixed with ``'CMD'`` unless it starts with ``NONE``, ``CMD`` or ``CMD-SHELL``.
    """

    __slots__ = ()

    def __new__(
        cls,
        test: Any,
        interval: Any = None,
        timeout: Any = None,
        retries: Any = None,
        start_period: Any = None,
    ) -> HealthCheck:
        if not (
            retries is None or (isinstance(retries, int) and not isinstance(retries, bool) and retries >= 0)
        ):
            raise ValueError(
                f"HealthCheck.retries must be None or a non-negative integer; got {describe(retries)}"
            )
        return super().__new__(
            cls,
            _check_test(test),
            _duration(interval, "HealthCheck.interval"),
            _duration(timeout, "HealthCheck.timeout"),
            retries,
            _duration(start_period, "HealthCheck.start_period"),
        )

    def _asdict(self) -> Dict[str, Any]:
        """Fields as a dict, leaving out unset (falsy) fields except ``test``."""
        return {key: value for key, value in super()._asdict().items() if key == "test" or value}


_HEALTHCHECK_FORMS = (
    "a HealthCheck, a shell command string or lazy value, a list (test[, interval, timeout, retries, "
    "start_period]) whose test may itself be a command list, or a dict with test/interval/timeout/"
    "retries/start_period keys"
)


def get_healthcheck(value: Any) -> HealthCheck:
    """Convert a ``healthcheck`` configuration value to a :class:`HealthCheck`."""
    if isinstance(value, HealthCheck):
        return value
    try:
        if is_text(value):
            return HealthCheck(value)
        if isinstance(value, (list, tuple)):
            return build(HealthCheck, value)
        if isinstance(value, Mapping):
            return build(HealthCheck, (), value)
    except ValueError as exc:
        raise invalid("health check", value, _HEALTHCHECK_FORMS, str(exc)) from exc
    raise invalid("health check", value, _HEALTHCHECK_FORMS)
