"""The named tuples that configuration values are converted to.

Field order and defaults are part of the API; the tuples compare equal to plain tuples. Every
constructor checks (and where documented normalises) its fields, so a malformed value is reported as
a ``ValueError`` at construction time instead of failing later against the engine.
"""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any, Dict, Iterable, Optional, Sequence, Tuple, Type, TypeVar

from .values import ExecPolicy, ItemType, describe, is_lazy, is_read_only_text, is_text, read_only

T = TypeVar("T", bound=tuple)


class InputTuple(tuple):
    """Mixin for the input tuples: ``_make`` (and so ``_replace``) goes through the checking constructor."""

    __slots__ = ()

    if not TYPE_CHECKING:  # type checkers keep the named tuple's own ``_make``, of the same signature

        @classmethod
        def _make(cls, iterable: Iterable[Any]) -> Any:
            return cls(*iterable)


def build(cls: Type[T], args: Sequence[Any] = (), kwargs: Optional[Mapping] = None) -> T:
    """``cls(*args, **kwargs)`` with wrong arity or unknown/missing keys reported as ``ValueError``."""
    fields: Tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
    kwargs = dict(kwargs or {})
    expected = f"{cls.__name__} fields are {', '.join(fields)}"
    if len(args) > len(fields):
        raise ValueError(f"{len(args)} values given, {expected}")
    unknown = [key for key in kwargs if not isinstance(key, str) or key not in fields]
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(map(describe, unknown))}; {expected}")
    twice = [key for key in fields[: len(args)] if key in kwargs]
    if twice:
        raise ValueError(f"{', '.join(twice)} given twice; {expected}")
    missing = [
        key
        for key in fields[len(args) :]
        if key not in kwargs and key not in cls._field_defaults  # type: ignore[attr-defined]
    ]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}; {expected}")
    return cls(*args, **kwargs)


def _fail(owner: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"{owner} must be {expected}; got {describe(value)}")


def check_name(owner: str, value: Any) -> Any:
    """A required name or path: a non-empty string, a lazy value or a value of a registered type."""
    if (isinstance(value, str) and value) or is_lazy(value):
        return value
    raise _fail(owner, "a non-empty string or a lazy value", value)


def check_optional_name(owner: str, value: Any) -> Any:
    """An optional name or path: ``None`` or anything :func:`check_name` accepts (also ``''``)."""
    if value is None or is_text(value):
        return value
    raise _fail(owner, "None, a string or a lazy value", value)


def check_names(owner: str, values: Sequence[Any]) -> Sequence[Any]:
    """Every item of ``values`` passes :func:`check_name`."""
    for item in values:
        check_name(f"each item of {owner}", item)
    return values


