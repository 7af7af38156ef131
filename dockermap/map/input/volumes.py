"""Volume lists: ``binds`` (:class:`SharedHostVolumesList`), ``uses`` and ``attaches``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Sequence, Type, Union

from .lists import NamedTupleList, unsupported
from .tuples import HostVolume, SharedVolume, UsedVolume, build
from .values import is_read_only_text, read_only


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool) or is_read_only_text(value)


def _is_name_key(key: Any) -> bool:
    return isinstance(key, str) and key == "name"


class _AliasOrPathList(NamedTupleList):
    """Shape rules shared by binds and used volumes.

    A bare name, or a name with a read-only flag, is a :class:`SharedVolume`; a name with a path is a
    ``path_type`` tuple (:class:`HostVolume` for binds, :class:`UsedVolume` for used volumes).
    """

    __slots__ = ()

    path_type: ClassVar[Type[Union[HostVolume, UsedVolume]]]

    def _convert(self, value: Any) -> Any:
        if isinstance(value, (SharedVolume, self.path_type)):
            return value
        if isinstance(value, str):
            return SharedVolume(value)
        if isinstance(value, (list, tuple)):
            return self._from_sequence(value)
        if isinstance(value, Mapping):
            if len(value) == 1:
                ((key, spec),) = value.items()
                if _is_name_key(key):
                    return SharedVolume(spec)
                if isinstance(spec, (list, tuple)):
                    return self._from_sequence((key, *spec))
                return self._from_pair(key, spec)
            return build(self.path_type if "path" in value else SharedVolume, (), value)
        raise unsupported(value)

    def _from_sequence(self, value: Sequence[Any]) -> Any:
        if len(value) == 1:
            return SharedVolume(value[0])
        if len(value) == 2:
            return self._from_pair(*value)
        if len(value) == 3:
            return self.path_type(*value)
        raise ValueError(f"{len(value)} values")

    def _from_pair(self, name: Any, spec: Any) -> Any:
        if _is_flag(spec):
            return SharedVolume(name, spec)
        if isinstance(spec, (list, tuple)):
            if len(spec) == 2:
                return self.path_type(name, *spec)
            if len(spec) != 1:
                raise ValueError(f"path specification of {len(spec)} values")
            (spec,) = spec
            return SharedVolume(name, spec) if _is_flag(spec) else self.path_type(name, spec)
        return self.path_type(name, spec)


class SharedHostVolumesList(_AliasOrPathList):
    """``binds``: :class:`SharedVolume` (alias with a host path from ``host``) or :class:`HostVolume` items.

    A string is always an alias, even when it looks like a path; a whole dict maps
    container path (or alias) → host path (or read-only flag).
    """

    __slots__ = ()

    element_type = (SharedVolume, HostVolume)
    path_type = HostVolume

    def _from_pair(self, name: Any, spec: Any) -> Any:
        if spec is None:  # an alias without a value (``- app_data:`` in YAML): read-write
            return SharedVolume(name)
        return super()._from_pair(name, spec)

    kind = "volume bind"
    forms = (
        "'alias', (alias[, ro]), (path, host_path[, ro]), (path, (host_path[, ro])), {alias: ro}, "
        "{alias: None}, {path: host_path}, {path: [host_path, ro]}, {'name': alias}, a dict with "
        "name/readonly or path/host_path/readonly keys, a SharedVolume or a HostVolume (ro is a bool, "
        "'ro'/'true' or 'rw'/'false'; host_path a path or {instance: path})"
    )


class UsedVolumeList(_AliasOrPathList):
    """``uses``: volumes of other containers; :class:`SharedVolume`, or :class:`UsedVolume` with a path."""

    __slots__ = ()

    element_type = (SharedVolume, UsedVolume)
    path_type = UsedVolume
    kind = "used volume"
    forms = (
        "'name', (name[, ro]), (name, path[, ro]), (name, (path[, ro])), {name: ro}, {name: path}, "
        "{name: [path, ro]}, {'name': name}, a dict with name/path/readonly keys, a SharedVolume or a "
        "UsedVolume (ro is a bool, 'ro'/'true' or 'rw'/'false')"
    )


class AttachedVolumeList(NamedTupleList):
    """``attaches``: named volumes owned by the container — :class:`SharedVolume` or, with an explicit
    mount path, :class:`UsedVolume`. Attached volumes are never read-only.
    """

    __slots__ = ()

    element_type = (SharedVolume, UsedVolume)
    kind = "attached volume"
    forms = (
        "'name', (name[, path]), (name, False), {name: path}, {name: False}, {'name': name}, a dict "
        "with name/path keys, a SharedVolume or a UsedVolume, never read-only"
    )

    def _convert(self, value: Any) -> Union[SharedVolume, UsedVolume]:
        volume = self._volume(value)
        if volume.readonly:
            raise ValueError(
                "attached volumes cannot be read-only (their container owns them); mount them read-only "
                "where they are used, with 'uses'"
            )
        return volume

    @staticmethod
    def _pair(name: Any, path: Any) -> Union[SharedVolume, UsedVolume]:
        # A read-only flag instead of a path: the (name, readonly) pairs the classic library accepted.
        return SharedVolume(name, read_only(path)) if _is_flag(path) else UsedVolume(name, path)

    @staticmethod
    def _volume(value: Any) -> Union[SharedVolume, UsedVolume]:
        if isinstance(value, (SharedVolume, UsedVolume)):
            return value
        if isinstance(value, str):
            return SharedVolume(value)
        if isinstance(value, (list, tuple)):
            if len(value) == 1:
                return SharedVolume(value[0])
            if len(value) == 2:
                name, path = value
                unset = path is None or (isinstance(path, str) and not path)
                return SharedVolume(name) if unset else AttachedVolumeList._pair(name, path)
            raise ValueError(f"{len(value)} values")
        if isinstance(value, Mapping):
            if len(value) == 1:
                ((key, path),) = value.items()
                return SharedVolume(path) if _is_name_key(key) else AttachedVolumeList._pair(key, path)
            if "path" in value:
                return build(UsedVolume, (), value)
            return build(SharedVolume, (), value)
        raise unsupported(value)
