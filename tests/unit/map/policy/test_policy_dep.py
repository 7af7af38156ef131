"""Container dependency resolvers: only containers are resolved further."""

from __future__ import annotations

import pytest

from dockermap.dep import CircularDependency
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.policy.dep import ContainerDependencyResolver, ContainerDependentsResolver


def container(name, instance=None):
    return MapConfigId(ItemType.CONTAINER, "main", name, instance)


def volume(config, alias):
    return MapConfigId(ItemType.VOLUME, "main", config, alias)


NETWORK = MapConfigId(ItemType.NETWORK, "main", "backend")
IMAGE = MapConfigId(ItemType.IMAGE, "main", "app", "latest")
DB_IMAGE = MapConfigId(ItemType.IMAGE, "main", "postgres", "15")
DATA = volume("db", "data")

# web -> app (two instances) -> db; everything uses images, db attaches a volume.
DEPENDENCY_ITEMS = [
    (container("db"), [DATA, DB_IMAGE]),
    (container("app", "a"), [NETWORK, container("db"), IMAGE]),
    (container("app", "b"), [NETWORK, container("db"), IMAGE]),
    (container("web"), [container("app", "a"), container("app", "b"), IMAGE]),
]


def test_forward_order_dependencies_first():
    resolver = ContainerDependencyResolver(DEPENDENCY_ITEMS)
    assert resolver.get_dependencies(container("web")) == [
        DATA,
        DB_IMAGE,
        NETWORK,
        container("db"),
        IMAGE,
        container("app", "a"),
        container("app", "b"),
    ]
    assert resolver.get_dependencies(container("db")) == [DATA, DB_IMAGE]


def test_reverse_order_farthest_dependents_first():
    resolver = ContainerDependentsResolver(DEPENDENCY_ITEMS)
    assert resolver.get_dependencies(container("db")) == [
        container("web"),
        container("app", "a"),
        container("app", "b"),
    ]
    assert resolver.get_dependencies(NETWORK) == [
        container("web"),
        container("app", "a"),
        container("app", "b"),
    ]
    assert resolver.get_dependencies(DATA) == [
        container("web"),
        container("app", "a"),
        container("app", "b"),
        container("db"),
    ]
    assert resolver.get_dependencies(container("web")) == []


def test_non_container_items_are_leaves():
    # Links registered for a volume id are never followed from a container.
    resolver = ContainerDependencyResolver([(container("c"), [DATA]), (DATA, [container("hidden")])])
    assert resolver.get_dependencies(container("c")) == [DATA]


def test_circular_container_dependency():
    resolver = ContainerDependencyResolver(
        [(container("a"), [container("b"), IMAGE]), (container("b"), [container("a")])]
    )
    with pytest.raises(CircularDependency) as exc_info:
        resolver.get_dependencies(container("a"))
    assert exc_info.value.cycle == [container("a"), container("b"), container("a")]
    assert exc_info.value.is_direct is False


def test_container_referring_to_itself():
    resolver = ContainerDependencyResolver([(container("a"), [IMAGE, container("a")])])
    with pytest.raises(CircularDependency) as exc_info:
        resolver.get_dependencies(container("a"))
    assert exc_info.value.is_direct is True
    assert exc_info.value.item == container("a")
