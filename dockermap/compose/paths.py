"""Relative paths of a service or project read from another directory, made absolute.

A service taken from another file with ``extends``, and everything an ``include`` brings in, keep
the paths they were written with: relative to their own file's (or project's) directory, not to the
directory of the project that uses them.
"""

from __future__ import annotations

import os
from typing import Any

from .tree import SourceList, SourceMap


def _is_relative(path: Any) -> bool:
    return isinstance(path, str) and bool(path) and not os.path.isabs(path) and not path.startswith("~")


def _absolute(path: str, directory: str) -> str:
    return os.path.normpath(os.path.join(directory, path))


def _with_path(entry: SourceMap, key: str, directory: str) -> SourceMap:
    """``entry`` with its ``key`` made absolute, if it is a relative path."""
    if not _is_relative(entry.get(key)):
        return entry
    copy = entry.clone()
    copy.put(key, _absolute(entry[key], directory), entry.places.get(key, entry.place))
    return copy


def _volume(entry: Any, directory: str) -> Any:
    if isinstance(entry, str):
        source, separator, rest = entry.partition(":")
        if separator and source.startswith("."):
            return f"{_absolute(source, directory)}:{rest}"
        return entry
    if isinstance(entry, SourceMap) and entry.get("type") == "bind":
        return _with_path(entry, "source", directory)
    return entry


def _env_file(entry: Any, directory: str) -> Any:
    if _is_relative(entry):
        return _absolute(entry, directory)
    return _with_path(entry, "path", directory) if isinstance(entry, SourceMap) else entry


def _each(value: Any, rebase: Any, directory: str) -> Any:
    """``rebase`` applied to a value or to each item of a list."""
    if not isinstance(value, SourceList):
        return rebase(value, directory)
    items = SourceList(value.place)
    for _, item, place in value.entries():
        items.add(rebase(item, directory), place)
    return items


def rebased_service(service: Any, directory: str) -> Any:
    """``service`` with the relative paths of its bind mounts and env files resolved in ``directory``."""
    if not isinstance(service, SourceMap):
        return service
    copy = service.clone()
    for key, rebase in (("volumes", _volume), ("env_file", _env_file)):
        if key in service:
            copy.put(key, _each(service[key], rebase, directory), service.places.get(key, service.place))
    return copy


def rebased_resource(settings: Any, directory: str) -> Any:
    """A top-level secret or config with its relative ``file`` resolved in ``directory``."""
    return _with_path(settings, "file", directory) if isinstance(settings, SourceMap) else settings
