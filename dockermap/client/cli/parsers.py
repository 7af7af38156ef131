"""Parsers of ``docker`` command-line output, giving the shapes the Docker SDK returns."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any, Dict, List

import docker

#: Repository and tag column of an untagged image in ``docker images``.
NONE_TAG = "<none>"
#: Output format of ``docker ps`` read by :func:`parse_containers_output`.
CONTAINER_FORMAT = "{{.ID}}||{{.Image}}||{{.CreatedAt}}||{{.Status}}||{{.Names}}||{{.Command}}||{{.Ports}}"
CONTAINER_FORMAT_ARG = f"--format={CONTAINER_FORMAT}"
#: Output format of ``docker version`` and ``docker info``: the complete data as JSON.
JSON_FORMAT_ARG = "--format={{json .}}"


def _lines(out: str) -> List[str]:
    return [line for line in out.splitlines() if line.strip()]


_PS_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.\d+)? ([+-]\d{4})")


def parse_ps_time(value: str) -> int:
    """Epoch seconds of a ``docker ps`` time such as ``2024-05-07 21:09:36 +0200 CEST`` (0 if unreadable)."""
    match = _PS_TIME.match(value.strip())
    if not match:
        return 0
    return int(datetime.strptime(" ".join(match.groups()), "%Y-%m-%d %H:%M:%S %z").timestamp())


_ISO_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def parse_iso_time(value: str) -> int:
    """Epoch seconds of an engine timestamp such as ``2024-05-07T21:09:36.123456789Z`` (0 if unreadable)."""
    match = _ISO_TIME.match((value or "").strip())
    if not match:
        return 0
    moment = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    zone = match.group(2)
    if zone and zone != "Z":
        moment = datetime.strptime(match.group(1) + zone.replace(":", ""), "%Y-%m-%dT%H:%M:%S%z")
        return int(moment.timestamp())
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def _port_range(value: str) -> List[int]:
    first, _, last = value.partition("-")
    return list(range(int(first), int(last or first) + 1))


def parse_ports(value: str) -> List[Dict[str, Any]]:
    """The ``Ports`` of a container list entry from ``docker ps`` text such as
    ``0.0.0.0:8080->80/tcp, 443/tcp`` (ranges give one entry per port)."""
    ports: List[Dict[str, Any]] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        public, arrow, private = item.rpartition("->")
        private_port, _, protocol = private.partition("/")
        if not arrow:
            ports.extend({"PrivatePort": port, "Type": protocol} for port in _port_range(private_port))
            continue
        address, _, public_port = public.rpartition(":")
        address = address.strip("[]")
        for port, published in zip(_port_range(private_port), _port_range(public_port)):
            ports.append({"IP": address, "PrivatePort": port, "PublicPort": published, "Type": protocol})
    return ports


def parse_containers_output(out: str) -> List[Dict[str, Any]]:
    """Container list entries from ``docker ps`` with :data:`CONTAINER_FORMAT`."""
    containers = []
    for line in _lines(out):
        fields = line.split("||", 6)
        if len(fields) < 7:
            raise ValueError(f"unexpected docker ps output line: {line!r}")
        container_id, image, created, status, names, command, ports = fields
        containers.append(
            {
                "Id": container_id,
                "Image": image,
                "Created": parse_ps_time(created),
                "Status": status,
                "Names": [f"/{name}" for name in names.split(",") if name],
                "Command": command.strip('"'),
                "Ports": parse_ports(ports),
            }
        )
    return containers


def _table_rows(out: str) -> List[List[str]]:
    return [line.split() for line in _lines(out)[1:]]


def parse_networks_output(out: str) -> List[Dict[str, str]]:
    """Network list entries (``Id``, ``Name``, ``Driver``, ``Scope``) from the ``docker network ls`` table."""
    keys = ("Id", "Name", "Driver", "Scope")
    return [dict(zip(keys, row)) for row in _table_rows(out)]


def parse_volumes_output(out: str) -> List[Dict[str, str]]:
    """Volume list entries (``Driver``, ``Name``) from the ``docker volume ls`` table."""
    return [dict(zip(("Driver", "Name"), row)) for row in _table_rows(out)]


def parse_inspect_output(out: str, item_type: str) -> Dict[str, Any]:
    """The object of a ``docker ... inspect`` of one item.

    :raises docker.errors.NotFound: when the output lists nothing.
    """
    items = json.loads(out) if out.strip() else []
    if not items:
        raise docker.errors.NotFound(f"{item_type.title()} not found.", None)
    return items[0]


def parse_images_output(out: str) -> List[Dict[str, Any]]:
    """Image list entries from the ``docker images --no-trunc`` table, one per image id (sorted by id).

    ``RepoTags`` is ``['<none>:<none>']`` for an untagged image, as the engine lists it; the table does not
    tell parents, times or sizes (``ParentId`` ``''``, ``Created``/``Size``/``VirtualSize`` 0).
    """
    tags: Dict[str, List[str]] = {}
    for row in _table_rows(out):
        repository, tag, image_id = row[:3]
        entry = tags.setdefault(image_id, [])
        if repository != NONE_TAG and tag != NONE_TAG:
            entry.append(f"{repository}:{tag}")
    return [
        {
            "Id": image_id,
            "RepoTags": tags[image_id] or [f"{NONE_TAG}:{NONE_TAG}"],
            "ParentId": "",
            "Created": 0,
            "VirtualSize": 0,
            "Size": 0,
        }
        for image_id in sorted(tags)
    ]


def parse_version_output(out: str, section: str = "Client") -> Dict[str, Any]:
    """One section (``Client`` or ``Server``) of ``docker version`` with :data:`JSON_FORMAT_ARG`."""
    data = json.loads(out) if out.strip() else {}
    return data.get(section) or {}


def parse_info_output(out: str) -> Dict[str, Any]:
    """``docker info`` with :data:`JSON_FORMAT_ARG`."""
    return json.loads(out) if out.strip() else {}


def parse_top_output(out: str) -> Dict[str, Any]:
    """``{'Titles', 'Processes'}`` of ``docker top`` (the last column keeps its spaces)."""
    lines = _lines(out)
    if not lines:
        return {"Titles": [], "Processes": []}
    titles = lines[0].split()
    return {"Titles": titles, "Processes": [line.split(None, len(titles) - 1) for line in lines[1:]]}
