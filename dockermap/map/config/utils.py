"""Expansion of requested configuration ids: maps, groups, ``__all__`` and instances."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from dockermap.exceptions import InvalidArgumentError
from dockermap.map.exceptions import ConfigurationNotFound as ConfigurationNotFound
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.input import InputConfigId, InputConfigIdList, ItemType, MapConfigId

#: Map or configuration name that selects every map, or every container configuration of a map.
ALL = "__all__"

Instances = Optional[Tuple[Optional[str], ...]]


def get_map_config(config_id: Any) -> Tuple[Any, Any, Any]:
    """``(config_type, map_name, config_name)`` of an id."""
    return config_id[0], config_id[1], config_id[2]


def _maps_named(map_name: Any, maps: Mapping[str, Any]) -> Iterable[Any]:
    if map_name == ALL:
        return maps.values()
    if map_name not in maps:
        raise ConfigurationNotFound(
            f"Container map {map_name!r} not found; maps are: {', '.join(map(str, maps))}."
        )
    return [maps[map_name]]


def _group_members(
    group: List[Any], config_type: ItemType, map_name: str, instances: Instances
) -> Iterator[MapConfigId]:
    for member in group:
        if isinstance(member, MapConfigId):
            yield member
        elif isinstance(member, str):
            config_name, _, instance = member.partition(".")
            yield MapConfigId(config_type, map_name, config_name, (instance,) if instance else instances)
        else:
            raise MapConfigurationError(
                f"Invalid group member {member!r}: expected 'config', 'config.instance' or a MapConfigId."
            )


def expand_groups(config_ids: Iterable[Any], maps: Mapping[str, Any]) -> Iterator[MapConfigId]:
    """Replace ``__all__`` maps and configurations and group names by the ids they stand for.

    Yields ``MapConfigId`` objects whose last field is a tuple of instance names (or ``None``).
    """
    for config_id in config_ids:
        if isinstance(config_id, InputConfigId):
            instances = config_id.instance_names
        elif isinstance(config_id, MapConfigId):
            instances = (config_id.instance_name,)
        else:
            raise InvalidArgumentError(
                f"Invalid configuration id {config_id!r}: expected an InputConfigId or MapConfigId."
            )
        config_type, map_name, config_name = get_map_config(config_id)
        for c_map in _maps_named(map_name, maps):
            if config_name == ALL and config_type == ItemType.CONTAINER:
                for name in c_map.containers.keys():
                    yield MapConfigId(config_type, c_map.name, name, instances)
            elif config_name in c_map.groups:
                yield from _group_members(c_map.groups[config_name], config_type, c_map.name, instances)
            else:
                yield MapConfigId(config_type, c_map.name, config_name, instances)


def _configured_instances(
    config_type: ItemType, map_name: str, config_name: str, ext_maps: Mapping[str, Any]
) -> Tuple:
    c_map = ext_maps.get(map_name)
    if config_type == ItemType.NETWORK:
        if c_map is not None and c_map.get_existing_network(config_name) is not None:
            return (None,)
    elif config_type in (ItemType.CONTAINER, ItemType.VOLUME):
        config = c_map.get_existing(config_name) if c_map is not None else None
        if config is not None:
            if config_type == ItemType.CONTAINER:
                return tuple(config.instances)
            return tuple(volume.name for volume in config.attaches)
    else:
        return ()
    kind = "network" if config_type == ItemType.NETWORK else "container"
    if c_map is None:
        valid = f"maps are: {', '.join(map(str, ext_maps)) or 'none'}"
    elif config_type == ItemType.NETWORK:
        valid = f"its networks are: {', '.join(c_map.networks.keys()) or 'none'}"
    else:
        valid = f"its containers are: {', '.join(name for name, _ in c_map) or 'none'}"
    raise ConfigurationNotFound(
        f"Configuration not found: {kind} configuration {config_name!r} in map {map_name!r}; {valid}."
    )


def expand_instances(config_ids: Iterable[MapConfigId], ext_maps: Mapping[str, Any]) -> Iterator[MapConfigId]:
    """One id per instance: requested instances are combined per configuration; a request for the
    default instance (``None``) of a configuration with instances selects all of them.

    Volume ids (owning configuration, alias) expand to the attached volume aliases.
    """
    requested: Dict[Tuple[Any, str, str], List[Optional[str]]] = {}
    for config_type, map_name, config_name, instances in config_ids:
        names = requested.setdefault((config_type, map_name, config_name), [])
        for instance in instances or (None,):
            if instance not in names:
                names.append(instance)
    for key in sorted(requested, key=lambda item: (item[0].value, item[1], item[2])):
        config_type, map_name, config_name = key
        configured = _configured_instances(config_type, map_name, config_name, ext_maps)
        names = requested[key]
        selected = configured if configured and None in names else names
        for instance in selected:
            yield MapConfigId(config_type, map_name, config_name, instance)


def get_map_config_ids(
    value: Any, maps: Mapping[str, Any], default_map_name: Optional[str] = None, default_instances: Any = None
) -> List[MapConfigId]:
    """Expand user input (names, tuples, ids; see ``InputConfigIdList``) into one id per instance.

    ``maps`` are the (extended) maps by name.
    """
    ids = InputConfigIdList(value, map_name=default_map_name, instances=default_instances)
    return list(expand_instances(expand_groups(ids, maps), maps))
