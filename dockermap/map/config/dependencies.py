"""What each container instance of an (extended) map depends on: the input of the dependency resolvers."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple

from dockermap import DEFAULT_PRESET_NETWORKS
from dockermap.functional import resolve_value
from dockermap.map.input import ItemType, MapConfigId

from .view import MapView


def ref_name(value: Any) -> Optional[str]:
    """A referenced name as a non-empty string (lazy values resolved), or ``None`` if it is not one."""
    if type(value) is not str:
        value = resolve_value(value)
    return value if isinstance(value, str) and value else None


class _MapIndex:
    """Ids and lookups over the configurations of an extended map, built once (linear in the map size).

    Ids are created once and shared, which keeps memory and hashing work low on large maps.
    """

    def __init__(self, ext_map: MapView) -> None:
        self.ext_map = ext_map
        self.map_name = ext_map.name
        self.configs = dict(ext_map)
        self.ids: Dict[str, List[MapConfigId]] = {
            name: [self._container_id(name, instance) for instance in config.instances or (None,)]
            for name, config in self.configs.items()
        }
        self.attached_by: Dict[Any, str] = {}
        for name, config in self.configs.items():
            for volume in config.attaches:
                self.attached_by.setdefault(volume.name, name)
        self._images: Dict[Any, Optional[MapConfigId]] = {}

    def _container_id(self, config_name: str, instance: Optional[str]) -> MapConfigId:
        return MapConfigId(ItemType.CONTAINER, self.map_name, config_name, instance)

    def container_ids(self, config_name: str, instance: Optional[str] = None) -> List[MapConfigId]:
        """Ids of ``instance`` of a configuration, or of all its instances when ``instance`` is ``None``."""
        if instance is not None:
            return [self._container_id(config_name, instance)]
        ids = self.ids.get(config_name)
        return ids if ids is not None else [self._container_id(config_name, None)]

    def link_ids(self, target: Any) -> List[MapConfigId]:
        """``'cfg.inst'`` → that instance; ``'cfg'`` → all instances of ``cfg``."""
        target = ref_name(target)
        if target is None:
            return []
        config_name, _, instance = target.partition(".")
        return self.container_ids(config_name, instance or None) if config_name else []

    def used_ids(self, used: Any, parent_mode: bool) -> List[MapConfigId]:
        """Container instances providing a ``uses`` volume (the attaching or the sharing configuration)."""
        used = ref_name(used)
        if used is None:
            return []
        head, _, tail = used.partition(".")
        if not head:
            return []
        if parent_mode:
            config = self.configs.get(head)
            if config is None:
                return []
            if not tail or any(volume.name == tail for volume in config.attaches):
                return self.container_ids(head)
            return self.container_ids(head, tail)
        owner = self.attached_by.get(head)
        if owner is not None:
            return self.container_ids(owner)
        return self.container_ids(head, tail or None)

    def image_id(self, image: Any) -> Optional[MapConfigId]:
        """``(IMAGE, map, name, tag)`` of an image reference (through repository and default tag)."""
        if image not in self._images:
            name, tag = self.ext_map.get_image(image)
            self._images[image] = MapConfigId(ItemType.IMAGE, self.map_name, name, tag) if name else None
        return self._images[image]


def _config_dependencies(index: _MapIndex, name: str, parent_mode: bool) -> List[MapConfigId]:
    config = index.configs[name]
    deps: Dict[MapConfigId, None] = {}
    network_mode = config.network_mode
    if isinstance(network_mode, tuple) and network_mode[0] in index.configs:
        ref, instance = network_mode
        if instance is not None and all(item.instance_name != instance for item in index.ids[ref]):
            instance = None
        deps.update(dict.fromkeys(index.container_ids(ref, instance)))
    for endpoint in config.networks:
        network = ref_name(endpoint.network_name)
        if network is None or network in DEFAULT_PRESET_NETWORKS:
            continue
        deps[MapConfigId(ItemType.NETWORK, index.map_name, network)] = None
        for link in endpoint.links or ():
            deps.update(dict.fromkeys(index.link_ids(link.container)))
    for used in config.uses:
        deps.update(dict.fromkeys(index.used_ids(used.name, parent_mode)))
    for link in config.links:
        deps.update(dict.fromkeys(index.link_ids(link.container)))
    for required in config.depends_on:
        deps.update(dict.fromkeys(index.link_ids(required)))
    for volume in config.attaches:
        alias = ref_name(volume.name)
        if alias is not None:
            deps[MapConfigId(ItemType.VOLUME, index.map_name, name, alias)] = None
    image = index.image_id(resolve_value(config.image) or name)
    if image is not None:
        deps[image] = None
    return list(deps)


def dependency_items(ext_map: MapView) -> Iterator[Tuple[MapConfigId, List[MapConfigId]]]:
    """``(container instance id, [ids it depends on])`` for every instance of an extended map.

    Per configuration, in this order: the ``network_mode`` container, networks (and their endpoint
    links), ``uses`` providers, ``links``, ``depends_on``, own attached volumes, the image. Unknown
    references are skipped (the integrity check reports them).
    """
    index = _MapIndex(ext_map)
    parent_mode = bool(ext_map.use_attached_parent_name)
    for name, ids in index.ids.items():
        deps = _config_dependencies(index, name, parent_mode)
        for config_id in ids:
            yield config_id, deps if len(ids) == 1 else list(deps)
