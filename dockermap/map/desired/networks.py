"""Links, network endpoints and the network mode of a container."""

from __future__ import annotations

from typing import Any, Iterable, List, Optional, Sequence, Tuple

from dockermap.functional import resolve_value
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.items import DesiredEndpoint
from dockermap.map.names import engine_container_name, engine_network_name, hostname
from dockermap.records import replace

from .values import is_set

_CONTAINER_MODE = "container:"


def link_pairs(
    container_map: Any, links: Iterable[Any], replacements: Sequence[Tuple[str, str]]
) -> List[Tuple[str, str]]:
    """``(container name, alias)`` per link; the alias defaults to the host name of the link target."""
    pairs = []
    for link in links:
        target = resolve_value(link.container)
        config, _, instance = target.partition(".")
        alias = resolve_value(link.alias) or hostname(target, replacements=replacements)
        pairs.append((engine_container_name(container_map, config, instance or None), alias))
    return pairs


def _texts(values: Optional[Iterable[Any]]) -> Tuple[str, ...]:
    return tuple(resolve_value(value) for value in values or ())


def endpoints(
    container_map: Any, networks: Iterable[Any], replacements: Sequence[Tuple[str, str]]
) -> List[DesiredEndpoint]:
    """One :class:`DesiredEndpoint` per configured network, in configuration order."""
    return [
        DesiredEndpoint(
            network=engine_network_name(container_map, resolve_value(endpoint.network_name)),
            aliases=_texts(endpoint.aliases),
            links=tuple(link_pairs(container_map, endpoint.links or (), replacements)),
            ipv4_address=resolve_value(endpoint.ipv4_address) or None,
            ipv6_address=resolve_value(endpoint.ipv6_address) or None,
            link_local_ips=_texts(endpoint.link_local_ips),
        )
        for endpoint in networks
    ]


def links_on_endpoint(endpoint: DesiredEndpoint, links: Sequence[Tuple[str, str]]) -> DesiredEndpoint:
    """``endpoint`` with container ``links`` added: the engine ignores host-config links on a user-defined
    network, so links of a container joining one are made there (as the docker command line does)."""
    extra = tuple(link for link in links if link not in endpoint.links)
    return replace(endpoint, links=endpoint.links + extra)


def network_mode(container_map: Any, mode: Any, location: str) -> Tuple[Optional[str], Optional[str]]:
    """``(network_mode host-config value, container whose network stack is shared)``; ``(None, None)``
    when unset.

    A ``(config, instance)`` reference becomes ``container:<map>.<config>[.<instance>]``.
    """
    if not is_set(mode):
        return None, None
    if isinstance(mode, tuple):
        config_name, instance = mode
        config = container_map.get_existing(config_name)
        if config is None or config.abstract:
            raise MapConfigurationError(
                f"{location}: no container configuration {config_name!r} on the map to share the network of."
            )
        instances = list(config.instances)
        if instances and instance not in instances:
            raise MapConfigurationError(
                f"{location}: configuration {config_name!r} has instances {', '.join(instances)}; "
                f"name one of them, e.g. '{config_name}.{instances[0]}'."
            )
        if not instances and instance:
            raise MapConfigurationError(
                f"{location}: configuration {config_name!r} has no instance {instance!r}."
            )
        target = engine_container_name(container_map, config_name, instance)
        return f"{_CONTAINER_MODE}{target}", target
    if mode.startswith(_CONTAINER_MODE):
        return mode, mode[len(_CONTAINER_MODE) :]
    return mode, None
