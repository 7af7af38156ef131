"""Compose documents whose entries remember where they were written.

Several files, included projects and extended services end up in one merged document; each mapping
entry and list item keeps the file and line it came from, so that a problem found after merging still
names the place of the offending value. The ``!reset`` and ``!override`` tags of an entry are kept
until the entry is merged. An item of a sequence tagged ``!reset`` is left out when the file is read,
as Docker Compose does (it does not remove an item of an earlier file); ``!override`` on an item
changes nothing.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Tuple

from dockermap.positions import KeyLines, Path

Place = Tuple[str, int]  # file, line
RESET = "!reset"
OVERRIDE = "!override"


class SourceMap(Dict[Any, Any]):
    """A mapping with the place of each entry and the merge tag (``!reset``, ``!override``) of some."""

    def __init__(self, place: Place) -> None:
        super().__init__()
        self.place = place
        self.places: Dict[Any, Place] = {}
        self.tags: Dict[Any, str] = {}

    def put(self, key: Any, value: Any, place: Place, tag: str = "") -> None:
        self[key] = value
        self.places[key] = place
        if tag:
            self.tags[key] = tag
        else:
            self.tags.pop(key, None)

    def drop(self, key: Any) -> None:
        self.pop(key, None)
        self.places.pop(key, None)
        self.tags.pop(key, None)

    def entries(self) -> Iterable[Tuple[Any, Any, Place]]:
        """``(key, value, place)`` of each entry, in order."""
        return [(key, value, self.places.get(key, self.place)) for key, value in self.items()]

    def clone(self) -> SourceMap:
        """A shallow copy, places and tags included."""
        copy = SourceMap(self.place)
        for key, value, place in self.entries():
            copy.put(key, value, place, self.tags.get(key, ""))
        return copy


class SourceList(List[Any]):
    """A sequence with the place of each item (``None``: the place of the sequence's key)."""

    def __init__(self, place: Place) -> None:
        super().__init__()
        self.place = place
        self.places: List[Optional[Place]] = []

    def add(self, value: Any, place: Optional[Place]) -> None:
        self.append(value)
        self.places.append(place)

    def entries(self) -> Iterable[Tuple[int, Any, Optional[Place]]]:
        return [(index, value, self.places[index]) for index, value in enumerate(self)]


class Tagged(NamedTuple):
    """A value written with a merge tag, as the YAML loader reads it (``!reset []``)."""

    tag: str
    value: Any


def located(value: Any, file: str, lines: KeyLines, path: Path = ()) -> Any:
    """``value`` (read from ``file``) with :class:`SourceMap` and :class:`SourceList` containers."""
    if isinstance(value, dict):
        mapping = SourceMap((file, lines.line(path)))
        for key, item in value.items():
            child = (*path, key)
            tag, item = (item.tag, item.value) if isinstance(item, Tagged) else ("", item)
            mapping.put(key, located(item, file, lines, child), (file, lines.line(child)), tag)
        return mapping
    if isinstance(value, list):
        sequence = SourceList((file, lines.line(path)))
        for index, item in enumerate(value):
            child = (*path, index)
            if isinstance(item, Tagged):
                if item.tag == RESET:
                    continue  # as in Compose: left out of its own sequence; earlier files' items stay
                item = item.value
            sequence.add(located(item, file, lines, child), (file, lines.line(child)))
        return sequence
    return value.value if isinstance(value, Tagged) else value


def settled(value: Any) -> Any:
    """``value`` without merge tags: entries tagged ``!reset`` are left out, ``!override`` ones kept."""
    if isinstance(value, SourceMap):
        result = SourceMap(value.place)
        for key, item, place in value.entries():
            if value.tags.get(key) != RESET:
                result.put(key, settled(item), place)
        return result
    if isinstance(value, SourceList):
        sequence = SourceList(value.place)
        for _, item, item_place in value.entries():
            sequence.add(settled(item), item_place)
        return sequence
    return value


def place_of(root: Any, path: Path) -> Optional[Place]:
    """The place of ``path`` in ``root``, or of its closest parent that has one."""
    place = getattr(root, "place", None)
    current = root
    for part in path:
        if isinstance(current, SourceMap) and part in current:
            place = current.places.get(part, current.place)
        elif isinstance(current, SourceList) and isinstance(part, int) and 0 <= part < len(current):
            place = current.places[part] or place
        else:
            break
        current = current[part]
    return place


class Places:
    """Where the values of a merged document come from (see :class:`~.exceptions.Problems`)."""

    def __init__(self, root: Any, default: Place) -> None:
        self.root = root
        self.default = default

    def place(self, path: Path) -> Place:
        return place_of(self.root, path) or self.default