def check_readonly(owner: str, value: Any) -> bool:
    """A read-only flag: a bool (or int, or ``None``), ``'ro'``/``'true'`` or ``'rw'``/``'false'``;
    returned as a bool."""
    if value is None or isinstance(value, int) or is_read_only_text(value):
        return read_only(value)
    raise _fail(owner, "a bool, 'ro'/'true' or 'rw'/'false'", value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


_PORT = re.compile(r"([0-9]+)(?:-([0-9]+))?(?:/(?:tcp|udp|sctp))?", re.IGNORECASE)


def _is_port(value: Any, lowest: int = 1) -> bool:
    """A port number, or a string such as ``'53/udp'`` or ``'8000-8010'``, in ``lowest``..65535."""
    if _is_int(value):
        return lowest <= value <= 65535
    match = _PORT.fullmatch(value) if isinstance(value, str) else None
    return match is not None and all(
        lowest <= int(number) <= 65535 for number in match.groups() if number is not None
    )


def _check_enum(owner: str, enum: Type[Enum], value: Any) -> Any:
    if isinstance(value, enum):
        return value
    choices = [member.value for member in enum]
    if isinstance(value, str) and value in choices:
        return enum(value)
    raise _fail(owner, f"an {enum.__name__} or one of {', '.join(map(repr, choices))}", value)


def _is_instance(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_instance_tuple(value: Any) -> bool:
    return isinstance(value, tuple) and all(map(_is_instance, value))


def get_instance_names(value: Any, owner: str = "instance names") -> Optional[Tuple[Optional[str], ...]]:
    """Normalise instance names: falsy → ``None``, list/tuple → tuple, a string → 1-tuple."""
    if value is None or (isinstance(value, (str, list, tuple)) and not value):
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(map(_is_instance, value)):
        return tuple(value)
    raise _fail(owner, "None, an instance name or a list/tuple of instance names", value)


def _with_enum_value(mapping: Dict[str, Any], key: str) -> Dict[str, Any]:
    mapping[key] = mapping[key].value
    return mapping


class SharedVolume(InputTuple, namedtuple("SharedVolume", ("name", "readonly"), defaults=(False,))):
    """A volume referenced by alias (bind with a host path from ``host``, attached or used volume)."""

    __slots__ = ()

    def __new__(cls, name: Any, readonly: Any = False) -> SharedVolume:
        return super().__new__(
            cls, check_name("SharedVolume.name", name), check_readonly("SharedVolume.readonly", readonly)
        )


def _check_host_path(value: Any) -> Any:
    if isinstance(value, Mapping):
        if value and all(isinstance(key, str) and is_text(path) for key, path in value.items()):
            return value
    elif (isinstance(value, str) and value) or is_lazy(value):
        return value
    raise _fail("HostVolume.host_path", "a path, a lazy value or a non-empty dict {instance: path}", value)


class HostVolume(InputTuple, namedtuple("HostVolume", ("path", "host_path", "readonly"), defaults=(False,))):
    """A bind of ``host_path`` (or a dict of per-instance host paths) into the container at ``path``."""

    __slots__ = ()

    def __new__(cls, path: Any, host_path: Any, readonly: Any = False) -> HostVolume:
        return super().__new__(
            cls,
            check_name("HostVolume.path", path),
            _check_host_path(host_path),
            check_readonly("HostVolume.readonly", readonly),
        )


class UsedVolume(InputTuple, namedtuple("UsedVolume", ("name", "path", "readonly"), defaults=(None, False))):
    """A named volume mounted at ``path`` (``None``: the path configured for that volume)."""

    __slots__ = ()

    def __new__(cls, name: Any, path: Any = None, readonly: Any = False) -> UsedVolume:
        return super().__new__(
            cls,
            check_name("UsedVolume.name", name),
            check_optional_name("UsedVolume.path", path),
            check_readonly("UsedVolume.readonly", readonly),
        )


class ContainerLink(InputTuple, namedtuple("ContainerLink", ("container", "alias"), defaults=(None,))):
    """A link to another container, optionally under an alias."""

    __slots__ = ()

    def __new__(cls, container: Any, alias: Any = None) -> ContainerLink:
        return super().__new__(
            cls,
            check_name("ContainerLink.container", container),
            check_optional_name("ContainerLink.alias", alias),
        )


class PortBinding(
    InputTuple,
    namedtuple(
        "PortBinding", ("exposed_port", "host_port", "interface", "ipv6"), defaults=(None, None, False)
    ),
):
    """An exposed container port, optionally published on a host port and interface (IPv4 or IPv6)."""

    __slots__ = ()

    def __new__(
        cls, exposed_port: Any, host_port: Any = None, interface: Any = None, ipv6: Any = False
    ) -> PortBinding:
        if not _is_port(exposed_port):
            raise _fail(
                "PortBinding.exposed_port", "a port (1-65535) or a string such as '53/udp'", exposed_port
            )
        if not (host_port is None or _is_port(host_port, lowest=0) or is_lazy(host_port)):
            raise _fail(
                "PortBinding.host_port",
                "None, a port (0-65535) or a string such as '8000-8010', or a lazy value",
                host_port,
            )
        if not (ipv6 is None or isinstance(ipv6, bool) or is_lazy(ipv6)):
            raise _fail("PortBinding.ipv6", "a bool or a lazy value", ipv6)
        return super().__new__(
            cls, exposed_port, host_port, check_optional_name("PortBinding.interface", interface), ipv6
        )


def _check_command(value: Any) -> Any:
    if isinstance(value, (list, tuple)) and value:
        return check_names("ExecCommand.cmd", value)
    return check_name("ExecCommand.cmd", value)


class ExecCommand(
    InputTuple, namedtuple("ExecCommand", ("cmd", "user", "policy"), defaults=(None, ExecPolicy.RESTART))
):
    """A command run in a started container; ``cmd`` is a shell string or a list (exec form)."""

    __slots__ = ()

    def __new__(cls, cmd: Any, user: Any = None, policy: Any = ExecPolicy.RESTART) -> ExecCommand:
        if not (user is None or is_text(user) or _is_int(user)):
            raise _fail("ExecCommand.user", "None, a user name or id or a lazy value", user)
        return super().__new__(
            cls, _check_command(cmd), user, _check_enum("ExecCommand.policy", ExecPolicy, policy)
        )

    def _asdict(self) -> Dict[str, Any]:
        """Fields as a dict; the policy as its value string."""
        return _with_enum_value(super()._asdict(), "policy")


def _check_config_id(owner: str, config_type: Any, map_name: Any, config_name: Any) -> Tuple[Any, Any, Any]:
    if not (map_name is None or (isinstance(map_name, str) and map_name)):
        raise _fail(f"{owner}.map_name", "None or a map name", map_name)
    if not (isinstance(config_name, str) and config_name):
        raise _fail(f"{owner}.config_name", "a configuration name", config_name)
    return _check_enum(f"{owner}.config_type", ItemType, config_type), map_name, config_name


class MapConfigId(
    InputTuple,
    namedtuple("MapConfigId", ("config_type", "map_name", "config_name", "instance_name"), defaults=(None,)),
):
    """One configured item: its type, map, configuration and instance (``None``: the default instance).

    During id expansion ``instance_name`` may temporarily hold a tuple of instance names.
    """

    __slots__ = ()

    def __new__(
        cls, config_type: Any, map_name: Any, config_name: Any, instance_name: Any = None
    ) -> MapConfigId:
        if not (_is_instance(instance_name) or _is_instance_tuple(instance_name)):
            raise _fail(
                "MapConfigId.instance_name", "None, an instance name or a tuple of them", instance_name
            )
        return super().__new__(
            cls, *_check_config_id("MapConfigId", config_type, map_name, config_name), instance_name
        )

    def _asdict(self) -> Dict[str, Any]:
        """Fields as a dict; the item type as its value string."""
        return _with_enum_value(super()._asdict(), "config_type")


class InputConfigId(
    InputTuple,
    namedtuple(
        "InputConfigId", ("config_type", "map_name", "config_name", "instance_names"), defaults=(None,)
    ),
):
    """An item selected for an action; ``instance_names`` is a tuple, or ``None`` for the defaults."""

    __slots__ = ()

    def __new__(
        cls, config_type: Any, map_name: Any, config_name: Any, instance_names: Any = None
    ) -> InputConfigId:
        return super().__new__(
            cls,
            *_check_config_id("InputConfigId", config_type, map_name, config_name),
            get_instance_names(instance_names, "InputConfigId.instance_names"),
        )

    def _asdict(self) -> Dict[str, Any]:
        """Fields as a dict; the item type as its value string."""
        return _with_enum_value(super()._asdict(), "config_type")
