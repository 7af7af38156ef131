"""Compose ``ports`` and ``expose`` entries as ``exposes`` entries of a container configuration."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from .values import text

_RANGE = re.compile(r"([0-9]+)(?:-([0-9]+))?")
_LONG_KEYS = ("target", "published", "host_ip", "protocol", "mode", "name", "app_protocol")


def _port_range(value: str, entry: Any) -> List[int]:
    match = _RANGE.fullmatch(value)
    if match is None:
        raise ValueError(f"invalid port {value!r} in {entry!r}")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"invalid port range {value!r} in {entry!r}")
    return list(range(first, last + 1))


def _exposed(port: int, protocol: str) -> Any:
    return port if protocol == "tcp" else f"{port}/{protocol}"


def _binding(port: int, protocol: str, host_port: Optional[int], host_ip: str) -> Dict[str, Any]:
    entry: Dict[str, Any] = {"exposed_port": _exposed(port, protocol)}
    if host_port is not None:
        entry["host_port"] = host_port
        if host_ip and host_ip not in ("0.0.0.0", "::"):
            entry["interface"] = host_ip
            entry["ipv6"] = ":" in host_ip
    return entry


def _split_short(entry: str) -> Tuple[str, str, str, str]:
    """``(host ip, host ports, container ports, protocol)`` of ``[[ip:]host:]container[/protocol]``."""
    spec, _, protocol = entry.partition("/")
    host_ip = ""
    if spec.startswith("["):
        address, _, spec = spec[1:].partition("]")
        host_ip, spec = address, spec.lstrip(":")
    parts = spec.rsplit(":", 2) if not host_ip else ["", *spec.split(":")]
    if len(parts) == 3:
        host_ip = host_ip or parts[0]
        return host_ip, parts[1], parts[2], protocol or "tcp"
    if len(parts) == 2:
        return host_ip, parts[0], parts[1], protocol or "tcp"
    return host_ip, "", parts[0], protocol or "tcp"


def _pairs(container: List[int], host: List[int], entry: Any) -> List[Tuple[int, int]]:
    if len(host) == 1 and len(container) > 1:
        raise ValueError(
            f"a range of container ports needs a range of host ports of the same size in {entry!r}"
        )
    if len(host) != len(container):
        raise ValueError(f"host and container port ranges differ in size in {entry!r}")
    return list(zip(container, host))


def _long_form(entry: Dict[Any, Any]) -> Tuple[str, str, str, str]:
    unknown = sorted(set(entry) - set(_LONG_KEYS))
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; valid keys are {', '.join(_LONG_KEYS)}")
    if entry.get("mode", "ingress") not in ("ingress", "host"):
        raise ValueError(f"mode {entry['mode']!r} is not supported (ingress or host)")
    if "target" not in entry:
        raise ValueError("a port entry needs 'target'")
    published = text(entry["published"]) if "published" in entry else ""
    return (
        text(entry.get("host_ip", "")),
        published,
        text(entry["target"]),
        text(entry.get("protocol", "tcp")),
    )


def published_ports(entry: Any) -> List[Dict[str, Any]]:
    """The ``exposes`` entries of one ``ports`` entry (short or long syntax)."""
    parts = _long_form(entry) if isinstance(entry, dict) else _split_short(text(entry))
    host_ip, host_ports, container_ports, protocol = parts
    container = _port_range(container_ports, entry)
    if not host_ports:
        raise ValueError(
            f"{entry!r} publishes on a random host port, which dockermap does not support; give the host "
            "port or use 'expose'"
        )
    host = _port_range(host_ports, entry)
    return [
        _binding(port, protocol, host_port, host_ip) for port, host_port in _pairs(container, host, entry)
    ]


def exposed_ports(entry: Any) -> List[Dict[str, Any]]:
    """The ``exposes`` entries of one ``expose`` entry (``80``, ``'8000-8010'``, ``'53/udp'``)."""
    ports, _, protocol = text(entry).partition("/")
    return [_binding(port, protocol or "tcp", None, "") for port in _port_range(ports, entry)]


def published_port_key(entry: Any) -> Tuple[str, str, str, str]:
    """``(host ip, published, target, protocol)`` of a ``ports`` entry: entries with the same key publish
    the same port, whatever their syntax."""
    if isinstance(entry, dict):
        return (
            text(entry.get("host_ip", "")),
            text(entry.get("published", "")),
            text(entry.get("target", "")),
            text(entry.get("protocol", "tcp")),
        )
    return _split_short(text(entry))
