"""Network endpoints (``networks``) of a container."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from typing import Any, List, Optional

from .lists import ContainerLinkList, NamedTupleList, unsupported
from .tuples import InputTuple, build, check_name, check_names, check_optional_name
from .values import describe, is_lazy, is_text


def _get_list(owner: str, value: Any) -> Optional[List[Any]]:
    """Falsy → ``None``, a list/tuple of names → list, a single name or lazy value → 1-list."""
    if value is None or (isinstance(value, (str, list, tuple)) and not value):
        return None
    if is_text(value):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(check_names(owner, value))
    raise ValueError(f"{owner} must be None, a string, a lazy value or a list of them; got {describe(value)}")


class NetworkEndpoint(
    InputTuple,
    namedtuple(
        "NetworkEndpoint",
        ("network_name", "aliases", "links", "ipv4_address", "ipv6_address", "link_local_ips"),
        defaults=(None, None, None, None, None),
    ),
):
    """A connection of the container to a network, with optional aliases, links and addresses.

    ``aliases`` and ``link_local_ips`` become lists (or ``None``); ``links`` is always a
    :class:`ContainerLinkList` (empty when there are none).
    """

    __slots__ = ()

    def __new__(
        cls,
        network_name: Any,
        aliases: Any = None,
        links: Any = None,
        ipv4_address: Any = None,
        ipv6_address: Any = None,
        link_local_ips: Any = None,
    ) -> NetworkEndpoint:
        return super().__new__(
            cls,
            check_name("NetworkEndpoint.network_name", network_name),
            _get_list("NetworkEndpoint.aliases", aliases),
            ContainerLinkList(links),
            check_optional_name("NetworkEndpoint.ipv4_address", ipv4_address),
            check_optional_name("NetworkEndpoint.ipv6_address", ipv6_address),
            _get_list("NetworkEndpoint.link_local_ips", link_local_ips),
        )


class NetworkEndpointList(NamedTupleList):
    """``networks``: :class:`NetworkEndpoint` elements; a whole dict maps network → aliases or options."""

    __slots__ = ()

    element_type = NetworkEndpoint
    kind = "network endpoint"
    forms = (
        "a network name, (network_name, {options}), (network_name[, aliases, links, ipv4_address, "
        "ipv6_address, link_local_ips]), {network_name: aliases}, {network_name: {options}}, "
        "{network_name: [aliases, links, ...]}, a dict with network_name/aliases/links/ipv4_address/"
        "ipv6_address/link_local_ips keys or a NetworkEndpoint"
    )

    def _convert(self, value: Any) -> NetworkEndpoint:
        if isinstance(value, NetworkEndpoint):
            return value
        if is_text(value):
            return NetworkEndpoint(value)
        if isinstance(value, (list, tuple)):
            if len(value) == 2 and isinstance(value[1], Mapping):
                return build(NetworkEndpoint, value[:1], value[1])
            return build(NetworkEndpoint, value)
        if isinstance(value, Mapping):
            if len(value) == 1:
                return self._from_entry(*next(iter(value.items())))
            return build(NetworkEndpoint, (), value)
        raise unsupported(value)

    @staticmethod
    def _from_entry(name: Any, spec: Any) -> NetworkEndpoint:
        if isinstance(name, str) and name == "network_name":
            return NetworkEndpoint(spec)
        if is_text(spec):
            return NetworkEndpoint(name, spec)
        if not is_lazy(spec) and not spec:
            return NetworkEndpoint(name)
        if isinstance(spec, Mapping):
            return build(NetworkEndpoint, (name,), spec)
        if isinstance(spec, (list, tuple)):
            return build(NetworkEndpoint, (name, *spec))
        raise unsupported(spec)
