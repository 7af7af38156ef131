"""The integrity check on engine names: the engine's name rules, unaddressable and colliding names."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from dockermap.functional import lazy_once
from dockermap.map.client import MappingDockerClient
from dockermap.map.config.client import ClientConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.exceptions import MapIntegrityError


def problems_of(data: Dict[str, Any], name: str = "main") -> List[str]:
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap(name, data)
    return [str(problem) for problem in info.value.problems]


RULE = "cannot be part of an engine name: names must contain only letters, digits, '_', '.' and '-'"


def test_names_the_engine_refuses():
    data = {
        "web app": {"instances": ["a", "b/c"], "attaches": "dätä"},
        "volumes": {"dätä": "/data"},
        "networks": {"front end": {}},
    }
    assert problems_of(data) == [
        f"main.web app: configuration name 'web app' {RULE}",
        f"main.web app.instances: instance name 'b/c' {RULE}",
        f"main.web app.attaches: volume alias 'dätä' {RULE}",
        f"main.networks.front end: network name 'front end' {RULE}",
    ]


def test_map_name_starts_with_a_letter_or_digit():
    assert problems_of({"web": {}}, name="-main") == [
        "-main: map name '-main' cannot be part of an engine name: names must start with a letter or digit "
        "and contain only letters, digits, '_', '.' and '-'"
    ]
    ContainerMap("main", {"_web": {}, "web-2": {"instances": ["1", ".x"]}})  # parts after a '.' may


def test_all_cannot_name_a_map_or_configuration():
    assert problems_of({"__all__": {}}) == [
        "main.__all__: '__all__' selects every configuration; it cannot name one"
    ]
    assert problems_of({"web": {}}, name="__all__")[0].startswith("__all__: map name '__all__' cannot be")


def test_container_names_colliding_within_a_map():
    assert problems_of({"a": {"instances": ["b"]}, "a.b": {}}) == [
        "main.a.b: the container 'a.b' would get the container name 'main.a.b', the same as the "
        "container 'a' instance 'b' of main.a; rename one of them"
    ]


def test_shared_attached_volume_without_duplicate_check_is_no_collision():
    data = {"a": {"attaches": "data"}, "b": {"attaches": "data"}, "volumes": {"data": "/d"}}
    ContainerMap("main", data, check_duplicates=False)


def test_names_colliding_between_maps_of_one_client():
    first = ContainerMap(
        "p.a", {"b": {}, "networks": {"n": {}}, "c": {"attaches": "v"}, "volumes": {"v": "/v"}}
    )
    second = ContainerMap(
        "p", {"a.b": {}, "a": {}, "networks": {"a.n": {}}, "d": {"attaches": "a.v"}, "volumes": {"a.v": "/v"}}
    )
    client = MappingDockerClient([first, second], ClientConfiguration(base_url="unix:///nonexistent.sock"))
    with pytest.raises(MapIntegrityError) as info:
        client.plan("startup", "p.a")
    assert [str(problem) for problem in info.value.problems] == [
        "p.a.b: the container 'a.b' of map 'p' would get the container name 'p.a.b', the same as the "
        "container 'b' of map 'p.a' of p.a.b; rename one of them",
        "p.d.attaches: the volume 'a.v' attached by 'd' of map 'p' would get the volume name 'p.a.v', the "
        "same as the volume 'v' attached by 'c' of map 'p.a' of p.a.c.attaches; rename one of them",
        "p.networks.a.n: the network 'a.n' of map 'p' would get the network name 'p.a.n', the same as the "
        "network 'n' of map 'p.a' of p.a.networks.n; rename one of them",
    ]


def test_maps_on_different_clients_do_not_collide():
    clients = {name: ClientConfiguration(base_url="unix:///nonexistent.sock") for name in ("one", "two")}
    first = ContainerMap("p.a", {"b": {}, "clients": ["one"]})
    second = ContainerMap("p", {"a.b": {}, "clients": ["two"]})
    client = MappingDockerClient([first, second], clients=clients)
    assert client.list_persistent_containers() == []  # the maps pass the check


def test_names_colliding_in_compose_naming():
    first = ContainerMap("a-b", {"c": {}, "naming": "compose"})
    second = ContainerMap("a", {"b-c": {}, "naming": "compose"})
    client = MappingDockerClient([first, second], ClientConfiguration(base_url="unix:///nonexistent.sock"))
    with pytest.raises(MapIntegrityError) as info:
        client.list_persistent_containers()
    assert [str(problem) for problem in info.value.problems] == [
        "a.b-c: the container 'b-c' of map 'a' would get the container name 'a-b-c-1', the same as the "
        "container 'c' of map 'a-b' of a-b.c; rename one of them"
    ]


def plan_problems(*maps: ContainerMap) -> List[str]:
    client = MappingDockerClient(list(maps), ClientConfiguration(base_url="unix:///nonexistent.sock"))
    with pytest.raises(MapIntegrityError) as info:
        client.plan("startup", maps[0].name)
    return [str(problem) for problem in info.value.problems]


def test_configured_names_colliding_between_maps():
    first = ContainerMap(
        "one",
        {
            "web": {"attaches": "data"},
            "volumes": {"data": {"default_path": "/d", "name": "shared-data"}},
            "networks": {"front": {"name": "edge"}},
        },
    )
    second = ContainerMap(
        "two",
        {
            "db": {"attaches": "store"},
            "volumes": {"store": {"default_path": "/s", "name": "shared-data"}},
            "networks": {"back": {"name": "edge"}},
        },
    )
    assert plan_problems(first, second) == [
        "two.db.attaches: the volume 'store' attached by 'db' of map 'two' would get the volume name "
        "'shared-data', the same as the volume 'data' attached by 'web' of map 'one' of one.web.attaches; "
        "rename one of them",
        "two.networks.back: the network 'back' of map 'two' would get the network name 'edge', the same as "
        "the network 'front' of map 'one' of one.networks.front; rename one of them",
    ]


def test_configured_name_colliding_with_a_derived_name():
    first = ContainerMap(
        "one", {"web": {"attaches": "data"}, "volumes": {"data": "/d"}, "networks": {"n": {}}}
    )
    second = ContainerMap(
        "two",
        {
            "db": {"attaches": "store"},
            "volumes": {"store": {"default_path": "/s", "name": "one.data"}},
            "networks": {"m": {"name": "one.n"}},
        },
    )
    problems = plan_problems(second, first)
    assert [problem.split(":")[0] for problem in problems] == ["one.web.attaches", "one.networks.n"]
    assert "the same as the volume 'store' attached by 'db' of map 'two' of two.db.attaches" in problems[0]


def test_configured_names_colliding_within_a_map():
    data = {
        "a": {"attaches": "x"},
        "b": {"attaches": "y"},
        "volumes": {"x": {"default_path": "/x", "name": "data"}, "y": {"default_path": "/y", "name": "data"}},
        "networks": {"n": {"name": "net"}, "m": {"name": "net"}},
    }
    assert problems_of(data) == [
        "main.b.attaches: the volume 'y' attached by 'b' would get the volume name 'data', the same as the "
        "volume 'x' attached by 'a' of main.a.attaches; rename one of them",
        "main.networks.m: the network 'm' would get the network name 'net', the same as the network 'n' of "
        "main.networks.n; rename one of them",
    ]


def test_configured_names_of_volumes_and_networks_the_engine_refuses():
    data = {
        "web": {"attaches": ["data", "x"], "networks": ["front", "back"]},
        "volumes": {
            "data": {"default_path": "/d", "name": "shop data"},
            "x": {"default_path": "/x", "name": "x"},
        },
        "networks": {"front": {"name": " "}, "back": {"name": "host"}},
    }
    whole = (
        "names must have at least two characters, start with a letter or digit and contain only letters, "
        "digits, '_', '.' and '-'"
    )
    assert problems_of(data) == [
        f"main.volumes.data.name: the engine refuses the volume name 'shop data': {whole}",
        f"main.volumes.x.name: the engine refuses the volume name 'x': {whole}",
        "main.networks.front.name: the engine refuses the network name ' ': it must contain more than white "
        "space",
        "main.networks.back.name: 'host' is one of the engine's own networks, which cannot be created; set "
        "'external: true' to join it",
    ]


def test_configured_names_the_engine_takes():
    """Another volume driver judges its names itself, an external item is only looked up, and the engine
    takes any network name but white space and its own networks (a lazy name is resolved first)."""
    ContainerMap(
        "main",
        {
            "web": {"attaches": ["plugged", "own", "named"], "networks": ["edge", "outside"]},
            "volumes": {
                "plugged": {"default_path": "/p", "driver": "cloud", "name": "cloud data/1"},
                "own": {"default_path": "/o", "name": "shop/own", "external": True},
                "named": {"default_path": "/n", "name": lazy_once(lambda: "shop-data")},
            },
            "networks": {"edge": {"name": "shop edge/1"}, "outside": {"name": "bridge", "external": True}},
        },
    )
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap("main", {"volumes": {"v": {"default_path": "/v", "name": lazy_once(lambda: "v")}}})
    assert [problem.location for problem in info.value.problems] == ["main.volumes.v.name"]


def test_external_volumes_and_networks_may_be_shared():
    def external_map(name: str) -> ContainerMap:
        return ContainerMap(
            name,
            {
                "web": {"attaches": "data", "networks": "proxy"},
                "volumes": {"data": {"default_path": "/d", "name": "shared", "external": True}},
                "networks": {"proxy": {"name": "proxy", "external": True}},
            },
        )

    first, second = external_map("one"), external_map("two")
    client = MappingDockerClient([first, second], ClientConfiguration(base_url="unix:///nonexistent.sock"))
    assert client.list_persistent_containers() == ["shared", "shared"]


def test_persistent_items_are_listed_by_the_names_they_get():
    c_map = ContainerMap(
        "main",
        {
            "web": {"attaches": ["data", "log"], "persistent": True},
            "volumes": {"data": {"default_path": "/d", "name": "web-data"}, "log": "/log"},
        },
    )
    client = MappingDockerClient(c_map, ClientConfiguration(base_url="unix:///nonexistent.sock"))
    assert client.list_persistent_containers() == ["web-data", "main.log", "main.web"]


def test_container_name_is_checked_like_the_names_it_replaces():
    data = {
        "web": {"container_name": "main.db"},
        "db": {},
        "app": {"container_name": "app", "instances": ["a", "b"]},
        "bad": {"container_name": "-x"},
        "one": {"container_name": "single", "instances": ["only"]},
    }
    assert problems_of(data) == [
        "main.app.container_name: a container name names one container, but the configuration has the "
        "instances 'a', 'b'; remove 'container_name' or all instances but one",
        "main.bad.container_name: the engine refuses the container name '-x': names must have at least two "
        "characters, start with a letter or digit and contain only letters, digits, '_', '.' and '-'",
        "main.db: the container 'db' would get the container name 'main.db', the same as the container 'web' "
        "of main.web; rename one of them",
    ]


def test_container_name_colliding_with_a_container_of_another_map():
    first = ContainerMap("shop", {"web": {}, "naming": "compose"})
    second = ContainerMap("tools", {"admin": {"container_name": "shop-web-1"}})
    assert plan_problems(first, second) == [
        "tools.admin: the container 'admin' of map 'tools' would get the container name 'shop-web-1', the "
        "same as the container 'web' of map 'shop' of shop.web; rename one of them"
    ]
    client = MappingDockerClient(
        ContainerMap("tools", {"admin": {"container_name": "admin", "persistent": True}}),
        ClientConfiguration(base_url="unix:///nonexistent.sock"),
    )
    assert client.list_persistent_containers() == ["admin"]
