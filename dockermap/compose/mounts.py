"""Compose service ``volumes`` entries: binds, named volumes, anonymous volumes and tmpfs mounts."""

from __future__ import annotations

import os
import posixpath
from typing import Any, Dict, List, Optional, Tuple

from dockermap.records import field, record

from .values import flag, text

_LONG_KEYS = ("type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency")
_MODES = ("ro", "rw")


@record
class ServiceMounts:
    """What one service mounts, in the terms of a container configuration."""

    binds: List[Tuple[str, str, bool]] = field(default_factory=list)  # (container path, host path, ro)
    shares: List[str] = field(default_factory=list)  # anonymous volumes
    named: List[Tuple[str, str, bool]] = field(default_factory=list)  # (volume, container path, ro)
    tmpfs: Dict[str, str] = field(default_factory=dict)  # container path -> options


def _is_host_path(source: str) -> bool:
    return source.startswith(("/", ".", "~"))


def host_path(source: str, project_dir: str) -> str:
    """A path of the Compose file (relative to the project directory, ``~`` allowed) as an absolute path."""
    return os.path.normpath(os.path.join(project_dir, os.path.expanduser(source)))


def _short(entry: str) -> Dict[str, Any]:
    parts = entry.split(":")
    if len(parts) == 1:
        return {"type": "volume", "target": parts[0]}
    if len(parts) > 3:
        raise ValueError(f"expected [source:]target[:ro|rw], found {entry!r}")
    mode = parts[2] if len(parts) == 3 else "rw"
    if mode not in _MODES:
        raise ValueError(f"mode {mode!r} of {entry!r} is not supported (ro or rw)")
    kind = "bind" if _is_host_path(parts[0]) else "volume"
    return {"type": kind, "source": parts[0], "target": parts[1], "read_only": mode == "ro"}


def _check_long(entry: Dict[Any, Any]) -> None:
    unknown = sorted(set(entry) - set(_LONG_KEYS))
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; valid keys are {', '.join(_LONG_KEYS)}")
    if entry.get("volume"):
        raise ValueError("volume options (nocopy, subpath) are not supported by dockermap")
    bind = entry.get("bind") or {}
    if set(bind) - {"create_host_path"}:
        raise ValueError("bind options other than create_host_path are not supported by dockermap")
    if set(entry.get("tmpfs") or {}) - {"size", "mode"}:
        raise ValueError("tmpfs options other than size and mode are not supported by dockermap")


def _tmpfs_options(options: Dict[str, Any]) -> str:
    parts = []
    if "size" in options:
        parts.append(f"size={text(options['size'])}")
    if "mode" in options:
        mode = options["mode"]
        parts.append(f"mode={mode:o}" if isinstance(mode, int) else f"mode={text(mode)}")
    return ",".join(parts)


def add_mount(mounts: ServiceMounts, entry: Any, project_dir: str, declared: Any) -> None:
    """Add one ``volumes`` entry to ``mounts``; ``declared`` are the top-level volume names.

    :raises ValueError: for an entry that is malformed, unsupported or names an undeclared volume.
    """
    if isinstance(entry, dict):
        _check_long(entry)
        spec = dict(entry)
    else:
        spec = _short(text(entry))
    kind, target = spec.get("type"), text(spec.get("target", ""))
    if not target:
        raise ValueError("a volume entry needs a target path")
    readonly = flag(spec.get("read_only", False))
    source = text(spec["source"]) if spec.get("source") else ""
    if kind == "bind":
        mounts.binds.append((target, host_path(source, project_dir), readonly))
    elif kind == "volume" and not source:
        mounts.shares.append(target)
    elif kind == "volume":
        if source not in declared:
            raise ValueError(f"volume {source!r} is not declared in the top-level 'volumes'")
        mounts.named.append((source, target, readonly))
    elif kind == "tmpfs":
        mounts.tmpfs[target] = _tmpfs_options(spec.get("tmpfs") or {})
    else:
        raise ValueError(f"volume type {kind!r} is not supported (bind, volume or tmpfs)")


#: Where a service finds the files of its ``secrets`` and ``configs`` unless an entry gives a target.
FILE_DIRECTORIES = {"secrets": "/run/secrets", "configs": "/"}
_FILE_KEYS = ("source", "target", "uid", "gid", "mode")


def add_file(mounts: ServiceMounts, entry: Any, kind: str, files: Dict[str, Optional[str]]) -> None:
    """Add one ``secrets`` or ``configs`` entry of a service (``kind``) as a read-only bind of the file
    that ``files`` (top-level name → host path; ``None`` for a declaration already refused) gives; a
    relative target is placed in the kind's directory.

    :raises ValueError: for an entry that is malformed, unsupported or names an undeclared file.
    """
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - set(_FILE_KEYS))
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(unknown)}; valid keys are source and target")
        if set(entry) & {"uid", "gid", "mode"}:
            raise ValueError(
                "uid, gid and mode are not supported by dockermap: the mounted file keeps the owner and mode "
                "of the host file"
            )
        source = text(entry.get("source", ""))
        target = text(entry.get("target", source))
    else:
        source = target = text(entry)
    if source not in files:
        raise ValueError(f"{source!r} is not declared in the top-level '{kind}'")
    host = files[source]
    if host is not None:
        mounts.binds.append((posixpath.join(FILE_DIRECTORIES[kind], target), host, True))
