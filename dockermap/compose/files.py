"""Reading one Compose file: YAML as Compose reads it, merge tags, variables and interpolation."""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from dockermap.positions import Path, load_with_lines

from .exceptions import ComposeFileError, ComposeProblem, Problems
from .tree import OVERRIDE, RESET, Places, SourceList, SourceMap, Tagged, located
from .variables import Lookup, VariableError, interpolate, parse_env_file


class ComposeLoader(yaml.SafeLoader):
    """The safe loader with YAML 1.2 scalars, as Compose reads files: only ``true`` and ``false`` are
    booleans (``restart: no``, ``DEBUG: yes`` stay strings) and there are no base-60 numbers
    (``8080:80`` is a string). ``!reset`` and ``!override`` mark values that replace, rather than
    merge with, those of the files before."""


_YAML12 = {
    "tag:yaml.org,2002:bool": (r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    "tag:yaml.org,2002:int": (r"^[-+]?(?:0|[1-9][0-9]*)$|^0o[0-7]+$|^0x[0-9a-fA-F]+$", "-+0123456789"),
    "tag:yaml.org,2002:float": (
        r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$"
        r"|^\.(?:nan|NaN|NAN)$",
        "-+0123456789.",
    ),
}
ComposeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML12]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, (_pattern, _first) in _YAML12.items():
    ComposeLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _merge_tag(loader: ComposeLoader, node: yaml.Node) -> Tagged:
    """The value of a ``!reset`` or ``!override`` node, read as if it had no tag."""
    kind = type(node)
    implicit = (True, False) if isinstance(node, yaml.ScalarNode) else None
    tag = loader.resolve(kind, node.value, implicit)
    plain = kind(tag, node.value, node.start_mark, node.end_mark)
    return Tagged(node.tag, loader.construct_object(plain, deep=True))


ComposeLoader.add_constructor(RESET, _merge_tag)
ComposeLoader.add_constructor(OVERRIDE, _merge_tag)


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except OSError as exc:
        raise ComposeFileError([ComposeProblem(path, 0, "", f"cannot read: {exc.strerror or exc}")]) from exc


def env_file_variables(paths: Sequence[str], lookup: Lookup) -> Dict[str, str]:
    """The variables of ``paths`` (later files win); a missing ``.env`` is skipped, other files must exist."""
    variables: Dict[str, str] = {}

    def earlier_or_lookup(name: str) -> Optional[str]:
        # A file may use the variables of the files before it and those of ``lookup``.
        return variables[name] if name in variables else lookup(name)

    for path in paths:
        if os.path.basename(path) == ".env" and not os.path.isfile(path):
            continue
        found, problems = parse_env_file(read_text(path), earlier_or_lookup, path)
        if problems:
            raise ComposeFileError(ComposeProblem(path, line, "", message) for line, message in problems)
        variables.update(found)
    return variables


def _interpolate_in_place(value: Any, path: Path, lookup: Lookup, problems: Problems) -> Any:
    if isinstance(value, str):
        try:
            return interpolate(value, lookup, f"{problems.file}:{problems.line(path)}")
        except VariableError as exc:
            problems.add(path, str(exc))
            return value
    if isinstance(value, (SourceMap, SourceList)):
        keys = list(value) if isinstance(value, SourceMap) else range(len(value))
        for key in keys:
            value[key] = _interpolate_in_place(value[key], (*path, key), lookup, problems)
    return value


def load_document(path: str, lookup: Lookup) -> Tuple[SourceMap, List[ComposeProblem]]:
    """The interpolated document of the Compose file ``path`` and the problems met interpolating it.

    :raises ComposeFileError: if the file cannot be read or is not a YAML mapping.
    """
    try:
        document, lines = load_with_lines(read_text(path), path, ComposeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = "; ".join(part for part in (exc.context, exc.problem) if part)
        raise ComposeFileError(
            [ComposeProblem(path, mark.line + 1 if mark else 0, "", f"invalid YAML: {message}")]
        ) from None
    except yaml.YAMLError as exc:
        raise ComposeFileError([ComposeProblem(path, 0, "", f"invalid YAML: {exc}")]) from None
    if not isinstance(document, dict):
        raise ComposeFileError(
            [ComposeProblem(path, lines.line(()), "", "expected a mapping with 'services'")]
        )
    tree = located(document, path, lines)
    problems = Problems(path, places=Places(tree, (path, 0)))
    _interpolate_in_place(tree, (), lookup, problems)
    return tree, problems.found
