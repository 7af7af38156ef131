"""Generic dependency resolution: which items must come before an item, in a usable order.

A resolver stores, for every item, its direct *parents* (the items it depends on, or for the reverse
resolvers the items that depend on it). :meth:`BaseDependencyResolver.get_dependencies` returns all
transitive parents of an item in a fixed order: the resolutions of the direct parents, one after
another, then the direct parents themselves; every item appears once, at its first position. So
dependencies always come before the items that need them.

How it scales: one resolution walks the graph with an explicit stack (no recursion, so chains of any
length work) and visits every reachable item once, writing results into an append-only log. The result
of every item whose complete resolution forms one contiguous stretch of that log is cached as a view of
it; a later resolution that starts with such a cached result continues the same log instead of copying
it. Resolving every item of a long chain therefore costs little more than copying the returned lists.
Any cycle, direct or through other items, raises :class:`CircularDependency` naming the loop.
"""

from __future__ import annotations

import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Callable, Dict, Hashable, Iterable, Iterator, List, Optional, Tuple, TypeVar

from dockermap.exceptions import CircularDependency as CircularDependency

#: Position used when a resolution contains no items at all.
_Item = TypeVar("_Item", bound=Hashable)
_NO_POSITION = sys.maxsize


class _NotInitializedType:
    """Type of the :data:`NotInitialized` sentinel."""

    def __repr__(self) -> str:
        return "NotInitialized"

    def __reduce__(self) -> str:
        return "NotInitialized"


#: Marks a dependency list that has not been computed yet.
NotInitialized = _NotInitializedType()


class _Log:
    """Append-only list of resolved items, with the position of each item for fast lookups."""

    __slots__ = ("items", "positions")

    def __init__(self, items: Iterable[Any] = ()) -> None:
        self.items: List[Any] = list(items)
        self.positions: Dict[Any, int] = {item: index for index, item in enumerate(self.items)}

    def add(self, item: Any) -> int:
        """Append ``item`` unless present; return its position."""
        position = self.positions.get(item)
        if position is None:
            position = self.positions[item] = len(self.items)
            self.items.append(item)
        return position


class _LogView(Sequence):
    """Read-only view of a stretch of a :class:`_Log`: the cached resolution of one item."""

    __slots__ = ("_log", "_start", "_stop")

    def __init__(self, log: _Log, start: int, stop: int) -> None:
        self._log = log
        self._start = start
        self._stop = stop

    def __len__(self) -> int:
        return self._stop - self._start

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return self.to_list()[index]
        return self._log.items[range(self._start, self._stop)[index]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.to_list())

    def __repr__(self) -> str:
        return repr(self.to_list())

    def to_list(self) -> List[Any]:
        """Copy the items into a new list."""
        return self._log.items[self._start : self._stop]

    def whole_log(self) -> Optional[_Log]:
        """The underlying log if the view covers all of it (so it may be continued), else ``None``."""
        if self._start == 0 and self._stop == len(self._log.items):
            return self._log
        return None


class CachedDependency:
    """An item's direct parents and, once resolved, its cached complete dependencies.

    ``dependencies`` is :data:`NotInitialized` or a read-only sequence.
    """

    __slots__ = ("_parent", "_parent_set", "dependencies")

    def __init__(self, parent: Iterable[Any] = (), dependencies: Any = NotInitialized) -> None:
        self._parent: List[Any] = []
        self._parent_set: set = set()
        self.add_parents(parent)
        self.dependencies = dependencies

    @property
    def parent(self) -> List[Any]:
        """Direct parents, in the order they were added (do not modify; use :meth:`add_parents`)."""
        return self._parent

    def add_parents(self, items: Iterable[Any]) -> None:
        """Append parents that are not present yet."""
        for item in items:
            if item not in self._parent_set:
                self._parent_set.add(item)
                self._parent.append(item)


