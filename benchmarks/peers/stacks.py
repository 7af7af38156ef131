"""The stacks of the peer benchmark, written once as plain data and rendered for every tool.

A stack is a list of :class:`Service` records. :func:`compose_file` renders it as a Compose file,
:func:`map_file` as a dockermap map, and the floor reads the records themselves, so every tool runs
exactly the same containers: the same image, command, environment, volume and order.

Shapes:

* ``chain``: ``s0`` ... ``sN-1``, each linked to the one before it.
* ``fan-out``: ``root`` owns the named volume ``data``; every other service mounts it and depends on
  ``root`` (dockermap: ``attaches`` / ``uses``).
* ``diamond``: ``bottom`` <- ``left``, ``right`` <- ``top``, each with a healthcheck. A dependent waits
  for its dependencies to be healthy: Compose through ``service_healthy``, dockermap through
  ``ready: healthy`` on each service something waits for, the floor by polling their health state.
  Nothing waits for ``top``'s health.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

import yaml

SHAPES = ("chain", "fan-out", "diamond")
#: Environment variable set on the leaf in the "one leaf changed" phase.
LEAF_VARIABLE = "BENCH_LEAF"
#: Mount point of the fan-out's shared volume.
DATA_PATH = "/data"
HEALTHCHECK = {"test": ["CMD", "true"], "interval": "1s", "timeout": "1s", "retries": 3, "start_period": "0s"}


@dataclass
class Service:
    """One container of a stack, as every tool must run it."""

    name: str
    depends_on: List[str] = field(default_factory=list)
    #: Link the dependencies (``chain``) instead of only ordering after them.
    links: bool = False
    #: ``"owner"`` owns the shared volume, ``"user"`` mounts it, ``None`` has none.
    volume: Optional[str] = None
    healthcheck: bool = False
    environment: Dict[str, str] = field(default_factory=dict)


def stack(shape: str, size: int) -> Tuple[List[Service], str]:
    """The services of a stack and the name of its leaf (the service that the leaf phase changes)."""
    if shape == "chain":
        services = [Service("s0")] + [Service(f"s{i}", [f"s{i - 1}"], links=True) for i in range(1, size)]
        return services, f"s{size - 1}"
    if shape == "fan-out":
        services = [Service("root", volume="owner")]
        services += [Service(f"s{i}", ["root"], volume="user") for i in range(1, size)]
        return services, f"s{size - 1}"
    if shape == "diamond":
        return [
            Service("bottom", healthcheck=True),
            Service("left", ["bottom"], healthcheck=True),
            Service("right", ["bottom"], healthcheck=True),
            Service("top", ["left", "right"], healthcheck=True),
        ], "top"
    raise ValueError(f"unknown shape {shape!r}; shapes are {', '.join(SHAPES)}")


def awaited_healthy(services: List[Service]) -> Set[str]:
    """The services whose health a dependent waits for (Compose's ``service_healthy``)."""
    return {name for service in services if service.healthcheck for name in service.depends_on}


def compose_file(services: List[Service], image: str) -> str:
    """The stack as a Compose file."""
    rendered = {}
    uses_volume = False
    for service in services:
        entry: Dict[str, object] = {"image": image, "stop_grace_period": "2s"}
        if service.depends_on:
            condition = "service_healthy" if service.healthcheck else "service_started"
            entry["depends_on"] = {name: {"condition": condition} for name in service.depends_on}
        if service.links:
            entry["links"] = list(service.depends_on)
        if service.volume:
            entry["volumes"] = [f"data:{DATA_PATH}"]
            uses_volume = True
        if service.healthcheck:
            entry["healthcheck"] = dict(HEALTHCHECK)
        if service.environment:
            entry["environment"] = dict(service.environment)
        rendered[service.name] = entry
    document: Dict[str, object] = {"services": rendered}
    if uses_volume:
        document["volumes"] = {"data": {}}
    return yaml.safe_dump(document, sort_keys=False)


def map_file(services: List[Service], image: str, name: str) -> str:
    """The stack as a dockermap map file."""
    document: Dict[str, object] = {"name": name}
    awaited = awaited_healthy(services)
    for service in services:
        entry: Dict[str, object] = {"image": image, "stop_timeout": 2}
        if service.links:
            entry["links"] = list(service.depends_on)
        if service.volume == "owner":
            entry["attaches"] = "data"
        elif service.volume == "user":
            entry["uses"] = "data"
        elif service.depends_on:
            entry["links"] = list(service.depends_on)
        if service.healthcheck:
            entry["healthcheck"] = dict(HEALTHCHECK)
        if service.name in awaited:
            entry["ready"] = "healthy"
        if service.environment:
            entry["create_options"] = {"environment": dict(service.environment)}
        document[service.name] = entry
    if any(service.volume for service in services):
        document["volumes"] = {"data": DATA_PATH}
    return yaml.safe_dump(document, sort_keys=False)


def levels(services: List[Service]) -> List[List[Service]]:
    """The services grouped so that each group depends only on earlier groups."""
    placed: Dict[str, int] = {}
    for service in services:  # services are listed after their dependencies
        placed[service.name] = 1 + max((placed[d] for d in service.depends_on), default=-1)
    grouped: List[List[Service]] = [[] for _ in range(max(placed.values()) + 1)]
    for service in services:
        grouped[placed[service.name]].append(service)
    return grouped
