"""Container list entries (as ``APIClient.containers`` gives them) made from ``inspect_container`` output."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence

from .parsers import parse_iso_time


def _command_text(path: str, args: Sequence[str]) -> str:
    # As the engine lists it: arguments with a space in single quotes.
    quoted = [f"'{arg}'" if " " in arg else arg for arg in args or ()]
    return " ".join([path or ""] + quoted) if quoted else path or ""


def published_ports(ports: Optional[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Container list ``Ports`` from the ``NetworkSettings.Ports`` of ``inspect_container``."""
    result: List[Dict[str, Any]] = []
    for key, bindings in (ports or {}).items():
        number, _, protocol = key.partition("/")
        if not bindings:
            result.append({"PrivatePort": int(number), "Type": protocol})
            continue
        for binding in bindings:
            entry = {"IP": binding.get("HostIp") or "", "PrivatePort": int(number), "Type": protocol}
            if (binding.get("HostPort") or "").isdigit():
                entry["PublicPort"] = int(binding["HostPort"])
            result.append(entry)
    return result


def _listed_networks(networks: Optional[Mapping[str, Any]], container_id: str) -> Dict[str, Any]:
    # The list leaves out the alias the engine adds on user-defined networks: the container's short id.
    listed = {}
    for name, settings in (networks or {}).items():
        settings = dict(settings or {})
        if settings.get("Aliases"):
            settings["Aliases"] = [a for a in settings["Aliases"] if a != container_id[:12]] or None
        listed[name] = settings
    return listed


def container_list_entry(info: Mapping[str, Any], status: str) -> Dict[str, Any]:
    """An entry of the container list (``APIClient.containers``) from ``inspect_container`` output and the
    ``Status`` text of ``docker ps``."""
    config = info.get("Config") or {}
    settings = info.get("NetworkSettings") or {}
    return {
        "Id": info["Id"],
        "Names": [info.get("Name") or ""],
        "Image": config.get("Image") or info.get("Image") or "",
        "ImageID": info.get("Image") or "",
        "Command": _command_text(info.get("Path") or "", info.get("Args") or ()),
        "Created": parse_iso_time(info.get("Created") or ""),
        "Ports": published_ports(settings.get("Ports")),
        "Labels": config.get("Labels") or {},
        "State": (info.get("State") or {}).get("Status") or "",
        "Status": status,
        "HostConfig": {"NetworkMode": (info.get("HostConfig") or {}).get("NetworkMode") or ""},
        "NetworkSettings": {"Networks": _listed_networks(settings.get("Networks"), info["Id"])},
        "Mounts": list(info.get("Mounts") or ()),
    }
