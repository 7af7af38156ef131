"""Enums, the ``NotSet`` marker, value predicates, error messages and the scalar input helpers."""

from __future__ import annotations

import reprlib
from typing import Any, List, Optional, Tuple, Union

from dockermap.functional import lazy_type, uses_type_registry
from dockermap.map import SimpleEnum

#: Prefix that marks a relative path (see :func:`is_path`).
CURRENT_DIR = "./"


class ExecPolicy(SimpleEnum):
    """When an exec command runs: on every (re)start of the container, only after it was created, or on
    every (re)start and whenever ``update`` finds it no longer running (a command meant to stay running).
    """

    RESTART = "restart"
    INITIAL = "initial"
    KEEP_RUNNING = "keep_running"


class CmdCheck(SimpleEnum):
    """How strictly the command of an existing container is compared with its configuration."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class ItemType(SimpleEnum):
    """Kind of engine object a configuration describes."""

    CONTAINER = "container"
    VOLUME = "volume"
    NETWORK = "network"
    IMAGE = "image"


EXEC_POLICY_RESTART = ExecPolicy.RESTART
EXEC_POLICY_INITIAL = ExecPolicy.INITIAL


class _NotSet:
    """Type of :data:`NotSet`; every instance is the same singleton, so pickling and copying keep it."""

    __slots__ = ()
    _instance = None

    def __new__(cls) -> _NotSet:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _NotSet)

    def __ne__(self, other: object) -> bool:
        return not isinstance(other, _NotSet)

    def __hash__(self) -> int:
        return hash(_NotSet)

    def __repr__(self) -> str:
        return "<Value not set>"

    def __str__(self) -> str:
        return "Not set"

    def __reduce__(self) -> str:
        return "NotSet"


#: Default of scalar configuration properties that were never assigned (falsy, unlike any real value).
NotSet = _NotSet()

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 120
_short.maxlist = _short.maxtuple = _short.maxdict = _short.maxset = 10
_short.maxlevel = 4


def describe(value: Any) -> str:
    """A repr of ``value`` short enough for an error message."""
    return _short.repr(value)


def invalid(what: str, value: Any, expected: str, detail: str = "") -> ValueError:
    """The error for a malformed input: names what it was, shows the value and lists the accepted forms."""
    reason = f" ({detail})" if detail else ""
    return ValueError(f"Invalid {what} {describe(value)}{reason}: expected {expected}.")


def is_lazy(value: Any) -> bool:
    """Whether ``value`` is resolved later: a lazy object or a value of a registered type."""
    return isinstance(value, lazy_type) or uses_type_registry(value)


def is_text(value: Any) -> bool:
    """Whether ``value`` can stand where a name or path is expected: a string or a late-resolved value."""
    return isinstance(value, str) or is_lazy(value)


def is_path(value: Any) -> bool:
    """Whether ``value`` is a path rather than an alias: a string starting with ``/`` or ``./``."""
    return isinstance(value, str) and value.startswith(("/", CURRENT_DIR))


#: Strings accepted as read-only flags (in any case) and what they mean.
READ_ONLY_TEXTS = {"ro": True, "rw": False, "true": True, "false": False}


def is_read_only_text(value: Any) -> bool:
    """Whether ``value`` is one of the strings of :data:`READ_ONLY_TEXTS`."""
    return isinstance(value, str) and value.lower() in READ_ONLY_TEXTS


def read_only(value: Any) -> bool:
    """Read-only flag of a volume: ``'ro'``/``'true'`` and ``'rw'``/``'false'`` (in any case) mean what
    they say; any other value counts by its truth."""
    if is_read_only_text(value):
        return READ_ONLY_TEXTS[value.lower()]
    return bool(value)


def bool_if_set(value: Any) -> Any:
    """``bool(value)``, but :data:`NotSet` stays :data:`NotSet` so that "not configured" remains visible."""
    return value if value is NotSet else bool(value)


def get_list(value: Any) -> Union[List[Any], _NotSet]:
    """Normalise a list-typed property: ``None`` → ``[]``, a sequence → list, a single value → 1-list."""
    if value is None:
        return []
    if value is NotSet:
        return NotSet
    if isinstance(value, (list, tuple)):
        return list(value)
    if is_text(value):
        return [value]
    raise invalid(
        "list value", value, "None, a list or tuple, a string, a lazy value or a value of a registered type"
    )


_CONTAINER_MODE = "container:"
_NETWORK_MODE_FORMS = (
    "None, 'disabled', 'none', 'host', 'bridge', 'container:<name>', '/<container name>', "
    "'<config>', '<config>.<instance>' or a (config, instance) pair"
)


def get_network_mode(value: Any) -> Union[str, Tuple[str, Optional[str]]]:
    """Normalise ``network_mode``: a preset mode or container reference string, or ``(config, instance)``.

    A tuple means "share the network stack of that configuration (instance) on the same map".
    """
    if (
        value is None
        or value is NotSet
        or (isinstance(value, (str, bool, int, list, tuple, dict)) and not value)
    ):
        return "none"
    if isinstance(value, (list, tuple)):
        if len(value) == 2 and _is_name(value[0]) and (value[1] is None or isinstance(value[1], str)):
            return value[0], value[1] or None
    elif isinstance(value, str):
        if value in ("host", "bridge", "none"):
            return value
        if value == "disabled":
            return "none"
        if value.startswith(_CONTAINER_MODE):
            if len(value) > len(_CONTAINER_MODE):
                return value
        elif value.startswith("/"):
            if len(value) > 1:
                return f"{_CONTAINER_MODE}{value[1:]}"
        else:
            config, _, instance = value.partition(".")
            if config:
                return config, instance or None
    raise invalid("network mode", value, _NETWORK_MODE_FORMS)


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
