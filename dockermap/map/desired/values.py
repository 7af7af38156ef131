"""Value rules for the desired records: late resolution, option merging, users, byte sizes, limits."""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, MutableMapping, Optional

from dockermap.functional import resolve_value
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.input import NotSet
from dockermap.map.labels import canonical_json

#: Keys of ``create_options`` that replace the generated value instead of being merged into it.
REPLACED_KEYS = frozenset({"command", "entrypoint"})

_BYTE_UNITS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_BYTES = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([bkmg]?)b?\s*", re.IGNORECASE)
_BYTE_SIZE_KEYS = frozenset({"mem_limit", "mem_reservation", "memswap_limit", "kernel_memory"})


def is_set(value: Any) -> bool:
    """Whether a scalar setting was given: neither :data:`NotSet` nor ``None``."""
    return value is not NotSet and value is not None


def resolve_all(value: Any) -> Any:
    """``value`` with every lazy value resolved, at any depth; lists, tuples and dicts keep their type."""
    value = resolve_value(value)
    if isinstance(value, dict):
        return {resolve_value(key): resolve_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_all(item) for item in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(resolve_all(item) for item in value)
    return value


def update_kwargs(kwargs: MutableMapping[str, Any], *updates: Optional[Mapping[str, Any]]) -> None:
    """Merge option dicts into ``kwargs`` in place, by the rule every create call follows.

    Per key (``None`` values are skipped): ``command`` and ``entrypoint`` replace the current value; a
    list or tuple is merged into an existing list (duplicates dropped, order kept) or set as a list; a
    dict updates an existing dict or is set as a copy; anything else replaces the current value.
    Lazy values are resolved.
    """
    for update in updates:
        for key, value in (update or {}).items():
            value = resolve_all(value)
            if value is None:
                continue
            current = kwargs.get(key)
            if key in REPLACED_KEYS:
                kwargs[key] = value
            elif isinstance(value, (list, tuple)):
                merged = list(current) if isinstance(current, (list, tuple)) else []
                merged.extend(_new_items(merged, value))
                kwargs[key] = merged
            elif isinstance(value, dict):
                kwargs[key] = {**current, **value} if isinstance(current, dict) else dict(value)
            else:
                kwargs[key] = value


def _new_items(current: List[Any], items: Iterable[Any]) -> List[Any]:
    """Items not yet in ``current``, each once, in their order; compared as data (dicts work, and a tuple
    equals a list with the same items)."""
    seen = {canonical_json(item) for item in current}
    new: List[Any] = []
    for item in items:
        key = canonical_json(item)
        if key not in seen:
            seen.add(key)
            new.append(item)
    return new


def label_dict(labels: Any, location: str) -> Dict[str, str]:
    """User labels as a dict of strings; a list of names gives empty values."""
    if labels is None:
        return {}
    if isinstance(labels, Mapping):
        return {str(key): "" if value is None else str(value) for key, value in labels.items()}
    if isinstance(labels, (list, tuple)):
        return {str(key): "" for key in labels}
    raise MapConfigurationError(f"{location}: 'labels' must be a mapping or a list of label names.")


def extract_user(user: Any) -> Optional[str]:
    """The user part of a ``user`` setting as a string: ``2000`` → ``'2000'``, ``'app:grp'`` → ``'app'``.

    ``(user, group)`` pairs give the user; unset or empty values give ``None`` (``0`` is a user).
    """
    user = resolve_value(user)
    if isinstance(user, (tuple, list)):
        user = resolve_value(user[0]) if user else None
    if not is_set(user) or user == "" or user is False:
        return None
    return str(user).partition(":")[0]


def format_owner(user: Any) -> Optional[str]:
    """An owner for ``chown``: ``2000`` → ``'2000'``, ``('app', 'grp')`` → ``'app:grp'``, ``'a:b'`` as is."""
    user = resolve_value(user)
    if isinstance(user, (tuple, list)):
        return ":".join(str(resolve_value(part)) for part in user) or None
    if not is_set(user) or user == "" or user is False:
        return None
    return str(user)


def format_mode(permissions: Any) -> Optional[str]:
    """A mode for ``chmod``: strings as given (``'u=rwX,g=rX,o='``, ``'750'``); ints in octal (``0o750``)."""
    permissions = resolve_value(permissions)
    if not is_set(permissions) or permissions == "":
        return None
    if isinstance(permissions, int) and not isinstance(permissions, bool):
        return format(permissions, "o")
    return str(permissions)


def parse_bytes(value: Any) -> int:
    """A byte size as an int: ``512`` → ``512``, ``'64m'`` → ``67108864``, ``'1.5g'``, ``'10kb'``.

    :raises ValueError: for anything that is not a number with an optional ``b``/``k``/``m``/``g`` unit.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float):
        return int(value)
    match = _BYTES.fullmatch(value) if isinstance(value, str) else None
    if not match:
        raise MapConfigurationError(
            f"Invalid byte size {value!r}: expected a number with an optional unit b, k, m or g."
        )
    return int(float(match.group(1)) * _BYTE_UNITS[(match.group(2) or "b").lower()])


def normalise_restart_policy(value: Any) -> Dict[str, Any]:
    """``'always'`` or ``{'Name': ..., 'MaximumRetryCount': ...}`` as the engine reports it."""
    if isinstance(value, str):
        return {"Name": value, "MaximumRetryCount": 0}
    if isinstance(value, Mapping) and isinstance(value.get("Name"), str):
        return {"Name": value["Name"], "MaximumRetryCount": int(value.get("MaximumRetryCount") or 0)}
    raise MapConfigurationError(
        f"Invalid restart_policy {value!r}: expected a policy name or a dict with 'Name' and optional "
        "'MaximumRetryCount'."
    )


def normalise_updatable(key: str, value: Any) -> Any:
    """An in-place updatable host-config value in the form compared with the engine's."""
    if key in _BYTE_SIZE_KEYS:
        return parse_bytes(value)
    if key == "restart_policy":
        return normalise_restart_policy(value)
    return value
