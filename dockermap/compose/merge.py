"""Compose's merge rules: a later file over an earlier one, a service over the service it extends.

Mappings are merged key by key. Sequences are appended, leaving out entries already there; ``ports``,
``expose``, ``volumes``, ``secrets`` and ``configs`` entries that target the same port or path replace
the earlier one. ``command``, ``entrypoint`` and ``healthcheck.test`` are replaced. ``environment``,
``labels``, ``sysctls``, ``extra_hosts`` (and other keyed lists) are merged as mappings whatever their
syntax; so are ``depends_on`` and ``networks``. An entry tagged ``!reset`` removes the earlier value,
one tagged ``!override`` replaces it without merging.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Tuple

from dockermap.positions import Path

from .ports import published_port_key
from .tree import OVERRIDE, RESET, SourceList, SourceMap, settled

_NAMED_SECTIONS = ("services", "volumes", "networks", "secrets", "configs")
Rule = Callable[[Any, Any, Path], Any]


def _pattern(path: Path) -> Tuple[Any, ...]:
    """``path`` with the name of a service, volume or network as ``*``."""
    if len(path) > 1 and path[0] in _NAMED_SECTIONS:
        return (path[0], "*", *path[2:])
    return tuple(path)


def _replace(_base: Any, over: Any, _path: Path) -> Any:
    return settled(over)


def _items(value: Any) -> SourceList:
    """A sequence value as a list; a single string (``dns: 1.1.1.1``) is a list of one."""
    if isinstance(value, SourceList):
        return value
    items = SourceList(("", 0))
    if value is not None:
        items.add(value, None)
    return items


def _keyed(key: Callable[[Any], Any]) -> Rule:
    """Append the entries of ``over``; one with the key of an earlier entry takes that entry's place."""

    def merge_items(base: Any, over: Any, path: Path) -> Any:
        result = SourceList(_items(base).place)
        positions: Dict[Any, int] = {}
        for source in (_items(base), _items(over)):
            for _, item, place in source.entries():
                item_key = _safe_key(key, item)
                if item_key in positions:
                    index = positions[item_key]
                    result[index] = (
                        merge(result[index], item, (*path, index))
                        if isinstance(item, SourceMap)
                        else settled(item)
                    )
                    result.places[index] = place
                else:
                    positions[item_key] = len(result)
                    result.add(settled(item), place)
        return result

    return merge_items


def _safe_key(key: Callable[[Any], Any], item: Any) -> Any:
    """The key of ``item``; a malformed item is its own key (the translation reports it)."""
    try:
        return key(item)
    except (ValueError, TypeError, AttributeError):
        return repr(item)


def _target(entry: Any) -> Any:
    """The container path of a ``volumes`` entry (``[source:]target[:mode]`` or long syntax)."""
    if isinstance(entry, dict):
        return entry["target"]
    parts = str(entry).split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _secret_target(entry: Any) -> Any:
    return entry.get("target") or entry["source"] if isinstance(entry, dict) else str(entry)


def _exposed(entry: Any) -> str:
    text = str(entry)
    return text if "/" in text else f"{text}/tcp"


def _as_mapping(separators: str) -> Rule:
    """Merge values given as mappings or as lists of ``KEY<separator>VALUE`` entries, as mappings."""

    def mapping_of(value: Any) -> Any:
        if not isinstance(value, SourceList):
            return value
        mapping = SourceMap(value.place)
        for _, item, place in value.entries():
            entry = str(item)
            separator = next((char for char in separators if char in entry), separators[0])
            key, found, text = entry.partition(separator)
            mapping.put(key, text if found else None, place or value.place)
        return mapping

    def merge_mappings(base: Any, over: Any, path: Path) -> Any:
        base, over = mapping_of(base), mapping_of(over)
        if isinstance(base, SourceMap) and isinstance(over, SourceMap):
            return _merge_maps(base, over, path, keep_base_on_null=False)
        return settled(over)

    return merge_mappings


def _named(default: Any) -> Rule:
    """``depends_on`` and ``networks``: a list of names or a mapping of names to settings."""

    def merge_named(base: Any, over: Any, path: Path) -> Any:
        if isinstance(base, SourceList) and isinstance(over, SourceList):
            return _keyed(str)(base, over, path)
        base, over = _named_mapping(base, default), _named_mapping(over, default)
        if isinstance(base, SourceMap) and isinstance(over, SourceMap):
            return _merge_maps(base, over, path, keep_base_on_null=True)
        return settled(over)

    return merge_named


def _named_mapping(value: Any, default: Any) -> Any:
    if not isinstance(value, SourceList):
        return value
    mapping = SourceMap(value.place)
    for _, item, place in value.entries():
        mapping.put(str(item), _default_copy(default, place or value.place), place or value.place)
    return mapping


def _default_copy(default: Optional[Dict[str, str]], place: Tuple[str, int]) -> Any:
    if default is None:
        return None
    settings = SourceMap(place)
    for key, value in default.items():
        settings.put(key, value, place)
    return settings


_RULES: Dict[Tuple[Any, ...], Rule] = {
    ("services", "*", "command"): _replace,
    ("services", "*", "entrypoint"): _replace,
    ("services", "*", "healthcheck", "test"): _replace,
    ("services", "*", "ports"): _keyed(published_port_key),
    ("services", "*", "expose"): _keyed(_exposed),
    ("services", "*", "volumes"): _keyed(_target),
    ("services", "*", "secrets"): _keyed(_secret_target),
    ("services", "*", "configs"): _keyed(_secret_target),
    ("services", "*", "environment"): _as_mapping("="),
    ("services", "*", "labels"): _as_mapping("="),
    ("services", "*", "annotations"): _as_mapping("="),
    ("services", "*", "sysctls"): _as_mapping("="),
    ("services", "*", "extra_hosts"): _as_mapping("=:"),
    ("services", "*", "build", "args"): _as_mapping("="),
    ("services", "*", "build", "labels"): _as_mapping("="),
    ("services", "*", "deploy", "labels"): _as_mapping("="),
    ("services", "*", "depends_on"): _named({"condition": "service_started"}),
    ("services", "*", "networks"): _named(None),
    ("volumes", "*", "labels"): _as_mapping("="),
    ("networks", "*", "labels"): _as_mapping("="),
}


def _merge_maps(base: SourceMap, over: SourceMap, path: Path, keep_base_on_null: bool = True) -> SourceMap:
    result = settled(base)
    for key, value, place in over.entries():
        tag = over.tags.get(key)
        if tag == RESET:
            result.drop(key)
        elif tag == OVERRIDE or key not in result:
            result.put(key, settled(value), place)
        elif value is None and keep_base_on_null:
            continue
        else:
            earlier = result[key]
            merged = merge(earlier, value, (*path, key))
            kept = isinstance(merged, (SourceMap, SourceList)) and isinstance(earlier, type(merged))
            result.put(key, merged, result.places[key] if kept else place)
    return result


def merge(base: Any, over: Any, path: Path = ()) -> Any:
    """``over`` merged over ``base``; ``path`` (keys from the document's root) selects the rule."""
    rule = _RULES.get(_pattern(path))
    if rule is not None:
        return rule(base, over, path)
    if isinstance(base, SourceMap) and isinstance(over, SourceMap):
        return _merge_maps(base, over, path)
    sequences = isinstance(base, SourceList) or isinstance(over, SourceList)
    if sequences and not isinstance(base, SourceMap) and not isinstance(over, SourceMap):
        return _keyed(repr)(base, over, path)
    return settled(over)
