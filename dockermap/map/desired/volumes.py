"""Volumes of a container: container paths, host binds, attached and used named volumes, ``volumes_from``."""

from __future__ import annotations

import posixpath
from typing import Any, Dict, List, Optional, Tuple

from dockermap.functional import resolve_value
from dockermap.map.config.host_volume import get_host_path
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.input import HostVolume, UsedVolume, is_path
from dockermap.map.names import engine_container_name, engine_volume_name
from dockermap.records import field, record

from .values import format_mode, format_owner, is_set


@record(frozen=True)
class AttachedVolume:
    """A named volume attached by a container configuration: owner, alias, engine name, mount path."""

    owner: str
    alias: str
    name: str
    path: str


@record
class ContainerVolumes:
    """What a container mounts, as create arguments and as the mounts to expect on the engine."""

    paths: List[str] = field(default_factory=list)  # container paths (``volumes`` create argument)
    binds: List[str] = field(default_factory=list)  # 'source:path:rw|ro'
    volumes_from: List[str] = field(default_factory=list)  # 'container[:ro]'
    mounts: Dict[str, str] = field(default_factory=dict)  # container path -> volume name or host path
    containers: List[str] = field(default_factory=list)  # containers whose volumes are used


def _rw(readonly: Any) -> str:
    return "ro" if readonly else "rw"


class MapVolumes:
    """Volume lookups of one extended map: default paths by alias, attached volumes by their key.

    The key of an attached volume is its alias, or ``config.alias`` when the map has
    ``use_attached_parent_name``; it is what ``uses`` entries refer to.
    """

    def __init__(self, container_map: Any) -> None:
        self.container_map = container_map
        self.parent_mode = bool(container_map.use_attached_parent_name)
        self._configs = dict(container_map)
        self._attached: Dict[str, Tuple[str, Any]] = {}
        for name, config in self._configs.items():
            for volume in config.attaches:
                self._attached.setdefault(self.attached_key(name, resolve_value(volume.name)), (name, volume))

    def attached_key(self, owner: str, alias: str) -> str:
        """How ``uses`` entries name the volume ``alias`` attached by ``owner``."""
        return f"{owner}.{alias}" if self.parent_mode else alias

    def default_path(self, alias: str) -> Optional[str]:
        """Resolved ``default_path`` of a volume alias, ``None`` if the map has none."""
        config = self.container_map.get_existing_volume(alias)
        path = resolve_value(config.default_path) if config is not None else None
        return path if is_set(path) and path else None

    def _alias_path(self, alias: str, location: str) -> str:
        path = self.default_path(alias)
        if path is None:
            raise MapConfigurationError(
                f"{location}: no container path for volume alias {alias!r}; add it to the map's 'volumes' "
                "or give a path in the entry."
            )
        return path

    def attached(self, owner: str, volume: Any, location: str) -> AttachedVolume:
        """The attached volume entry ``volume`` of configuration ``owner``, with its name and path."""
        alias = resolve_value(volume.name)
        path = resolve_value(volume.path) if isinstance(volume, UsedVolume) else None
        name = engine_volume_name(self.container_map, alias, owner)
        return AttachedVolume(owner, alias, name, path or self._alias_path(alias, location))

    def preparation(self, config: Any, alias: str) -> Tuple[Optional[str], Optional[str]]:
        """``(owner, mode)`` to give the volume ``alias`` attached by ``config``: the volume's ``user``
        and ``permissions``, else the container configuration's."""
        volume = self.container_map.get_existing_volume(alias)
        user = volume.user if volume is not None and is_set(volume.user) else config.user
        mode = volume.permissions if volume is not None and is_set(volume.permissions) else config.permissions
        return format_owner(user), format_mode(mode)

    def find_attached(self, key: str, location: str) -> Optional[AttachedVolume]:
        """The attached volume a ``uses`` name refers to, ``None`` if it names no attached volume."""
        found = self._attached.get(key)
        return self.attached(found[0], found[1], location) if found else None

    def host_bind(self, bind: Any, instance: Optional[str], location: str) -> Tuple[str, str]:
        """``(container path, host path)`` of a ``binds`` entry for ``instance``."""
        host = self.container_map.host
        if isinstance(bind, HostVolume):
            path = resolve_value(bind.path)
            container_path = path if is_path(path) else self._alias_path(path, location)
            host_path = bind.host_path
        else:
            alias = resolve_value(bind.name)
            container_path = self._alias_path(alias, location)
            if alias not in host:
                raise MapConfigurationError(
                    f"{location}: no host path for volume alias {alias!r} in the map's 'host'."
                )
            host_path = host[alias]
        try:
            resolved = get_host_path(host.root, host_path, instance)
        except ValueError as exc:
            raise MapConfigurationError(f"{location}: {exc}") from None
        if not posixpath.isabs(resolved):
            raise MapConfigurationError(
                f"{location}: host path {resolved!r} for {container_path!r} is relative; set the map's "
                "'host_root' or give an absolute path."
            )
        return container_path, resolved

    def used_containers(self, name: str, location: str) -> List[str]:
        """Engine names of the containers a ``uses`` entry refers to (``config`` or ``config.instance``)."""
        config_name, _, instance = name.partition(".")
        config = self._configs.get(config_name)
        if config is None:
            raise MapConfigurationError(
                f"{location}: {name!r} is neither an attached volume nor a container configuration of map "
                f"{self.container_map.name!r}."
            )
        instances = list(config.instances) or [None]
        if instance and instance not in instances:
            raise MapConfigurationError(
                f"{location}: configuration {config_name!r} has no instance {instance!r}."
            )
        return [
            engine_container_name(self.container_map, config_name, item)
            for item in ([instance] if instance else instances)
        ]

    def of_container(
        self, config_name: str, config: Any, instance: Optional[str], location: str
    ) -> ContainerVolumes:
        """Everything ``config`` mounts as instance ``instance``: shares, binds, attached and used volumes."""
        result = ContainerVolumes()

        def mount(path: str, source: str, readonly: Any) -> None:
            if path not in result.paths:
                result.paths.append(path)
            result.binds.append(f"{source}:{path}:{_rw(readonly)}")
            result.mounts[path] = source

        for share in config.shares:
            path = resolve_value(share)
            if path not in result.paths:
                result.paths.append(path)
        for bind in config.binds:
            container_path, host_path = self.host_bind(bind, instance, f"{location}.binds")
            mount(container_path, host_path, bind.readonly)
        for volume in config.attaches:
            attached = self.attached(config_name, volume, f"{location}.attaches")
            mount(attached.path, attached.name, False)
        for used in config.uses:
            name = resolve_value(used.name)
            shared = self.find_attached(name, f"{location}.uses")
            if shared is not None:
                path = resolve_value(used.path) if isinstance(used, UsedVolume) else None
                mount(path or shared.path, shared.name, used.readonly)
                continue
            for target in self.used_containers(name, f"{location}.uses"):
                result.volumes_from.append(f"{target}:ro" if used.readonly else target)
                result.containers.append(target)
        return result
