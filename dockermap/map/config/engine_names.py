"""The engine names of a map's containers, volumes and networks, checked before anything is created.

Three rules, each reported with the configuration's location:

* every name part (map, container configuration, instance, attached volume alias, network) fits the
  engine's name rule ``[a-zA-Z0-9][a-zA-Z0-9_.-]*`` (the map name starts the engine name; the other
  parts follow a ``.``, so they may start with any allowed character); a ``container_name`` is a whole
  name (at least two characters) and names one container, so its configuration has one instance at most;
  the configured ``name`` of a volume dockermap creates is a whole name too (the rule of the engine's
  ``local`` driver; other drivers decide for themselves), that of a network is more than white space
  and none of the engine's own networks (the engine accepts any other text, spaces and ``/`` included);
* ``__all__`` is no map or container configuration name: a call naming it selects everything (for a
  map name, the engine's rule already refuses it);
* no two items get the same engine name, within a map (``a.b`` and ``a`` with instance ``b``, two
  volumes configured with one ``name``) or between maps deployed to the same client (map ``a.b`` with
  ``c``, map ``a`` with ``b.c``); both locations are named. The name compared is the one the item
  really gets (a configured ``name`` included); external volumes and networks are left out, as several
  maps may use one.
"""

# Without ``from __future__ import annotations``: typing.NamedTuple compiles each field's annotation
# when it is a string, which made importing this module several times slower.
import re
from functools import partial
from typing import Any, Callable, Dict, Iterable, Iterator, List, NamedTuple, Optional, Tuple

from dockermap import DEFAULT_PRESET_NETWORKS
from dockermap.functional import resolve_value
from dockermap.map.exceptions import ConfigProblem
from dockermap.map.names import (
    DEFAULT_CLIENT_NAME,
    configured_name,
    engine_container_name,
    engine_network_name,
    engine_volume_name,
)

from .dependencies import ref_name
from .view import MapView

#: The rule of every part of a derived engine name (the engine's rule for container and volume names).
ENGINE_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]*")
#: The engine's rule for a whole container name (a ``container_name``) and a local volume's ``name``.
CONTAINER_NAME = re.compile(r"[a-zA-Z0-9][a-zA-Z0-9_.-]+")
#: The volume driver whose name rule the engine applies (the default one).
LOCAL_DRIVER = "local"
#: A part of an engine name after the first (it follows a ``.``).
_NAME_PART = re.compile(r"[a-zA-Z0-9_.-]+")
#: The name that selects every map, or every container configuration of a map.
_ALL = "__all__"


class EngineName(NamedTuple):
    """The engine name of one item, and where and what the item is."""

    kind: str  # 'container', 'volume' or 'network'
    name: str
    source: Tuple[str, ...]  # the configured item: (map, config, instance), (map, alias), (map, network)
    location: str
    item: str


def _rule_problem(location: str, what: str, name: str, first: bool) -> List[ConfigProblem]:
    if (ENGINE_NAME if first else _NAME_PART).fullmatch(name):
        return []
    start = "start with a letter or digit and " if first else ""
    return [
        ConfigProblem(
            location,
            f"{what} {name!r} cannot be part of an engine name: names must {start}contain only letters, "
            f"digits, '_', '.' and '-'",
        )
    ]


def _external(config: Any) -> bool:
    return config is not None and bool(resolve_value(config.external))


def engine_names(ext_map: MapView) -> Iterator[EngineName]:
    """The engine name of every container instance, attached volume and network of an extended map that
    dockermap creates (external volumes and networks are made elsewhere and may be shared)."""
    map_name = ext_map.name
    for config_name, config in ext_map:
        location = f"{map_name}.{config_name}"
        instances = list(config.instances) or [None]
        if resolve_value(config.container_name):
            instances = instances[:1]  # it names one container; more instances are refused by the rules
        for instance in instances:
            item = f"container {config_name!r}" + (f" instance {instance!r}" if instance else "")
            name = engine_container_name(ext_map, config_name, instance)
            yield EngineName("container", name, (map_name, config_name, instance or ""), location, item)
        for volume in config.attaches:
            alias = ref_name(volume.name)
            if alias is None or _external(ext_map.get_existing_volume(alias)):
                continue
            # Without parent names, configurations attaching the same alias share one volume.
            owner = config_name if ext_map.use_attached_parent_name else ""
            yield EngineName(
                "volume",
                engine_volume_name(ext_map, alias, config_name),
                (map_name, owner, alias),
                f"{location}.attaches",
                f"volume {alias!r} attached by {config_name!r}",
            )
    for network in ext_map.networks.keys():
        if _external(ext_map.get_existing_network(network)):
            continue
        yield EngineName(
            "network",
            engine_network_name(ext_map, network),
            (map_name, network),
            f"{map_name}.networks.{network}",
            f"network {network!r}",
        )


