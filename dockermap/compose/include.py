"""Top-level ``include``: other Compose projects whose services, volumes and networks join this one.

Each entry is a path (or, in the long syntax, ``path`` — one file or several merged —, plus
``project_directory`` and ``env_file``). An included project is read on its own: its relative paths
are relative to its project directory (by default its first file's directory), and its variables come
from its env files (by default the ``.env`` of its project directory), the including project's
variables taking precedence. Its resources are added to this project; a name defined on both sides
(differently) is an error naming both places.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from .exceptions import ComposeFileError, ComposeProblem, dotted
from .files import env_file_variables
from .paths import rebased_resource, rebased_service
from .tree import Place, SourceList, SourceMap
from .variables import Lookup

#: ``load(paths, project_dir, lookup, chain)``: the merged model of the files ``paths``.
ProjectLoader = Callable[[List[str], str, Lookup, Tuple[str, ...]], SourceMap]
_RESOURCES = ("services", "volumes", "networks", "secrets", "configs")
_LONG_KEYS = ("path", "project_directory", "env_file")


class _Entry:
    """One ``include`` entry, its paths absolute."""

    def __init__(self, entry: Any, project_dir: str) -> None:
        spec = entry if isinstance(entry, SourceMap) else {"path": entry}
        unknown = sorted(str(key) for key in spec if key not in _LONG_KEYS)
        if unknown:
            raise ValueError(f"unknown key {unknown[0]!r}; valid keys are {', '.join(_LONG_KEYS)}")
        self.paths = [self._path(path, project_dir) for path in self._list(spec.get("path"), "path")]
        if not self.paths:
            raise ValueError("an include entry needs 'path'")
        directory = spec.get("project_directory")
        self.project_dir = (
            self._path(directory, project_dir) if directory is not None else os.path.dirname(self.paths[0])
        )
        env_files = self._list(spec.get("env_file"), "env_file")
        self.env_files = [self._path(path, project_dir) for path in env_files] or [
            os.path.join(self.project_dir, ".env")
        ]

    @staticmethod
    def _list(value: Any, key: str) -> List[Any]:
        if value is None:
            return []
        items = list(value) if isinstance(value, SourceList) else [value]
        if not all(isinstance(item, str) and item for item in items):
            raise ValueError(f"{key}: expected a path or a list of paths, found {value!r}")
        return items

    @staticmethod
    def _path(path: str, directory: str) -> str:
        return os.path.normpath(os.path.join(directory, os.path.expanduser(path)))


def _overlaid(first: Lookup, then: Dict[str, str]) -> Lookup:
    def lookup(name: str) -> Optional[str]:
        found = first(name)
        return then.get(name) if found is None else found

    return lookup


def _add_resources(
    model: SourceMap, included: SourceMap, entry_place: Place, problems: List[ComposeProblem]
) -> None:
    for section in _RESOURCES:
        resources = included.get(section)
        if not isinstance(resources, SourceMap) or not resources:
            continue
        if not isinstance(model.get(section), SourceMap):
            model.put(section, SourceMap(entry_place), entry_place)
        target: SourceMap = model[section]
        for name, settings, place in resources.entries():
            if name in target and target[name] != settings:
                file, line = target.places[name]
                problems.append(
                    ComposeProblem(
                        file,
                        line,
                        dotted((section, name)),
                        f"also defined in {place[0]}:{place[1]}, which {entry_place[0]}:{entry_place[1]} "
                        "includes; rename one of them",
                    )
                )
            elif name not in target:
                target.put(name, settings, place)


def _rebased(included: SourceMap, directory: str) -> SourceMap:
    for section, rebase in (
        ("services", rebased_service),
        ("secrets", rebased_resource),
        ("configs", rebased_resource),
    ):
        resources = included.get(section)
        if isinstance(resources, SourceMap):
            for name, settings, place in resources.entries():
                resources.put(name, rebase(settings, directory), place)
    return included


def include_projects(
    model: SourceMap,
    project_dir: str,
    lookup: Lookup,
    problems: List[ComposeProblem],
    load: ProjectLoader,
    chain: Sequence[str],
) -> None:
    """Add the resources of the projects that ``model``'s ``include`` names to ``model``."""
    if "include" not in model:
        return
    entries, entries_place = model["include"], model.places["include"]
    model.drop("include")
    if not isinstance(entries, SourceList):
        problems.append(ComposeProblem(*entries_place, "include", f"expected a list, found {entries!r}"))
        return
    for index, value, place in entries.entries():
        where = place or entries_place
        key = dotted(("include", index))
        try:
            entry = _Entry(value, project_dir)
            cycle = [path for path in entry.paths if path in chain]
            if cycle:
                raise ValueError(f"includes itself: {' -> '.join((*chain, cycle[0]))}")
            variables = env_file_variables(entry.env_files, lookup)
            included = load(
                entry.paths, entry.project_dir, _overlaid(lookup, variables), (*chain, *entry.paths)
            )
        except ComposeFileError as exc:
            problems.extend(
                ComposeProblem(*where, key, f"{found.file}: {found.message}") if not found.line else found
                for found in exc.problems
            )
            continue
        except ValueError as exc:
            problems.append(ComposeProblem(*where, key, str(exc)))
            continue
        _add_resources(model, _rebased(included, entry.project_dir), where, problems)
