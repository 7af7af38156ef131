"""The ``build`` setting of a container configuration: where and how its image is built.

A configuration with ``build`` gets its image built from a context directory when the image is not on
the client (instead of pulled), and whenever ``build_images`` asks for it.
"""

from __future__ import annotations

import os
import posixpath
from collections import namedtuple
from collections.abc import Mapping
from typing import Any, Dict, Tuple

from dockermap.utils import closest_name

from .tuples import InputTuple
from .values import describe, is_lazy, is_text


def _fail(key: str, expected: str, value: Any) -> ValueError:
    return ValueError(f"{key} must be {expected}; got {describe(value)}")


def _text(key: str, value: Any, required: bool = False) -> Any:
    if value is None and not required:
        return None
    if (isinstance(value, str) and value) or is_lazy(value):
        return value
    raise _fail(key, "a non-empty string or a lazy value", value)


def _dockerfile(value: Any) -> Any:
    value = _text("dockerfile", value)
    if isinstance(value, str):
        cleaned = posixpath.normpath(value.replace(os.sep, "/"))
        if posixpath.isabs(cleaned) or cleaned == ".." or cleaned.startswith("../") or cleaned == ".":
            raise _fail("dockerfile", "a file path inside the context directory (relative to it)", value)
    return value


def _pairs(key: str, value: Any) -> Dict[str, Any]:
    """Build args or labels: a mapping, or a list of ``NAME=value`` strings; values become strings."""
    if value is None:
        return {}
    if isinstance(value, (list, tuple)):
        items: Dict[str, Any] = {}
        for entry in value:
            if not (isinstance(entry, str) and entry and "=" in entry and entry[0] != "="):
                raise _fail(key, "a mapping or a list of 'NAME=value' strings", entry)
            name, _, text = entry.partition("=")
            items[name] = text
        return items
    if isinstance(value, Mapping):
        result: Dict[str, Any] = {}
        for name, item in value.items():
            if not (isinstance(name, str) and name):
                raise _fail(f"{key} name", "a non-empty string", name)
            if item is None or isinstance(item, (list, tuple, dict, set)):
                raise _fail(f"{key}.{name}", "a string, a number or a lazy value", item)
            result[name] = (
                item if is_text(item) else str(item).lower() if isinstance(item, bool) else str(item)
            )
        return result
    raise _fail(key, "a mapping or a list of 'NAME=value' strings", value)


def _flag(key: str, value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    raise _fail(key, "true or false", value)


class BuildSettings(
    InputTuple,
    namedtuple(
        "BuildSettings",
        ("context", "dockerfile", "args", "target", "labels", "pull", "nocache"),
        defaults=(None, None, None, None, False, False),
    ),
):
    """Where and how a configuration's image is built.

    ``context`` is the build context directory (relative: see the "Container maps" guide),
    ``dockerfile`` a path inside it (default ``Dockerfile``), ``args`` the build arguments and ``labels``
    the image labels (dicts of strings), ``target`` the stage to build, ``pull`` whether to pull newer
    base images, ``nocache`` whether to build without the layer cache.
    """

    __slots__ = ()

    def __new__(
        cls,
        context: Any,
        dockerfile: Any = None,
        args: Any = None,
        target: Any = None,
        labels: Any = None,
        pull: Any = False,
        nocache: Any = False,
    ) -> BuildSettings:
        return super().__new__(
            cls,
            _text("context", context, required=True),
            _dockerfile(dockerfile),
            _pairs("args", args),
            _text("target", target),
            _pairs("labels", labels),
            _flag("pull", pull),
            _flag("nocache", nocache),
        )

    def _asdict(self) -> Dict[str, Any]:
        """Fields as a dict, leaving out unset ones (but always ``context``)."""
        return {key: value for key, value in super()._asdict().items() if key == "context" or value}


#: Keys of the mapping form.
BUILD_KEYS: Tuple[str, ...] = BuildSettings._fields
_FORMS = f"a context directory, or a mapping with the keys {', '.join(BUILD_KEYS)} (context required)"


def get_build(value: Any) -> BuildSettings:
    """Convert a ``build`` value: a context directory, or a mapping of :data:`BUILD_KEYS`."""
    if isinstance(value, BuildSettings):
        return value
    if is_text(value):
        return BuildSettings(value)
    if isinstance(value, Mapping):
        unknown = [key for key in value if key not in BUILD_KEYS]
        if unknown:
            key = unknown[0]
            close = closest_name(key, BUILD_KEYS)
            hint = f"did you mean {close!r}?" if close else f"valid keys are {', '.join(BUILD_KEYS)}"
            raise ValueError(f"unknown key {key!r}; {hint}")
        if "context" not in value:
            raise ValueError(f"context is missing; expected {_FORMS}")
        return BuildSettings(**value)
    raise ValueError(f"Invalid build {describe(value)}: expected {_FORMS}.")


def relative_to(value: Any, directory: str) -> Any:
    """A ``build`` value (converted or as written) with a relative context joined to ``directory``;
    anything else (absolute, lazy, malformed) is returned as it is."""
    if isinstance(value, str):
        return os.path.normpath(os.path.join(directory, value))
    if isinstance(value, BuildSettings):
        return value._replace(context=relative_to(value.context, directory))
    if isinstance(value, Mapping) and isinstance(value.get("context"), str):
        return {**value, "context": relative_to(value["context"], directory)}
    return value


def resolve_build_contexts(container_map: Any, directory: str) -> None:
    """Join the relative ``build`` contexts of a map's configurations to ``directory`` (the directory of
    the map file they were written in)."""
    for config in container_map.containers.values():
        if config.build:
            config.build = relative_to(config.build, directory)
