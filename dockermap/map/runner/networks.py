"""Network verbs: create, remove, and disconnect containers from the network."""

from __future__ import annotations

from typing import Any, Dict, List

from ..items import DesiredNetwork
from .step import Step


def create(step: Step) -> Dict[str, Any]:
    """Create the network (``create_network`` result: ``Id``, ``Warning``)."""
    desired = step.require(DesiredNetwork)
    return step.client.create_network(**{**desired.create_kwargs, "name": step.action.name})


def remove(step: Step) -> None:
    """Remove the network."""
    step.client.remove_network(step.action.name)


def disconnect(step: Step) -> List[str]:
    """Disconnect containers from the network (before it is removed). Args: ``containers`` (names)."""
    containers = list(step.required_arg("containers"))
    for container in containers:
        step.client.disconnect_container_from_network(container, step.action.name)
    return containers
