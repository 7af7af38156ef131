"""Engine names of the items a container map describes, as the classic library derives them.

* containers: ``map.config`` or ``map.config.instance``;
* attached volumes: ``map.alias``, or ``map.config.alias`` when the map has ``use_attached_parent_name``;
* networks: ``map.network``, except the networks every engine has (``host``, ``bridge``, ``none``);
* with the map's ``naming: compose``, as Docker Compose names them: containers ``map-config-N``
  (``N`` the instance, ``1`` without instances), volumes ``map_alias``, networks ``map_network``;
* host names: the container name with ``_`` and ``.`` replaced by ``-``, plus ``-<client>`` on a client
  other than the default one.

A container configuration with a ``container_name``, and a volume or network configured with a ``name``,
get that name instead; :func:`engine_container_name`, :func:`engine_volume_name` and
:func:`engine_network_name` give the name an item of a map really gets, and are what every place that
names such an item uses.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional, Tuple

from dockermap import DEFAULT_HOSTNAME_REPLACEMENT, DEFAULT_PRESET_NETWORKS
from dockermap.functional import resolve_value

#: Name of the client used when a map does not list its ``clients``.
DEFAULT_CLIENT_NAME = "__default__"
#: The map ``naming`` that gives engine objects the names Docker Compose gives them.
COMPOSE_NAMING = "compose"


def container_name(map_name: str, config: str, instance: Optional[str] = None, naming: Any = None) -> str:
    """Engine name of a container: ``map.config`` or ``map.config.instance`` (``map-config-N`` in compose
    naming)."""
    if naming == COMPOSE_NAMING:
        return f"{map_name}-{config}-{instance or 1}"
    return f"{map_name}.{config}.{instance}" if instance else f"{map_name}.{config}"


def volume_name(map_name: str, alias: str, parent: Optional[str] = None, naming: Any = None) -> str:
    """Engine name of an attached volume: ``map.alias``, or ``map.parent.alias`` with a parent name
    (``map_alias`` in compose naming)."""
    if naming == COMPOSE_NAMING:
        return f"{map_name}_{alias}"
    return f"{map_name}.{parent}.{alias}" if parent else f"{map_name}.{alias}"


def network_name(map_name: str, network: str, naming: Any = None) -> str:
    """Engine name of a network: ``map.network`` (``map_network`` in compose naming); preset networks
    (``host``, ``bridge``, ``none``) as is."""
    if network in DEFAULT_PRESET_NETWORKS:
        return network
    return f"{map_name}_{network}" if naming == COMPOSE_NAMING else f"{map_name}.{network}"


def configured_name(config: Any) -> Optional[str]:
    """The ``name`` set on a volume or network configuration (``None`` when there is none)."""
    name = resolve_value(config.name) if config is not None else None
    return str(name) if name else None


def engine_container_name(container_map: Any, config: str, instance: Optional[str] = None) -> str:
    """Engine name of an instance of the container configuration ``config`` of an extended map: its
    ``container_name``, else the derived name."""
    found = container_map.get_existing(config)
    configured = resolve_value(found.container_name) if found is not None else None
    if configured:
        return str(configured)
    return container_name(container_map.name, config, instance, container_map.naming)


def engine_volume_name(container_map: Any, alias: str, owner: Optional[str] = None) -> str:
    """Engine name of the volume ``alias`` of an extended map (attached by configuration ``owner``): its
    configured ``name``, else the derived name."""
    configured = configured_name(container_map.get_existing_volume(alias))
    if configured:
        return configured
    parent = owner if container_map.use_attached_parent_name else None
    return volume_name(container_map.name, alias, parent, container_map.naming)


def engine_network_name(container_map: Any, network: str) -> str:
    """Engine name of the network ``network`` of an extended map: its configured ``name``, else the
    derived name."""
    return configured_name(container_map.get_existing_network(network)) or network_name(
        container_map.name, network, container_map.naming
    )


def _replace(name: str, replacements: Iterable[Tuple[str, str]]) -> str:
    for old, new in replacements:
        name = name.replace(old, new)
    return name


def hostname(
    container_name: str,
    client_name: Optional[str] = None,
    replacements: Iterable[Tuple[str, str]] = DEFAULT_HOSTNAME_REPLACEMENT,
) -> str:
    """Host name of a container: its name with ``replacements`` applied (``m.app_server`` → ``m-app-server``).

    On a client other than the default one, ``-<client name>`` (with the same replacements) is appended,
    so that the same container deployed to several hosts gets a distinct name on each.
    """
    replacements = list(replacements)
    name = _replace(container_name, replacements)
    if client_name and client_name != DEFAULT_CLIENT_NAME:
        return f"{name}-{_replace(client_name, replacements)}"
    return name