class _Frame:
    """One item being resolved: its parents, the next parent to look at, and where its results start."""

    __slots__ = ("item", "parents", "next", "start", "low")

    def __init__(self, item: Any, parents: List[Any], start: int) -> None:
        self.item = item
        self.parents = parents
        self.next = 0
        self.start = start
        # Lowest log position of any item in this item's resolution found so far.
        self.low = _NO_POSITION


def dependency_order(roots: Iterable[_Item], parents_of: Callable[[_Item], Iterable[_Item]]) -> List[_Item]:
    """``roots`` with everything they depend on, each once, every item after its parents.

    ``parents_of(item)`` gives the direct parents. Depth-first, without recursion: every reachable item
    is visited once, so the cost is linear however deep the graph (concatenating the resolution of
    each item would copy a chain's dependencies again for every item of it).

    :raises CircularDependency: if an item on the way depends on itself, naming the loop.
    """
    ordered: Dict[_Item, None] = {}
    for root in roots:
        if root in ordered:
            continue
        on_path = {root: 0}
        stack = [(root, iter(parents_of(root)))]
        while stack:
            item, parents = stack[-1]
            for parent in parents:
                if parent == item:
                    raise CircularDependency(parent, True)
                if parent in on_path:
                    cycle = [frame_item for frame_item, _ in stack[on_path[parent] :]]
                    raise CircularDependency(parent, cycle=[*cycle, parent])
                if parent not in ordered:
                    on_path[parent] = len(stack)
                    stack.append((parent, iter(parents_of(parent))))
                    break
            else:
                stack.pop()
                del on_path[item]
                ordered[item] = None
    return list(ordered)


class BaseDependencyResolver(ABC):
    """Resolves the transitive dependencies of items from their direct links.

    Subclasses define how :meth:`update` input becomes (item, direct parents) links, and may restrict
    which parents are resolved further (:meth:`expands`). Results are cached until :meth:`reset` or
    :meth:`update`. Methods are serialised by a lock, so a resolver may be shared between threads.
    """

    def __init__(self, initial: Any = None) -> None:
        self._deps: Dict[Hashable, CachedDependency] = {}
        self._lock = threading.RLock()
        if initial:
            self.update(initial)

    def __contains__(self, item: Hashable) -> bool:
        return item in self._deps

    def get_default(self) -> List[Any]:
        """Dependencies of an item the resolver does not know."""
        return []

    def get(self, item: Hashable) -> List[Any]:
        """Return the direct parents of ``item``."""
        node = self._deps.get(item)
        return list(node.parent) if node is not None else self.get_default()

    def expands(self, item: Hashable) -> bool:
        """Whether the dependencies of parent ``item`` are resolved further (always, by default)."""
        return True

    def get_dependencies(self, item: Hashable) -> List[Any]:
        """Return all dependencies of ``item``, dependencies before their dependents.

        :raises CircularDependency: if an item on the way depends on itself.
        """
        with self._lock:
            node = self._deps.get(item)
            if node is None:
                return self.get_default()
            if node.dependencies is NotInitialized:
                self._resolve(item, node)
            return list(node.dependencies)

    def get_ordered(self, items: Iterable[Hashable]) -> List[Any]:
        """``items`` with all their dependencies, each once, every dependency before what needs it.

        This is the order to act on a whole set of items (see :func:`dependency_order`).

        :raises CircularDependency: if an item on the way depends on itself.
        """
        with self._lock:
            return dependency_order(items, self._direct_parents)

    def _direct_parents(self, item: Hashable) -> Iterable[Any]:
        node = self._deps.get(item)
        return node.parent if node is not None and self.expands(item) else ()

    def reset(self) -> None:
        """Forget all cached resolutions."""
        with self._lock:
            for node in self._deps.values():
                node.dependencies = NotInitialized

    def update(self, items: Any) -> None:
        """Add direct links from ``items`` (format defined by :meth:`links`) and drop cached results."""
        with self._lock:
            for item, parents in self.links(items):
                node = self._deps.get(item)
                if node is None:
                    self._deps[item] = CachedDependency(parents)
                else:
                    node.add_parents(parents)
            self.reset()

    @abstractmethod
    def links(self, items: Any) -> Iterable[Tuple[Hashable, Iterable[Any]]]:
        """Translate :meth:`update` input into ``(item, direct parents)`` pairs."""

    def _resolve(self, root: Hashable, root_node: CachedDependency) -> None:
        """Resolve ``root`` iteratively and cache its result and those of exactly resolved parents."""
        log = _Log()
        # Items resolved during this walk -> lowest log position in their resolution.
        finished: Dict[Hashable, int] = {}
        frames = [_Frame(root, root_node.parent, 0)]
        on_path = {root: 0}
        while frames:
            frame = frames[-1]
            if frame.next < len(frame.parents):
                parent = frame.parents[frame.next]
                frame.next += 1
                if parent == frame.item:
                    raise CircularDependency(parent, True)
                if not self.expands(parent):
                    continue
                if parent in finished:
                    frame.low = min(frame.low, finished[parent])
                    continue
                if parent in on_path:
                    cycle = [open_frame.item for open_frame in frames[on_path[parent] :]]
                    raise CircularDependency(parent, cycle=[*cycle, parent])
                node = self._deps.get(parent)
                if node is None:
                    continue
                if node.dependencies is NotInitialized:
                    on_path[parent] = len(frames)
                    frames.append(_Frame(parent, node.parent, len(log.items)))
                    continue
                log, low = _merge_cached(log, node.dependencies)
                finished[parent] = low
                frame.low = min(frame.low, low)
                continue
            # All parents are resolved: the direct parents themselves come last.
            for parent in frame.parents:
                frame.low = min(frame.low, log.add(parent))
            frames.pop()
            del on_path[frame.item]
            if frame.low >= frame.start:
                # Nothing of this resolution was logged before it started: the stretch is exact.
                self._deps[frame.item].dependencies = _LogView(log, frame.start, len(log.items))
            finished[frame.item] = frame.low
            if frames:
                frames[-1].low = min(frames[-1].low, frame.low)


