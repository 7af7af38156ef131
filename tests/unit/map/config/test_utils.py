"""Configuration id expansion: groups, __all__, instances."""

from __future__ import annotations

import pytest

from dockermap.map.config.main import ContainerMap
from dockermap.map.config.utils import (
    ConfigurationNotFound,
    expand_groups,
    expand_instances,
    get_map_config_ids,
)
from dockermap.map.input import InputConfigId, ItemType, MapConfigId

C, V, N = ItemType.CONTAINER, ItemType.VOLUME, ItemType.NETWORK


@pytest.fixture
def maps():
    main = ContainerMap(
        "main",
        {
            "web": {"links": "app.a"},
            "app": {"instances": ["a", "b"], "attaches": ["sock", "log"]},
            "base": {"abstract": True},
            "groups": {"front": ["web", "app.b"], "ids": [MapConfigId(C, "other", "db", "x")]},
            "volumes": {"sock": "/s", "log": "/l"},
            "networks": {"net": {}},
        },
    )
    other = ContainerMap("other", {"db": {}})
    return {"main": main, "other": other}


def test_expand_groups(maps):
    ids = [
        InputConfigId(C, "main", "front", ("i",)),
        InputConfigId(C, "main", "ids"),
        MapConfigId(C, "other", "db", "z"),
        InputConfigId(C, "__all__", "db"),
    ]
    assert list(expand_groups(ids, maps)) == [
        MapConfigId(C, "main", "web", ("i",)),
        MapConfigId(C, "main", "app", ("b",)),
        MapConfigId(C, "other", "db", "x"),
        MapConfigId(C, "other", "db", ("z",)),
        MapConfigId(C, "main", "db", None),
        MapConfigId(C, "other", "db", None),
    ]


def test_expand_all_containers_includes_abstract(maps):
    assert [
        config_id.config_name for config_id in expand_groups([InputConfigId(C, "main", "__all__")], maps)
    ] == [
        "web",
        "app",
        "base",
    ]


def test_expand_groups_rejects_other_ids(maps):
    with pytest.raises(ValueError, match="Invalid configuration id"):
        list(expand_groups([("container", "main", "web")], maps))
    with pytest.raises(ConfigurationNotFound, match="Container map 'nope' not found"):
        list(expand_groups([InputConfigId(C, "nope", "web")], maps))


def test_expand_instances(maps):
    ids = [
        MapConfigId(C, "main", "app", ("a",)),
        MapConfigId(C, "main", "web", None),
        MapConfigId(C, "main", "app", ("b", "a")),
        MapConfigId(V, "main", "app", None),
        MapConfigId(N, "main", "net", None),
    ]
    assert list(expand_instances(ids, maps)) == [
        MapConfigId(C, "main", "app", "a"),
        MapConfigId(C, "main", "app", "b"),
        MapConfigId(C, "main", "web", None),
        MapConfigId(N, "main", "net", None),
        MapConfigId(V, "main", "app", "sock"),
        MapConfigId(V, "main", "app", "log"),
    ]


def test_expand_instances_default_selects_all_configured(maps):
    assert list(expand_instances([MapConfigId(C, "main", "app", (None, "a"))], maps)) == [
        MapConfigId(C, "main", "app", "a"),
        MapConfigId(C, "main", "app", "b"),
    ]


def test_expand_instances_unknown_config(maps):
    with pytest.raises(ConfigurationNotFound, match="container configuration 'nope' in map 'main'") as info:
        list(expand_instances([MapConfigId(C, "main", "nope", None)], maps))
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert str(info.value).endswith("; its containers are: web, app.")  # abstract ones can not be run
    with pytest.raises(ConfigurationNotFound, match="network configuration 'x'") as info:
        list(expand_instances([MapConfigId(N, "main", "x", None)], maps))
    assert str(info.value).endswith("; its networks are: net.")
    with pytest.raises(ConfigurationNotFound, match="in map 'gone'; maps are: main, other."):
        list(expand_instances([MapConfigId(C, "gone", "web", None)], maps))


def test_get_map_config_ids(maps):
    assert get_map_config_ids("front", maps, default_map_name="main") == [
        MapConfigId(C, "main", "app", "b"),
        MapConfigId(C, "main", "web", None),
    ]
    assert get_map_config_ids(["main.app.a", "other.db"], maps) == [
        MapConfigId(C, "main", "app", "a"),
        MapConfigId(C, "other", "db", None),
    ]
    assert get_map_config_ids("app", maps, default_map_name="main", default_instances="b") == [
        MapConfigId(C, "main", "app", "b")
    ]
    assert [config_id[2:] for config_id in get_map_config_ids("__all__.__all__", maps)] == [
        ("app", "a"),
        ("app", "b"),
        ("base", None),
        ("web", None),
        ("db", None),
    ]
