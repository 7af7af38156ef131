"""The files the command reads: finding them, telling their kind apart, and loading them.

A file with ``services`` is a Compose file; one whose entries all have a ``base_url`` is a clients
file; anything else is a map file. Every problem is raised as :class:`InputError` naming the file,
and the line and key where known.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

#: Looked for in the current directory, in this order, when no ``-f`` is given.
DEFAULT_FILES = (
    "dockermap.yaml",
    "dockermap.yml",
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
)


class InputError(Exception):
    """A file or a name on the command line is not valid (exit code 2)."""


@dataclass
class Inputs:
    """What the files describe: maps by name, clients by name, and the files each map came from."""

    maps: Dict[str, Any] = field(default_factory=dict)
    clients: Dict[str, Any] = field(default_factory=dict)
    sources: Dict[str, str] = field(default_factory=dict)


def find_files(given: Sequence[str], directory: str = ".") -> List[str]:
    if given:
        return list(given)
    for name in DEFAULT_FILES:
        path = os.path.join(directory, name) if directory != "." else name
        if os.path.isfile(path):
            return [path]
    raise InputError(f"no file given and none of {', '.join(DEFAULT_FILES)} in {os.path.abspath(directory)}")


def _kind(document: Any) -> str:
    if isinstance(document, dict) and "services" in document:
        return "compose"
    if (
        isinstance(document, dict)
        and document
        and all(isinstance(value, dict) and "base_url" in value for value in document.values())
    ):
        return "clients"
    return "map"


def map_problem_lines(path: str, map_name: str, error: Any) -> str:
    """The problems of a map integrity error, each with the line of its key in the map file."""
    import yaml

    from dockermap.positions import KeyLines

    try:
        with open(path, encoding="utf-8") as stream:
            lines = KeyLines.of_node(yaml.compose(stream, Loader=yaml.SafeLoader))
    except (OSError, yaml.YAMLError):
        return f"{path}: {error}"
    text = [f"{path}: {len(error.problems)} problem(s) in map {map_name!r}:"]
    for problem in error.problems:
        location = problem.location
        parts = tuple(location.split(".")[1:]) if location.startswith(f"{map_name}.") else ()
        parts = tuple(part.split("[")[0] for part in parts)
        line = max(lines.line(parts), lines.line(("containers", *parts)))
        text.append(f"  - {path}:{line}: {location}: {problem.message}")
    return "\n".join(text)


def _load_map(path: str, document: Dict[str, Any]) -> Any:
    from dockermap.map.config.main import ContainerMap
    from dockermap.map.exceptions import MapIntegrityError

    document = dict(document)
    name = document.pop("name", None) or os.path.splitext(os.path.basename(path))[0]
    try:
        return ContainerMap(name, document)
    except MapIntegrityError as exc:
        raise InputError(map_problem_lines(path, name, exc)) from None
    except (TypeError, ValueError) as exc:
        raise InputError(f"{path}: {exc}") from None


def _load_clients(path: str) -> Dict[str, Any]:
    from dockermap.map.yaml import YAMLLoadError, load_clients_file

    try:
        return load_clients_file(path)
    except YAMLLoadError as exc:
        raise InputError(f"{path}: {exc}") from None


def load_inputs(
    paths: Sequence[str], project_name: Optional[str] = None, env_files: Optional[Sequence[str]] = None
) -> Inputs:
    """Load every file; at most one may be a Compose file (merging several is not supported)."""
    from dockermap.map.yaml import YAMLLoadError, load_file

    inputs = Inputs()
    compose_files = []
    for path in paths:
        try:
            document = load_file(path)
        except YAMLLoadError as exc:
            message = str(exc)
            raise InputError(message if path in message else f"{path}: {message}") from None
        kind = _kind(document)
        if kind == "compose":
            from dockermap.compose import ComposeFileError, load_compose  # only for Compose files

            compose_files.append(path)
            try:
                loaded = load_compose(path, project_name, env_files=env_files)
            except ComposeFileError as exc:
                raise InputError(str(exc)) from None
        elif kind == "clients":
            inputs.clients.update(_load_clients(path))
            continue
        else:
            loaded = _load_map(path, document)
        if loaded.name in inputs.maps:
            raise InputError(f"{path}: map {loaded.name!r} is also defined in {inputs.sources[loaded.name]}")
        inputs.maps[loaded.name] = loaded
        inputs.sources[loaded.name] = path
    if len(compose_files) > 1:
        raise InputError(
            f"several Compose files ({', '.join(compose_files)}): merging them is not supported yet"
        )
    if not inputs.maps:
        raise InputError(f"no map or Compose file among {', '.join(paths)}")
    return inputs
