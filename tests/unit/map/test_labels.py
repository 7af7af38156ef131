"""Labels, fingerprints and label filters."""

from __future__ import annotations

import re

import pytest

from dockermap.map.input import ItemType
from dockermap.map.items import DesiredEndpoint
from dockermap.map.labels import (
    LABEL_CLIENT,
    LABEL_CONFIG,
    LABEL_FINGERPRINT,
    LABEL_INSTANCE,
    LABEL_KIND,
    LABEL_MAP,
    LABEL_PREFIX,
    LABEL_UPDATABLE,
    canonical_json,
    fingerprint,
    hidden_value,
    item_labels,
    label_filter,
    updatable_json,
)

CREATE = {"name": "m.web", "image": "web:latest", "environment": {"A": "1", "B": "2"}, "labels": {"x": "y"}}
HOST = {"binds": ["/h:/c:rw"], "port_bindings": {80: 8080}}


def test_label_keys_share_the_prefix() -> None:
    keys = [
        LABEL_MAP,
        LABEL_CONFIG,
        LABEL_INSTANCE,
        LABEL_CLIENT,
        LABEL_KIND,
        LABEL_FINGERPRINT,
        LABEL_UPDATABLE,
    ]
    assert LABEL_PREFIX == "io.dockermap."
    assert [key[len(LABEL_PREFIX) :] for key in keys] == [
        "map",
        "config",
        "instance",
        "client",
        "kind",
        "fingerprint",
        "updatable",
    ]


def test_item_labels() -> None:
    assert item_labels(ItemType.CONTAINER, "main", "web", None, "__default__") == {
        "io.dockermap.map": "main",
        "io.dockermap.config": "web",
        "io.dockermap.instance": "",
        "io.dockermap.client": "__default__",
        "io.dockermap.kind": "container",
    }
    assert item_labels("volume", "main", "web", "log", "c1")["io.dockermap.instance"] == "log"
    assert item_labels("volume", "main", "web", "log", "c1")["io.dockermap.kind"] == "volume"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (None, ["io.dockermap.map"]),
        ("main", ["io.dockermap.map=main"]),
        (["main"], ["io.dockermap.map=main"]),
        (["main", "other"], ["io.dockermap.map"]),
    ],
)
def test_label_filter(names: object, expected: list) -> None:
    assert label_filter(names) == {"label": expected}


def test_canonical_json_sorts_keys_and_equates_tuples_and_lists() -> None:
    assert canonical_json({"b": (1, 2), "a": {80: None}}) == '{"a":{"80":null},"b":[1,2]}'
    assert canonical_json([1, 2]) == canonical_json((1, 2))
    assert canonical_json({"s": {"b", "a"}}) == '{"s":["a","b"]}'


def test_fingerprint_is_sha256_hex() -> None:
    assert re.fullmatch(r"[0-9a-f]{64}", fingerprint(CREATE, HOST, []))


def test_fingerprints_and_hidden_values_stay_the_same_across_versions() -> None:
    """Containers carry them: a change would replace every container on an upgrade of dockermap."""
    endpoints = [DesiredEndpoint("m.net", aliases=("a",))]
    assert fingerprint(CREATE, HOST, endpoints) == (
        "034ed1e2c3c1c2b8248eb1e83b8721db634bf032686fc3b366939ded199cc74f"
    )
    assert hidden_value("web", "PASSWORD", "x") == "hidden:820421bc2ec2d0eeaf6119b6"


def test_fingerprint_ignores_key_order_and_tuple_vs_list() -> None:
    reordered = {key: CREATE[key] for key in reversed(list(CREATE))}
    reordered["environment"] = {"B": "2", "A": "1"}
    endpoints = [DesiredEndpoint("m.net", aliases=("a",))]
    as_dicts = [
        {
            "network": "m.net",
            "aliases": ["a"],
            "links": [],
            "ipv4_address": None,
            "ipv6_address": None,
            "link_local_ips": [],
        }
    ]
    assert fingerprint(
        reordered, {"port_bindings": {80: 8080}, "binds": ("/h:/c:rw",)}, endpoints
    ) == fingerprint(CREATE, HOST, as_dicts)


def test_fingerprint_ignores_own_state_labels_and_updatable_values() -> None:
    labelled = dict(CREATE, labels={"x": "y", LABEL_FINGERPRINT: "abc", LABEL_UPDATABLE: "{}"})
    limited = dict(HOST, mem_limit=1024, restart_policy={"Name": "always"}, cpu_shares=10)
    assert fingerprint(labelled, limited, []) == fingerprint(CREATE, HOST, [])


@pytest.mark.parametrize(
    "change",
    [
        lambda c, h, e: c.update(environment={"A": "1", "B": "3"}),
        lambda c, h, e: c.update(labels={"x": "z"}),
        lambda c, h, e: h.update(binds=["/h:/c:ro"]),
        lambda c, h, e: h.update(cap_add=["NET_ADMIN"]),
        lambda c, h, e: e.append(DesiredEndpoint("m.net")),
    ],
)
def test_fingerprint_changes_with_the_configuration(change: object) -> None:
    create, host, endpoints = dict(CREATE), dict(HOST), []
    change(create, host, endpoints)  # type: ignore[operator]
    assert fingerprint(create, host, endpoints) != fingerprint(CREATE, HOST, [])


def test_updatable_json_is_canonical() -> None:
    assert updatable_json({"restart_policy": {"Name": "always", "MaximumRetryCount": 0}, "mem_limit": 5}) == (
        '{"mem_limit":5,"restart_policy":{"MaximumRetryCount":0,"Name":"always"}}'
    )
    assert updatable_json({}) == "{}"
