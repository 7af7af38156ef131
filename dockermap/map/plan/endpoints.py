"""Network connections of a container compared with its configured endpoints.

From the container list (always): configured networks it is not connected to, networks it is connected
to but not configured for, and connections to a network that was replaced since (another network id) or,
for a stopped container, removed since.
From ``inspect_container`` output (only when the container was inspected and runs): aliases, links and
addresses of each connection.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Tuple

from dockermap.records import field, record

from ..items import DesiredContainer, DesiredEndpoint, ObservedClient, ObservedContainer


@record
class EndpointDiff:
    """What to connect, reconnect and disconnect so that a container's networks match."""

    disconnected: List[DesiredEndpoint] = field(default_factory=list)
    #: Endpoints to disconnect and connect again, with the reason.
    reconnect: List[Tuple[DesiredEndpoint, str]] = field(default_factory=list)
    #: Names of connected networks that are not configured.
    left: List[str] = field(default_factory=list)


def _address(value: Optional[str]) -> Optional[Any]:
    if not value:
        return None
    import ipaddress  # most endpoints have no fixed address

    return ipaddress.ip_address(value)


def _settings_diff(endpoint: DesiredEndpoint, settings: Mapping[str, Any]) -> List[str]:
    """How an inspected connection differs from the endpoint configuration."""
    problems = []
    aliases = set(settings.get("Aliases") or ())
    missing = [alias for alias in endpoint.aliases if alias not in aliases]
    if missing:
        problems.append(f"aliases {', '.join(missing)} missing")
    links = {f"{name}:{alias}" for name, alias in endpoint.links}
    if links != set(settings.get("Links") or ()):
        problems.append(f"links are {sorted(settings.get('Links') or [])}, expected {sorted(links)}")
    ipam = settings.get("IPAMConfig") or {}
    for key, value in (("IPv4Address", endpoint.ipv4_address), ("IPv6Address", endpoint.ipv6_address)):
        if _address(value) != _address(ipam.get(key)):
            problems.append(f"{key} is {ipam.get(key) or 'unset'}, expected {value or 'unset'}")
    link_local = {_address(ip) for ip in endpoint.link_local_ips}
    if link_local != {_address(ip) for ip in ipam.get("LinkLocalIPs") or ()}:
        problems.append("link-local addresses differ")
    return problems


def _inspected_networks(container: ObservedContainer) -> Dict[str, Any]:
    if not container.detail:
        return {}
    return (container.detail.get("NetworkSettings") or {}).get("Networks") or {}


def diff_endpoints(
    desired: DesiredContainer, container: ObservedContainer, client: ObservedClient
) -> EndpointDiff:
    """Compare the configured endpoints with a container's connections.

    A container without configured endpoints uses the network mode or the engine's default network and
    is not checked here.
    """
    diff = EndpointDiff()
    if not desired.endpoints:
        return diff
    inspected = _inspected_networks(container) if container.running else {}
    for endpoint in desired.endpoints:
        connection = container.networks.get(endpoint.network)
        if connection is None:
            diff.disconnected.append(endpoint)
            continue
        network = client.networks.get(endpoint.network)
        if network is None and connection.get("id") and not container.running:
            # A stopped container keeps its endpoint on a removed network and would not start with it.
            diff.reconnect.append((endpoint, f"network {endpoint.network} was removed since it connected"))
        elif network is not None and connection.get("id") and connection["id"] != network.id:
            diff.reconnect.append((endpoint, f"network {endpoint.network} was replaced since it connected"))
        elif endpoint.network in inspected:
            problems = _settings_diff(endpoint, inspected[endpoint.network])
            if problems:
                diff.reconnect.append((endpoint, f"endpoint on {endpoint.network}: {'; '.join(problems)}"))
    configured = {endpoint.network for endpoint in desired.endpoints}
    diff.left = [name for name in container.networks if name not in configured]
    return diff