def _merge_cached(log: _Log, cached: Sequence) -> Tuple[_Log, int]:
    """Add a cached resolution to the log; return the log to go on with and the lowest position used."""
    if not cached:
        return log, _NO_POSITION
    if not log.items:
        # Nothing logged yet: continue the cached log itself if possible, else start with a copy.
        whole_log = cached.whole_log() if isinstance(cached, _LogView) else None
        return (whole_log if whole_log is not None else _Log(cached)), 0
    return log, min(log.add(item) for item in cached)


class ImageDependentsResolver(BaseDependencyResolver):
    """Finds all images built on top of an image, the most derived ones first.

    Input: ``(image_id, parent_id)`` pairs; each image is registered as a dependent of its parent.
    Pairs with an empty parent id (base images) add nothing.
    """

    def links(self, items: Iterable[Tuple[Hashable, Hashable]]) -> Iterator[Tuple[Hashable, List[Any]]]:
        for image_id, parent_id in items:
            if parent_id:
                yield parent_id, [image_id]


def _dependency_pairs(items: Any) -> Iterable[Tuple[Hashable, Iterable[Any]]]:
    """Accept a dict or an iterable of ``(item, dependencies)`` pairs."""
    return items.items() if isinstance(items, dict) else items


class MultiForwardDependencyResolver(BaseDependencyResolver):
    """Resolves what an item depends on. Input: ``(item, [dependencies])`` pairs or a dict."""

    def links(self, items: Any) -> Iterator[Tuple[Hashable, Iterable[Any]]]:
        for item, dependencies in _dependency_pairs(items):
            yield item, dependencies or ()


class MultiReverseDependencyResolver(BaseDependencyResolver):
    """Resolves what depends on an item (the farthest dependents first).

    Input as for :class:`MultiForwardDependencyResolver`; stored inverted, so that each dependency has
    the item as a parent.
    """

    def links(self, items: Any) -> Iterator[Tuple[Hashable, List[Any]]]:
        for item, dependencies in _dependency_pairs(items):
            for dependency in dependencies or ():
                yield dependency, [item]
