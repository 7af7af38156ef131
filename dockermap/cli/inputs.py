"""The files the command reads: finding them, telling their kind apart, and loading them.

A file with ``services`` (or ``include``) is a Compose file; one whose entries all have a ``base_url``
is a clients file; anything else is a map file. Several Compose files are merged into one project, as
``docker compose -f a.yaml -f b.yaml`` does. Every problem is raised as :class:`InputError` naming the
file, and the line and key where known.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Sequence

from dockermap.records import field, record

from .exceptions import InputError as InputError

#: Looked for in the current directory, in this order, when no ``-f`` is given.
DEFAULT_FILES = (
    "dockermap.yaml",
    "dockermap.yml",
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
)
#: Read after the Compose file found without ``-f``, if present (the first of them that exists).
OVERRIDE_FILES = (
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
)


@record
class Inputs:
    """What the files describe: maps by name, clients by name, and the files each map came from."""

    maps: Dict[str, Any] = field(default_factory=dict)
    clients: Dict[str, Any] = field(default_factory=dict)
    sources: Dict[str, str] = field(default_factory=dict)


def find_files(given: Sequence[str], directory: str = ".") -> List[str]:
    if given:
        return list(given)

    def existing(names: Sequence[str]) -> List[str]:
        paths = (os.path.join(directory, name) if directory != "." else name for name in names)
        return [path for path in paths if os.path.isfile(path)][:1]

    found = existing(DEFAULT_FILES)
    if not found:
        raise InputError(
            f"no file given and none of {', '.join(DEFAULT_FILES)} in {os.path.abspath(directory)}"
        )
    if os.path.basename(found[0]).startswith("dockermap."):
        return found
    return found + existing(OVERRIDE_FILES)


def _kind(document: Any) -> str:
    if isinstance(document, dict) and ("services" in document or "include" in document):
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
    from dockermap.map.input.build import resolve_build_contexts

    document = dict(document)
    name = document.pop("name", None) or os.path.splitext(os.path.basename(path))[0]
    try:
        container_map = ContainerMap(name, document)
        resolve_build_contexts(container_map, os.path.dirname(os.path.abspath(path)))
        return container_map
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


def _read(path: str) -> Any:
    """The document of ``path``; a Compose file with Compose's own tags (``!reset``) is read as one.
    What an unchanged file parsed to before is used again (see :mod:`dockermap.cli.parsed`)."""
    from .parsed import MISSING, ParsedFile

    parsed = ParsedFile(path)
    if parsed.document is not MISSING:
        return parsed.document
    from dockermap.map.yaml import YAMLLoadError, load_file

    try:
        document = load_file(path, parsed.data)
    except YAMLLoadError as exc:
        message = str(exc)
        error = InputError(message if path in message else f"{path}: {message}")
    else:
        parsed.keep(document)
        return document
    import yaml

    from dockermap.compose.files import ComposeLoader

    try:
        with open(path, encoding="utf-8") as stream:
            document = yaml.load(stream, Loader=ComposeLoader)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError):
        raise error from None
    if _kind(document) != "compose":
        raise error
    return document


def load_inputs(
    paths: Sequence[str], project_name: Optional[str] = None, env_files: Optional[Sequence[str]] = None
) -> Inputs:
    """Load every file; the Compose files among them are merged into one project, in their order."""

    inputs = Inputs()
    compose_files = []
    loaded_maps = []
    for path in paths:
        document = _read(path)
        kind = _kind(document)
        if kind == "compose":
            from dockermap.compose import ComposeFileError, load_compose  # only for Compose files

            compose_files.append(path)
        elif kind == "clients":
            inputs.clients.update(_load_clients(path))
        else:
            loaded_maps.append((path, _load_map(path, document)))
    if compose_files:
        try:
            project = load_compose(compose_files, project_name, env_files=env_files)
        except ComposeFileError as exc:
            raise InputError(str(exc)) from None
        loaded_maps.append((", ".join(compose_files), project))
    for source, loaded in loaded_maps:
        if loaded.name in inputs.maps:
            raise InputError(
                f"{source}: map {loaded.name!r} is also defined in {inputs.sources[loaded.name]}"
            )
        inputs.maps[loaded.name] = loaded
        inputs.sources[loaded.name] = source
    if not inputs.maps:
        raise InputError(f"no map or Compose file among {', '.join(paths)}")
    return inputs
