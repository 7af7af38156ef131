"""ContainerMap.dependency_items."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from dockermap.dep import MultiForwardDependencyResolver
from dockermap.map.config.main import ContainerMap
from dockermap.map.input import ItemType, MapConfigId

from .sample_maps import getting_started


def container(name: str, instance: Optional[str] = None) -> MapConfigId:
    return MapConfigId(ItemType.CONTAINER, "main", name, instance)


def volume(config: str, alias: str) -> MapConfigId:
    return MapConfigId(ItemType.VOLUME, "main", config, alias)


def network(name: str) -> MapConfigId:
    return MapConfigId(ItemType.NETWORK, "main", name)


def image(name: str, tag: str = "latest") -> MapConfigId:
    return MapConfigId(ItemType.IMAGE, "main", name, tag)


def items_of(data: Dict[str, Any], **kwargs: Any) -> Dict[MapConfigId, List[MapConfigId]]:
    return dict(ContainerMap("main", data, check_integrity=False, **kwargs).dependency_items())


def test_getting_started_dependencies():
    assert items_of(getting_started()) == {
        container("nginx"): [container("uwsgi"), volume("nginx", "nginx_log"), image("nginx")],
        container("uwsgi"): [volume("uwsgi", "app_log"), volume("uwsgi", "uwsgi_socket"), image("uwsgi")],
    }


def test_order_of_dependency_kinds_and_instances():
    data = {
        "repository": "reg",
        "default_tag": "dev",
        "db": {"instances": ["a", "b"], "image": "postgres:16"},
        "sock": {"attaches": "socket", "image": "/local"},
        "shared": {"shares": "/x", "instances": ["one", "two"]},
        "app": {
            "instances": ["x", "y"],
            "network_mode": "db.b",
            "networks": ["bridge", {"front": {"links": "sock"}}],
            "uses": ["socket", "shared.two", "db"],
            "links": ["db.a", "sock"],
            "attaches": "own",
        },
    }
    # network_mode, networks (+ endpoint links), uses, links, attaches, image; repeats dropped
    expected = [
        container("db", "b"),
        network("front"),
        container("sock"),
        container("shared", "two"),
        container("db", "a"),
        volume("app", "own"),
        image("reg/app", "dev"),
    ]
    result = items_of(data)
    assert result[container("app", "x")] == expected
    assert result[container("app", "y")] == expected
    assert result[container("db", "a")] == [image("reg/postgres", "16")]
    assert result[container("sock")] == [volume("sock", "socket"), image("local", "dev")]


def test_network_mode_of_unknown_instance_depends_on_all_instances():
    result = items_of(
        {"db": {"instances": ["a", "b"]}, "app": {"network_mode": "db.c"}, "x": {"network_mode": "host"}}
    )
    assert result[container("app")] == [container("db", "a"), container("db", "b"), image("app")]
    assert result[container("x")] == [image("x")]


def test_uses_of_config_name_with_instance():
    result = items_of({"db": {"instances": ["a", "b"], "shares": "/d"}, "app": {"uses": ["db.a", "db"]}})
    assert result[container("app")] == [container("db", "a"), container("db", "b"), image("app")]


def test_parent_name_mode_uses():
    data = {
        "use_attached_parent_name": True,
        "app": {"attaches": "sock", "instances": ["one", "two"]},
        "web": {"uses": ["app.sock", "app.one", "app", "missing.sock"]},
    }
    result = items_of(data)
    assert result[container("web")] == [container("app", "one"), container("app", "two"), image("web")]
    assert result[container("app", "one")] == [volume("app", "sock"), image("app")]


def test_abstract_configs_and_extends():
    data = {"base": {"abstract": True, "links": "db"}, "db": {}, "web": {"extends": "base"}}
    result = items_of(data)
    assert list(result) == [container("db"), container("web")]
    assert result[container("web")] == [container("db"), image("web")]


def test_resolving_all_items():
    resolver = MultiForwardDependencyResolver(items_of(getting_started()).items())
    assert resolver.get_dependencies(container("nginx")) == [
        volume("uwsgi", "app_log"),
        volume("uwsgi", "uwsgi_socket"),
        image("uwsgi"),
        container("uwsgi"),
        volume("nginx", "nginx_log"),
        image("nginx"),
    ]


def test_depends_on_orders_after_every_instance_or_one():
    data = {
        "db": {"instances": ["a", "b"]},
        "cache": {},
        "web": {"depends_on": ["db", "cache"]},
        "job": {"depends_on": "db.b"},
    }
    items = items_of(data)
    assert items[container("web")] == [
        container("db", "a"),
        container("db", "b"),
        container("cache"),
        image("web"),
    ]
    assert items[container("job")] == [container("db", "b"), image("job")]
