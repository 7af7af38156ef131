"""ContainerConfiguration: conversion of each key and every merge rule."""

from __future__ import annotations

import pytest

from dockermap.map.config.container import ContainerConfiguration
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import (
    ContainerLink,
    ExecCommand,
    ExecPolicy,
    HealthCheck,
    HostVolume,
    NetworkEndpoint,
    NotSet,
    PortBinding,
    SharedVolume,
    UsedVolume,
)

# (property, base value, update value, merged result)
MERGE_RULES = [
    ("image", "base", "child", "child"),
    ("instances", ["a", "b"], ["b", "c"], ["a", "b", "c"]),
    ("clients", "one", ["two", "one"], ["one", "two"]),
    ("shares", ["/a"], ["/b", "/a"], ["/a", "/b"]),
    (
        "binds",
        [("x", "ro"), ("/p", "/h")],
        [("x", "rw"), ("y", "ro")],
        [SharedVolume("x", False), HostVolume("/p", "/h"), SharedVolume("y", True)],
    ),
    (
        "attaches",
        ["a", {"b": "/b"}],
        [{"b": "/other"}, "c"],
        [SharedVolume("a"), UsedVolume("b", "/other"), SharedVolume("c")],
    ),
    ("uses", ["a", "b"], [("a", "ro")], [SharedVolume("a", True), SharedVolume("b")]),
    (
        "links",
        [("db", "database")],
        [("db", "db2"), ("db", "database")],
        [ContainerLink("db", "database"), ContainerLink("db", "db2")],
    ),
    (
        "exposes",
        {80: 80, 443: 443},
        [(80, 8080)],
        [PortBinding(80, 8080), PortBinding(443, 443)],
    ),
    ("user", "a", "b", "b"),
    ("permissions", "u=rwX", "u=rX", "u=rX"),
    ("stop_timeout", 10, 20, 20),
    ("stop_signal", "SIGTERM", "SIGQUIT", "SIGQUIT"),
    ("start_delay", 1, 2.5, 2.5),
    ("network_mode", "host", "other.inst", ("other", "inst")),
    (
        "networks",
        ["front", {"back": "alias"}],
        [{"front": ["web"]}],
        [NetworkEndpoint("front", ["web"]), NetworkEndpoint("back", ["alias"])],
    ),
    (
        "exec_commands",
        [[["touch", "/x"]], "echo a"],
        ["echo a", ("echo b", "root", "initial")],
        [
            ExecCommand(["touch", "/x"]),
            ExecCommand("echo a"),
            ExecCommand("echo b", "root", ExecPolicy.INITIAL),
        ],
    ),
    (
        "healthcheck",
        "true",
        {"test": ["CMD", "false"], "retries": 2},
        HealthCheck(["CMD", "false"], retries=2),
    ),
    ("persistent", True, False, False),
    ("create_options", {"a": 1, "b": 1}, {"b": 2, "c": 3}, {"a": 1, "b": 2, "c": 3}),
    ("host_config", {"privileged": False}, {"privileged": True}, {"privileged": True}),
]


@pytest.mark.parametrize("name, base, update, expected", MERGE_RULES, ids=[rule[0] for rule in MERGE_RULES])
def test_merge_rule_from_obj(name, base, update, expected):
    config = ContainerConfiguration({name: base})
    config.merge(ContainerConfiguration({name: update}))
    assert getattr(config, name) == expected


@pytest.mark.parametrize("name, base, update, expected", MERGE_RULES, ids=[rule[0] for rule in MERGE_RULES])
def test_merge_rule_from_dict(name, base, update, expected):
    config = ContainerConfiguration({name: base})
    config.merge({name: update})
    assert getattr(config, name) == expected


def test_abstract_and_extends_are_never_merged():
    config = ContainerConfiguration()
    config.merge({"abstract": True, "extends": "base", "image": "x"})
    assert config.abstract is False
    assert config.extends == []
    assert config.image == "x"


def test_unset_values_do_not_overwrite_when_merging():
    config = ContainerConfiguration(user="a", persistent=True)
    config.merge(ContainerConfiguration(image="x"))
    assert (config.user, config.persistent, config.image) == ("a", True, "x")


def test_network_mode_unset_stays_distinguishable_from_none():
    config = ContainerConfiguration(image="x")
    config.clean()
    assert config.network_mode is NotSet
    config.network_mode = None
    config.clean()
    assert config.network_mode == "none"


@pytest.mark.parametrize(
    "key, value, text",
    [
        ("image", 5, "Invalid image 5"),
        ("image", "", "Invalid image ''"),
        ("instances", [1], "Invalid instance name 1"),
        ("extends", {"a": 1}, "Invalid list value"),
        ("shares", [["a"]], "Invalid shared path"),
        ("user", 1.5, "Invalid user 1.5"),
        ("stop_timeout", True, "Invalid stop_timeout True"),
        ("stop_timeout", "10", "Invalid stop_timeout '10'"),
        ("create_options", ["a"], "Invalid create_options"),
        ("network_mode", ["a"], "network mode"),
        ("healthcheck", 5, ""),
        ("binds", 5, ""),
    ],
)
def test_malformed_values_name_the_value_and_location(key, value, text):
    config = ContainerConfiguration({key: value})
    with pytest.raises(MapIntegrityError) as info:
        config.clean()
    (problem,) = info.value.problems
    assert problem.location == key
    assert text in problem.message


def test_none_means_empty_or_unset():
    config = ContainerConfiguration(
        {"image": None, "instances": None, "binds": None, "create_options": None, "healthcheck": None}
    )
    config.clean()
    assert (config.image, config.instances, config.binds, config.create_options, config.healthcheck) == (
        None,
        [],
        [],
        {},
        None,
    )
