"""Dependency resolution between the items of container maps.

Items are ``MapConfigId`` tuples. Only containers have dependencies of their own; volumes, networks
and images are leaves, so they are listed but never resolved further.
"""

from __future__ import annotations

from typing import Any

from dockermap.dep import MultiForwardDependencyResolver, MultiReverseDependencyResolver
from dockermap.map.input import ItemType


class ContainerDependencyMergeMixin:
    """Resolves only container items further; other item types are leaves."""

    def expands(self, item: Any) -> bool:
        """Whether ``item`` is a container (only containers have dependencies of their own)."""
        return item.config_type == ItemType.CONTAINER


class ContainerDependencyResolver(ContainerDependencyMergeMixin, MultiForwardDependencyResolver):
    """What a container depends on, dependencies first (order for create, start, update, script, pull).

    Input: ``(MapConfigId, [dependency ids])`` pairs, as produced by ``ContainerMap.dependency_items()``.
    """


class ContainerDependentsResolver(ContainerDependencyMergeMixin, MultiReverseDependencyResolver):
    """What depends on an item, the farthest dependents first (order for stop, remove, shutdown).

    Input as for :class:`ContainerDependencyResolver`.
    """
