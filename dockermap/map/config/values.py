"""Input and merge functions for configuration properties that are not covered by the input types.

Every input function accepts the value as written in a map and returns it converted, or raises a
``ValueError`` that shows the value and the accepted forms.
"""

from __future__ import annotations

import math
import re
import reprlib
from typing import Any, Callable, List, Tuple

from dockermap.functional import lazy_type, uses_type_registry
from dockermap.map import DictMap
from dockermap.map.input import MapConfigId, NotSet, get_list

_short = reprlib.Repr()
_short.maxstring = _short.maxother = 80


def is_lazy(value: Any) -> bool:
    """Whether ``value`` is resolved later: a lazy object or a value of a registered type."""
    return isinstance(value, lazy_type) or uses_type_registry(value)


def invalid(what: str, value: Any, expected: str) -> ValueError:
    """The error for a malformed value: what it is, the value itself and the accepted forms."""
    return ValueError(f"Invalid {what} {_short.repr(value)}: expected {expected}.")


def scalar(what: str, expected: str, *types: type) -> Callable[[Any], Any]:
    """Input function for a single value of one of ``types`` (a bool only if ``bool`` is listed).

    ``None`` (an empty value in YAML) and lazy values are accepted as well.
    """

    def convert(value: Any) -> Any:
        if value is None or value is NotSet or is_lazy(value):
            return value
        if isinstance(value, types) and (bool in types or not isinstance(value, bool)):
            return value
        raise invalid(what, value, f"{expected}, or a lazy value")

    return convert


def choice(what: str, values: Tuple[str, ...]) -> Callable[[Any], Any]:
    """Input function for one of ``values`` (or unset)."""
    expected = " or ".join(repr(value) for value in values)
    check = scalar(what, expected, str)

    def convert(value: Any) -> Any:
        value = check(value)
        if isinstance(value, str) and value not in values:
            raise invalid(what, value, expected)
        return value

    return convert


def seconds(what: str, integer: bool = False) -> Callable[[Any], Any]:
    """Input function for a delay or timeout: a finite, non-negative number of seconds.

    With ``integer`` (the engine takes whole seconds), a float must be whole and becomes an int.
    ``None`` and lazy values are accepted as well.
    """
    expected = "a whole number of seconds (0 or more)" if integer else "a number of seconds (0 or more)"

    def convert(value: Any) -> Any:
        if value is None or value is NotSet or is_lazy(value):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if math.isfinite(value) and value >= 0 and not (integer and value != int(value)):
                return int(value) if integer else value
        raise invalid(what, value, f"{expected}, or a lazy value")

    return convert


def optional(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert``, but ``None`` (an empty value in YAML) stays ``None``."""
    return lambda value: None if value is None else convert(value)


_IMAGE = re.compile(r"/?[^\s:/@]\S*")


def get_image_ref(value: Any) -> Any:
    """Input function of ``image``: an image name with optional registry and tag, no spaces."""
    if value is None or is_lazy(value) or (isinstance(value, str) and _IMAGE.fullmatch(value)):
        return value
    raise invalid(
        "image", value, "an image name such as 'nginx', 'nginx:1.25' or 'registry:5000/app', or a lazy value"
    )


def _input_list(value: Any) -> List[Any]:
    # An input value as a list (``get_list``); input values are never ``NotSet``.
    items = get_list(value)
    if isinstance(items, list):
        return items
    raise invalid("list value", value, "a list")


def name_list(what: str) -> Callable[[Any], List[Any]]:
    """Input function for a list of names: a name or a list of names (non-empty strings)."""

    def convert(value: Any) -> List[Any]:
        items = _input_list(value)
        for item in items:
            if not (isinstance(item, str) and item):
                raise invalid(what, item, "a name (a non-empty string; quote numbers in YAML)")
        return items

    return convert


def text_list(what: str) -> Callable[[Any], List[Any]]:
    """Input function for a list of strings that may also be lazy values (e.g. paths)."""

    def convert(value: Any) -> List[Any]:
        items = _input_list(value)
        for item in items:
            if not ((isinstance(item, str) and item) or is_lazy(item)):
                raise invalid(what, item, "a non-empty string or a lazy value")
        return items

    return convert


def mapping(what: str) -> Callable[[Any], Any]:
    """Input function for a dict of options (``None`` means empty)."""

    def convert(value: Any) -> Any:
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        raise invalid(what, value, "a mapping of option names to values")

    return convert


def get_groups(value: Any) -> DictMap:
    """Convert ``groups``: group name → list of ``'config'``, ``'config.instance'`` or ``MapConfigId``."""
    if value is None:
        return DictMap()
    if not isinstance(value, dict):
        raise invalid("groups", value, "a mapping of group names to lists of container names")
    groups = DictMap()
    for name, members in value.items():
        if not (isinstance(name, str) and name):
            raise invalid("group name", name, "a non-empty string")
        try:
            items = _input_list(members)
        except ValueError:
            raise invalid(f"members of group {name!r}", members, "a name or a list of names") from None
        for item in items:
            if not ((isinstance(item, str) and item) or isinstance(item, MapConfigId)):
                raise invalid(
                    f"member of group {name!r}", item, "'config', 'config.instance' or a MapConfigId"
                )
        groups[name] = items
    return groups


def merge_first(current: List[Any], updates: List[Any]) -> None:
    """Merge tuples keyed by their first field: matching items are replaced in place, others appended."""
    pending: List[Any] = []
    for item in updates:
        for index, seen in enumerate(pending):
            if seen[0] == item[0]:
                pending[index] = item
                break
        else:
            pending.append(item)
    for index, item in enumerate(current):
        for update in pending:
            if update[0] == item[0]:
                current[index] = update
                pending.remove(update)
                break
    current.extend(pending)


def merge_unique(current: List[Any], items: List[Any]) -> None:
    """Append every item not yet present (by equality, so unhashable items such as exec forms work)."""
    for item in items:
        if item not in current:
            current.append(item)