def _container_name_problems(location: str, config: Any) -> List[ConfigProblem]:
    """A ``container_name`` names one container, and the whole name must pass the engine's rule."""
    name = resolve_value(config.container_name)
    if not name:
        return []
    name = str(name)
    location = f"{location}.container_name"
    if len(config.instances) > 1:
        instances = ", ".join(repr(instance) for instance in config.instances)
        return [
            ConfigProblem(
                location,
                f"a container name names one container, but the configuration has the instances {instances}; "
                "remove 'container_name' or all instances but one",
            )
        ]
    refused = container_name_problem(name)
    return [ConfigProblem(location, refused)] if refused else []


def _whole_name_problem(kind: str, name: str) -> Optional[str]:
    if CONTAINER_NAME.fullmatch(name):
        return None
    return (
        f"the engine refuses the {kind} name {name!r}: names must have at least two characters, start "
        "with a letter or digit and contain only letters, digits, '_', '.' and '-'"
    )


def container_name_problem(name: str) -> Optional[str]:
    """Why the engine would refuse the container name ``name``; ``None`` if it would not."""
    return _whole_name_problem("container", name)


def volume_name_problem(name: str, driver: Any = LOCAL_DRIVER) -> Optional[str]:
    """Why the engine would refuse to create the volume ``name`` with ``driver``; ``None`` if it would
    not. Only the ``local`` driver's rule is known; another driver is left to judge its names itself."""
    if (driver or LOCAL_DRIVER) != LOCAL_DRIVER:
        return None
    return _whole_name_problem("volume", name)


def network_name_problem(name: str) -> Optional[str]:
    """Why the engine would refuse to create the network ``name``; ``None`` if it would not."""
    if not name.strip():
        return f"the engine refuses the network name {name!r}: it must contain more than white space"
    if name in DEFAULT_PRESET_NETWORKS:
        return (
            f"{name!r} is one of the engine's own networks, which cannot be created; set 'external: true' "
            "to join it"
        )
    return None


def _configured_name_problems(
    location: str, config: Any, refused: Callable[[str], Optional[str]]
) -> List[ConfigProblem]:
    """The configured ``name`` of a volume or network that dockermap creates, if the engine refuses it."""
    name = configured_name(config)
    if name is None or _external(config):
        return []
    problem = refused(name)
    return [ConfigProblem(f"{location}.name", problem)] if problem else []


def name_rule_problems(ext_map: MapView) -> List[ConfigProblem]:
    """Names of an extended map that the engine would refuse or that a call cannot address."""
    map_name = ext_map.name
    problems = _rule_problem(map_name, "map name", map_name, first=True)  # this refuses '__all__', too
    for config_name, config in ext_map:
        location = f"{map_name}.{config_name}"
        problems.extend(_rule_problem(location, "configuration name", config_name, first=False))
        if config_name == _ALL:
            problems.append(
                ConfigProblem(location, "'__all__' selects every configuration; it cannot name one")
            )
        for instance in config.instances:
            problems.extend(_rule_problem(f"{location}.instances", "instance name", instance, first=False))
        problems.extend(_container_name_problems(location, config))
        for volume in config.attaches:
            alias = ref_name(volume.name)
            if alias is not None:
                problems.extend(_rule_problem(f"{location}.attaches", "volume alias", alias, first=False))
    for alias, volume in ext_map.volumes.items():
        refused = partial(volume_name_problem, driver=resolve_value(volume.driver))
        problems.extend(_configured_name_problems(f"{map_name}.volumes.{alias}", volume, refused))
    for network, config in ext_map.networks.items():
        location = f"{map_name}.networks.{network}"
        problems.extend(_rule_problem(location, "network name", network, first=False))
        problems.extend(_configured_name_problems(location, config, network_name_problem))
    return problems


def _clashes(names: Iterable[EngineName], seen: Dict[Tuple[str, str], EngineName]) -> List[ConfigProblem]:
    problems = []
    for found in names:
        first = seen.setdefault((found.kind, found.name), found)
        if first.source != found.source:
            problems.append(
                ConfigProblem(
                    found.location,
                    f"the {found.item} would get the {found.kind} name {found.name!r}, the same as the "
                    f"{first.item} of {first.location}; rename one of them",
                )
            )
    return problems


def collision_problems(ext_map: MapView) -> List[ConfigProblem]:
    """Two items of one extended map that would get the same engine name.

    Configurations attaching the same volume alias share its volume (the duplicate check decides whether
    a map may do that); different aliases or networks clash only through their configured ``name``.
    """
    return _clashes(engine_names(ext_map), {})


def map_collision_problems(ext_maps: Iterable[MapView]) -> List[ConfigProblem]:
    """Items of different maps deployed to the same client that would get the same engine name."""
    by_client: Dict[str, Dict[Tuple[str, str], EngineName]] = {}
    problems: List[ConfigProblem] = []
    for ext_map in ext_maps:
        names = [
            found._replace(item=f"{found.item} of map {ext_map.name!r}") for found in engine_names(ext_map)
        ]
        for client in ext_map.clients or (DEFAULT_CLIENT_NAME,):
            seen = by_client.setdefault(client, {})
            problems.extend(problem for problem in _clashes(names, seen) if problem not in problems)
    return problems
