"""Host paths of bind-mounted volume aliases, optionally per instance and below a common root."""

from __future__ import annotations

import posixpath
from typing import Any, Dict, Optional

from dockermap.functional import resolve_value
from dockermap.map import DictMap
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.input import NotSet


def instance_key(paths: Dict[str, Any], instance: Optional[str]) -> str:
    """The key of per-instance host ``paths`` that applies to ``instance``: its own, else ``'default'``."""
    return instance if instance is not None and instance in paths else "default"


def get_host_path(root: Any, path: Any, instance: Optional[str] = None) -> Any:
    """Host path of a bind: ``path`` (or its entry for ``instance``, else ``'default'``) joined to ``root``.

    Absolute paths are not joined. Lazy values are resolved here.

    :raises MapConfigurationError: (a ``ValueError``) if ``path`` is a dict without an entry for the instance
        and without ``'default'``.
    """
    path = resolve_value(path)
    if isinstance(path, dict):
        paths, path = path, resolve_value(path.get(instance_key(path, instance)))
        if not path:
            raise MapConfigurationError(
                f"No path defined for instance {instance or 'default'!r} and no 'default'; host paths are "
                f"given for {sorted(paths)}."
            )
    root = resolve_value(root)
    if path and root and not path.startswith("/"):
        return posixpath.join(root, path)
    return path


class HostVolumeConfiguration(DictMap):
    """Volume alias → host path (or ``{instance: path}``), with an optional ``root`` for relative paths."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._root = NotSet
        super().__init__(*args, **kwargs)

    @property
    def root(self) -> Any:
        """Directory that relative host paths are joined to (``host_root`` / ``host: {root: ...}``)."""
        return self._root

    @root.setter
    def root(self, value: Any) -> None:
        self._root = value

    def get_path(self, alias: str, instance: Optional[str] = None) -> Any:
        """Host path of ``alias`` for ``instance``; ``KeyError`` for an unknown alias."""
        return get_host_path(self._root, self[alias], instance)
