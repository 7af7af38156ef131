"""A service's ``build`` key as the ``build`` setting of its container configuration."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional, Tuple

from . import values as v
from .exceptions import Problems
from .mounts import host_path
from .variables import Lookup

Path = Tuple[Any, ...]

#: Keys of a ``build`` mapping that dockermap reads.
BUILD_KEYS = ("context", "dockerfile", "args", "target", "labels", "pull", "no_cache")
#: Keys of the Compose Specification's ``build`` mapping that dockermap does not read; refused.
UNSUPPORTED_BUILD_KEYS = frozenset(
    "additional_contexts cache_from cache_to dockerfile_inline entitlements extra_hosts isolation network "
    "platforms privileged provenance sbom secrets shm_size ssh tags ulimits".split()
)


def _context(value: Any, project_dir: str) -> str:
    path = v.text(value)
    if "://" in path or path.startswith("git@"):
        raise ValueError(f"a remote build context ({path}) is not supported by dockermap; use a directory")
    return host_path(path, project_dir)


def _dockerfile(value: Any, context: str) -> str:
    """The Dockerfile as a path inside the context (Compose takes a relative one relative to it)."""
    full = os.path.normpath(os.path.join(context, v.text(value)))
    inside = os.path.relpath(full, context)
    if inside == os.pardir or inside.startswith(os.pardir + os.sep):
        raise ValueError(f"a Dockerfile outside the build context ({full}) is not supported by dockermap")
    return inside


def _args(value: Any, lookup: Lookup) -> Dict[str, str]:
    """Build arguments; one given without a value takes it from the environment (left out if unset)."""
    given = v.key_values(value)
    args = {}
    for name, item in given.items():
        item = lookup(name) if item is None else item
        if item is not None:
            args[name] = item
    return args


def _settings(value: Any, path: Path, ctx: Any, problems: Problems) -> Optional[Dict[str, Any]]:
    """The ``build`` setting for the ``build`` key (at ``path``) ``value``: a context directory, or a
    mapping of :data:`BUILD_KEYS`; other keys are recorded as problems."""
    if not isinstance(value, dict):
        context = problems.check(convert=lambda item: _context(item, ctx.project_dir), path=path, value=value)
        return None if context is None else {"context": context}
    for key in value:
        if key in UNSUPPORTED_BUILD_KEYS:
            problems.unsupported((*path, key))
        elif key not in BUILD_KEYS and not str(key).startswith("x-"):
            problems.unknown((*path, key), sorted(UNSUPPORTED_BUILD_KEYS.union(BUILD_KEYS)))
    context = problems.check(
        convert=lambda item: _context(item, ctx.project_dir),
        path=(*path, "context"),
        value=value.get("context", "."),
    )
    if context is None:
        return None
    settings: Dict[str, Any] = {"context": context}
    converters = {
        "dockerfile": lambda item: _dockerfile(item, context),
        "args": lambda item: _args(item, ctx.lookup),
        "target": v.text,
        "labels": v.labels,
        "pull": v.flag,
        "no_cache": v.flag,
    }
    for key, convert in converters.items():
        if key in value:
            converted = problems.check(convert=convert, path=(*path, key), value=value[key])
            if converted is not None:
                settings["nocache" if key == "no_cache" else key] = converted
    return settings


def service_build(
    name: str, service: Dict[str, Any], path: Path, ctx: Any, problems: Problems
) -> Dict[str, Any]:
    """The configuration keys for the ``build`` key of service ``name`` (at ``path``): ``build``, and
    ``image`` as Docker Compose names the image it builds (``<project>-<service>``) when the service
    names none."""
    config: Dict[str, Any] = {}
    settings = _settings(service["build"], (*path, "build"), ctx, problems)
    if settings is not None:
        config["build"] = settings
    if "image" not in service:
        config["image"] = f"{ctx.project}-{name}"
    return config
