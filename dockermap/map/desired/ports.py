"""Exposed and published ports of a container (``exposes``), with per-client interface addresses."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Tuple, Union

from dockermap.functional import resolve_value
from dockermap.map.exceptions import MapConfigurationError
from dockermap.records import field, record
from dockermap.refs import port_key

Port = Union[int, str]


@record
class ContainerPorts:
    """Create arguments ``ports`` and ``port_bindings``, and the host bindings to expect on the engine."""

    ports: List[Any] = field(default_factory=list)  # 80, or ('53', 'udp') for '53/udp'
    port_bindings: Dict[Port, Any] = field(default_factory=dict)
    published: List[Tuple[str, str, str]] = field(default_factory=list)  # ('80/tcp', host ip, host port)


def _exposed(port: Port) -> Any:
    """A ``ports`` entry; the SDK appends ``/tcp`` to plain values, so ``'53/udp'`` is ``('53', 'udp')``."""
    if isinstance(port, str) and "/" in port:
        number, _, protocol = port.partition("/")
        return number, protocol
    return port


def _is_address(text: str) -> bool:
    import ipaddress  # only for ports published on an interface

    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _address(interfaces: Mapping[str, Any], interface: str, ipv6: bool, client: str, location: str) -> str:
    """The address of ``interface``: from the client's interfaces, else the interface itself if it is one."""
    address = resolve_value(interfaces.get(interface))
    if not address and _is_address(interface):
        return interface
    if not address:
        kind = "interfaces_ipv6" if ipv6 else "interfaces"
        known = ", ".join(sorted(interfaces.keys())) or "none"
        raise MapConfigurationError(
            f"{location}: address for interface {interface!r} not found in {kind} of client {client!r} "
            f"(configured: {known})."
        )
    return str(address)


def container_ports(
    exposes: Any,
    interfaces: Mapping[str, Any],
    interfaces_ipv6: Mapping[str, Any],
    client: str,
    location: str,
) -> ContainerPorts:
    """Ports of ``exposes`` entries; bindings are grouped by exposed port in configuration order.

    An entry with a host port is published on that port, on the address of its interface (from the
    client's ``interfaces``, or ``interfaces_ipv6`` for IPv6 entries; an interface that is not configured
    there but is an IP address stands for itself) or on all addresses.
    """
    result = ContainerPorts()
    groups: Dict[Port, List[Any]] = {}
    for entry in exposes:
        port = resolve_value(entry.exposed_port)
        if _exposed(port) not in result.ports:
            result.ports.append(_exposed(port))
        host_port = resolve_value(entry.host_port)
        if host_port is None or host_port == "":
            continue
        interface = resolve_value(entry.interface)
        if interface:
            ipv6 = bool(resolve_value(entry.ipv6))
            address = _address(interfaces_ipv6 if ipv6 else interfaces, interface, ipv6, client, location)
            groups.setdefault(port, []).append((address, host_port))
        else:
            address = "0.0.0.0"
            groups.setdefault(port, []).append(host_port)
        result.published.append((port_key(port), address, str(host_port)))
    result.port_bindings = {port: items[0] if len(items) == 1 else items for port, items in groups.items()}
    return result
