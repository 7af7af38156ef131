"""The containers a command is about: the maps and names given on the command line, checked."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Set

from dockermap.records import record

from .inputs import InputError
from .suggest import did_you_mean

ALL = "__all__"


@record(frozen=True)
class Target:
    """One container instance of a map, on one client."""

    client: str
    map_name: str
    config: str
    instance: Optional[str]
    name: str  # engine name


def select_map(maps: Dict[str, Any], map_name: Optional[str]) -> Optional[str]:
    """The map to act on: the one given, the only one, or ``None`` for all of them."""
    if map_name is None:
        return next(iter(maps)) if len(maps) == 1 else None
    if map_name not in maps:
        raise InputError(f"no map {map_name!r}{did_you_mean(map_name, list(maps))}")
    return map_name


def client_named(clients: Dict[str, Any], name: str) -> Any:
    """The client configuration ``name`` of the clients files."""
    if name not in clients:
        hint = did_you_mean(name, clients) if clients else ""
        raise InputError(f"no client {name!r} in the clients files{hint}")
    return clients[name]


def _valid_names(container_map: Any) -> List[str]:
    names = list(container_map.groups)
    for config_name, config in container_map:
        names.append(config_name)
        names.extend(f"{config_name}.{instance}" for instance in config.instances)
    return names


def check_names(
    maps: Dict[str, Any],
    map_name: Optional[str],
    names: Sequence[str],
    sources: Optional[Dict[str, str]] = None,
) -> None:
    """Refuse names that are no configuration, instance or group of the selected map(s); the message
    names the map and its file (``sources``: map name → file)."""
    selected = [maps[map_name]] if map_name else list(maps.values())
    valid = [name for container_map in selected for name in _valid_names(container_map)]
    for name in names:
        if name != ALL and name not in valid:
            files = sorted({(sources or {}).get(m.name, "") for m in selected} - {""})
            where = f"map {map_name!r}" if map_name else "the maps"
            where += f" ({', '.join(files)})" if files else ""
            raise InputError(
                f"no configuration, instance or group {name!r} in {where}{did_you_mean(name, valid)}"
            )


def targets(maps: Dict[str, Any], map_name: Optional[str], names: Sequence[str]) -> List[Target]:
    """Every container instance the names stand for (all of them without names), in map order."""
    from dockermap.map.names import DEFAULT_CLIENT_NAME, engine_container_name

    result = []
    for current in [maps[map_name]] if map_name else list(maps.values()):
        extended = current.get_extended_map()
        wanted: Set[str] = set()
        for name in names:
            wanted.update(extended.groups.get(name) or [name])
        for config_name, config in extended:
            for instance in list(config.instances) or [None]:
                full = f"{config_name}.{instance}" if instance else config_name
                if names and config_name not in wanted and full not in wanted:
                    continue
                for client in list(extended.clients) or [DEFAULT_CLIENT_NAME]:
                    engine_name = engine_container_name(extended, config_name, instance)
                    result.append(Target(client, extended.name, config_name, instance, engine_name))
    return result
