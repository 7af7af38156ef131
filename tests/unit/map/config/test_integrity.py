"""The integrity check: every rule, every location form, all problems at once."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from dockermap.map.config.main import ContainerMap
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import ItemType, MapConfigId

from .sample_maps import full_featured, getting_started

C = ItemType.CONTAINER
CONTAINER_KEYS = (
    "abstract, extends, image, build, instances, container_name, clients, shares, binds, attaches, uses, "
    "links, depends_on, exposes, user, permissions, stop_timeout, stop_signal, start_delay, ready, "
    "network_mode, networks, exec_commands, healthcheck, persistent, create_options, host_config"
)


def problems_of(data: Dict[str, Any], **kwargs: Any) -> List[str]:
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap("main", data, **kwargs)
    return [str(problem) for problem in info.value.problems]


def test_valid_maps_pass():
    ContainerMap("main", getting_started())
    ContainerMap("full", full_featured())
    ContainerMap("empty")


def test_group_name_used_by_a_container():
    assert problems_of(
        {"web": {}, "web2": {"instances": "a"}, "groups": {"web": ["web2.a"], "web2.a": ["web"]}}
    ) == [
        "main.groups.web: name is also used by a container configuration (or instance)",
        "main.groups.web2.a: name is also used by a container configuration (or instance)",
    ]


def test_group_member_not_defined():
    assert problems_of({"web": {"instances": ["a"]}, "groups": {"g": ["web", "web.a", "web.b", "db"]}}) == [
        "main.groups.g: unknown container configuration(s) or instance(s): 'web.b', 'db'"
    ]


def test_group_members_given_as_ids():
    members = [MapConfigId(C, "main", "web"), MapConfigId(C, "main", "nope"), MapConfigId(C, "other", "x")]
    assert problems_of({"web": {}, "groups": {"g": members}}) == [
        "main.groups.g: unknown container configuration(s) or instance(s): 'main.nope'"
    ]


def test_malformed_group():
    assert problems_of({"web": {}, "groups": {"g": {"web": 1}}}) == [
        "main.groups: Invalid members of group 'g' {'web': 1}: expected a name or a list of names."
    ]


def test_duplicate_attached_volume_names():
    data = {
        "a": {"attaches": "data"},
        "b": {"attaches": "data"},
        "data": {"binds": "x"},
        "volumes": {"data": "/data", "x": "/x"},
        "host": {"x": "x"},
    }
    assert problems_of(data) == [
        "main.data: duplicate attached volume name 'data'; also used by main.a.attaches, main.b.attaches"
    ]
    ContainerMap("main", data, check_duplicates=False)


def test_uses_without_provider():
    data = {
        "app": {"attaches": "sock", "instances": ["a", "b"], "shares": "/s"},
        "plain": {},
        "web": {"uses": ["sock", "nothing", "plain", "app", "app.a"]},
        "volumes": {"sock": "/sock"},
    }
    assert problems_of(data) == [
        "main.web.uses: no attached volume, or container with shares, binds or uses, named 'nothing'",
        "main.web.uses: no attached volume, or container with shares, binds or uses, named 'plain'; "
        "container configuration 'plain' has no shares, binds or uses",
        "main.web.uses: no attached volume, or container with shares, binds or uses, named 'app'; "
        "'app' has instances, use one of 'app.a', 'app.b'",
    ]


def test_missing_host_and_volume_paths():
    data = {
        "web": {
            "binds": ["conf", ("/direct", "/host")],
            "attaches": ["log", ("sock", "/sock"), {"nopath": None}],
        },
        "volumes": {"log": {"driver": "local"}},
    }
    assert problems_of(data) == [
        "main.web.binds: no host path for volume alias 'conf'; add it to the map's 'host' section",
        "main.web.binds: no container path for volume alias 'conf'; add it to the map's 'volumes' section",
        "main.web.attaches: no container path for volume alias 'log'; add it to the map's 'volumes' section",
        "main.web.attaches: no container path for volume alias 'nopath'; "
        "add it to the map's 'volumes' section",
    ]


def test_unknown_links():
    data = {
        "db": {"instances": ["one", "two"]},
        "cache": {},
        "web": {"links": ["db", "db.one", "db.three", "cache", "nope"]},
    }
    assert problems_of(data) == [
        "main.web.links: no container instance 'db': 'db' has instances, refer to one of 'db.one', 'db.two'",
        "main.web.links: no container instance 'db.three': 'db' has no instance 'three'",
        "main.web.links: no container instance 'nope': no container configuration 'nope'",
    ]


def test_unknown_networks_and_endpoint_links():
    data = {
        "web": {"networks": ["bridge", "host", "front", {"back": {"links": ["nope"]}}]},
        "networks": {"back": {}},
    }
    assert problems_of(data) == [
        "main.web.networks: no network configuration 'front'; add it to the map's 'networks' section",
        "main.web.networks: no container instance 'nope': no container configuration 'nope'",
    ]


def test_unknown_network_mode_reference():
    data = {
        "db": {"instances": "a"},
        "x": {"network_mode": "db.a"},
        "y": {"network_mode": "nope"},
        "z": {"network_mode": "/raw"},
    }
    assert problems_of(data) == [
        "main.y.network_mode: no container instance 'nope': no container configuration 'nope'"
    ]


def test_extends_problems():
    data = {"a": {"extends": "missing"}, "b": {"extends": "c"}, "c": {"extends": "b"}, "d": {"extends": "a"}}
    assert problems_of(data) == [
        "main.a.extends: unknown container configuration 'missing'",
        "main.c.extends: extends cycle: main.b -> main.c -> main.b",
    ]


def test_dependency_cycle_is_named():
    data = {"a": {"links": "b"}, "b": {"links": "c"}, "c": {"uses": "a", "shares": "/x"}, "ok": {}}
    data["a"]["shares"] = "/y"
    assert problems_of(data) == ["main.a: dependency cycle: main.a -> main.b -> main.c -> main.a"]


def test_self_reference_is_a_cycle():
    assert problems_of({"a": {"network_mode": "a"}}) == ["main.a: dependency cycle: main.a -> main.a"]


def test_structure_and_value_problems_of_all_containers_at_once():
    data = {
        "web": {"imgae": "x", "links": 5, "binds": "conf"},
        "db": {"user": [1], "linsk": 1, 7: 1},
        "name": "main",
        "volumse": {"data": "/data"},
        "cache": "redis",
        8: {},
        "repository": 5,
        "host": {"conf": 5, "ok": {"a": "/a"}, "bad": {}},
        "host_root": [1],
        "volumes": {"v": [1], "w": {"driver": 5}, "x": {"pat": 1}},
        "networks": {"n": {"internal": True, "driver": {}}, "m": 5},
        "containers": 5,
    }
    problems = problems_of(data)
    assert problems[15].startswith("main.web.links: Invalid container link list 5: expected None, ")
    problems[15] = "main.web.links: <message of the input layer>"
    assert problems == [
        "main.web.imgae: unknown key; did you mean 'image'?",
        "main.db.linsk: unknown key; did you mean 'links'?",
        f"main.db.7: unknown key; valid keys are {CONTAINER_KEYS}",
        "main.name: expected a mapping of container settings, got str; "
        "the map name is not a map key: pass it to ContainerMap(name, ...)",
        f"main.volumse.data: unknown key; valid keys are {CONTAINER_KEYS}",
        "main.volumse: read as a container configuration; did you mean the map key 'volumes'?",
        "main.cache: expected a mapping of container settings, got str",
        "main.8: container configuration name must be a non-empty string",
        "main.host.conf: expected a host path or a mapping of instance names to host paths",
        "main.host.bad: expected a host path or a mapping of instance names to host paths",
        "main.host_root: expected a directory path, got list",
        "main.volumes.v: expected a path or a mapping of volume settings, got list",
        "main.volumes.x.pat: unknown key; valid keys are default_path, driver, driver_options, "
        "create_options, user, permissions, name, external",
        "main.networks.m: expected a mapping of network settings, got int",
        "main.containers: expected a mapping, got int",
        "main.web.links: <message of the input layer>",
        "main.db.user: Invalid user [1]: expected a user name or id, or a lazy value.",
        "main.networks.n.driver: Invalid network driver {}: expected a driver name (string), "
        "or a lazy value.",
        "main.volumes.w.driver: Invalid volume driver 5: expected a driver name (string), or a lazy value.",
        "main.repository: Invalid repository 5: expected a registry or repository prefix (string), "
        "or a lazy value.",
    ]


def test_unknown_keys_do_not_hide_reference_problems():
    assert problems_of({"web": {"imgae": "x", "links": "db"}}) == [
        "main.web.imgae: unknown key; did you mean 'image'?",
        "main.web.links: no container instance 'db': no container configuration 'db'",
    ]


def test_error_message_lists_every_problem():
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap("main", {"web": {"links": "a", "uses": "b"}})
    assert str(info.value) == (
        "2 problem(s) in container map configuration:\n"
        "  - main.web.uses: no attached volume, or container with shares, binds or uses, named 'b'\n"
        "  - main.web.links: no container instance 'a': no container configuration 'a'"
    )


def test_parent_name_mode():
    data = {
        "use_attached_parent_name": True,
        "app": {"attaches": "sock"},
        "other": {"attaches": "sock"},
        "web": {"uses": ["app.sock", "sock", "nope.sock"]},
        "volumes": {"sock": "/sock"},
    }
    assert problems_of(data) == [
        "main.web.uses: no attached volume, or container with shares, binds or uses, named 'sock'; "
        "with use_attached_parent_name refer to it as app.sock",
        "main.web.uses: no attached volume, or container with shares, binds or uses, named 'nope.sock'",
    ]


def test_abstract_configs_are_checked_through_their_children():
    data = {
        "base": {"abstract": True, "links": "nope"},
        "unused": {"abstract": True, "links": "nope"},
        "web": {"extends": "base"},
    }
    assert problems_of(data) == [
        "main.web.links: no container instance 'nope': no container configuration 'nope'"
    ]


def test_check_integrity_after_changes():
    c_map = ContainerMap("main", getting_started())
    c_map.containers["nginx"].links = "missing"
    with pytest.raises(MapIntegrityError, match="main.nginx.links: no container instance 'missing'"):
        c_map.check_integrity()


def test_unknown_depends_on():
    data = {"db": {"instances": ["one"]}, "web": {"depends_on": ["db", "db.one", "db.two", "nope"]}}
    assert problems_of(data) == [
        "main.web.depends_on: no container instance 'db.two': 'db' has no instance 'two'",
        "main.web.depends_on: no container instance 'nope': no container configuration 'nope'",
    ]
