"""Value rules of the desired records: option merging, resolution, users, modes, byte sizes, limits."""

from __future__ import annotations

from typing import Any

import pytest

from dockermap.functional import lazy, lazy_once
from dockermap.map.desired.values import (
    extract_user,
    format_mode,
    format_owner,
    label_dict,
    normalise_restart_policy,
    normalise_updatable,
    parse_bytes,
    resolve_all,
    update_kwargs,
)
from dockermap.map.input import HealthCheck, NotSet


def test_update_kwargs_replaces_command_and_entrypoint() -> None:
    kwargs = {"command": ["a", "b"], "entrypoint": ["x"]}
    update_kwargs(kwargs, {"command": ["c"], "entrypoint": ["y"]})
    assert kwargs == {"command": ["c"], "entrypoint": ["y"]}


def test_update_kwargs_has_no_substring_rule_for_command() -> None:
    kwargs = {"com": ["a"]}
    update_kwargs(kwargs, {"com": ["b"]})
    assert kwargs == {"com": ["a", "b"]}


def test_update_kwargs_merges_lists_without_duplicates() -> None:
    kwargs: dict = {"binds": ("/a:/a:rw",), "dns": ["1.1.1.1"]}
    update_kwargs(
        kwargs, {"binds": ["/b:/b:ro", "/a:/a:rw"], "dns": ("1.1.1.1", "8.8.8.8"), "cap_add": ("X",)}
    )
    assert kwargs == {"binds": ["/a:/a:rw", "/b:/b:ro"], "dns": ["1.1.1.1", "8.8.8.8"], "cap_add": ["X"]}


def test_update_kwargs_merges_unhashable_list_items_by_value() -> None:
    kwargs: dict = {"links": [("m.a", "a")], "ulimits": [{"name": "nofile", "soft": 1}]}
    update_kwargs(kwargs, {"links": [["m.a", "a"], ["m.b", "b"]], "ulimits": [{"soft": 1, "name": "nofile"}]})
    assert kwargs == {"links": [("m.a", "a"), ["m.b", "b"]], "ulimits": [{"name": "nofile", "soft": 1}]}


def test_update_kwargs_updates_dicts_and_overwrites_scalars() -> None:
    kwargs: dict = {"environment": {"A": "1", "B": "2"}, "user": "x", "tty": False}
    update_kwargs(kwargs, {"environment": {"B": "3", "C": "4"}, "user": "y", "tty": True, "hostname": None})
    assert kwargs == {"environment": {"A": "1", "B": "3", "C": "4"}, "user": "y", "tty": True}


def test_update_kwargs_applies_updates_in_order_and_resolves_lazy_values() -> None:
    kwargs: dict = {}
    update_kwargs(
        kwargs, None, {"environment": {"A": lazy(lambda: "1")}}, {"working_dir": lazy_once(str, "/w")}
    )
    assert kwargs == {"environment": {"A": "1"}, "working_dir": "/w"}


def test_update_kwargs_does_not_share_dicts_with_the_update() -> None:
    update = {"environment": {"A": "1"}}
    kwargs: dict = {}
    update_kwargs(kwargs, update)
    kwargs["environment"]["B"] = "2"
    assert update == {"environment": {"A": "1"}}


def test_resolve_all_keeps_container_types_at_any_depth() -> None:
    value = {
        "a": [lazy(lambda: 1), ("x", lazy(lambda: "y"))],
        lazy(lambda: "k"): {"b": {"c": [lazy(lambda: 2)]}},
    }
    assert resolve_all(value) == {"a": [1, ("x", "y")], "k": {"b": {"c": [2]}}}
    assert isinstance(resolve_all(value)["a"][1], tuple)


def test_resolve_all_keeps_named_tuples() -> None:
    check = HealthCheck("true")
    assert resolve_all(check) is check


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2000, "2000"),
        ("2000", "2000"),
        ("app:group", "app"),
        (("app", "group"), "app"),
        ((1000, 1000), "1000"),
        (0, "0"),
        ("0", "0"),
        (None, None),
        ("", None),
        (NotSet, None),
        (lazy(lambda: "web:web"), "web"),
    ],
)
def test_extract_user(value: Any, expected: Any) -> None:
    assert extract_user(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2000, "2000"),
        (("app", "app"), "app:app"),
        ([1000, "grp"], "1000:grp"),
        ("app:grp", "app:grp"),
        (0, "0"),
        (None, None),
        (NotSet, None),
        (lazy(lambda: 5), "5"),
    ],
)
def test_format_owner(value: Any, expected: Any) -> None:
    assert format_owner(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("u=rwX,g=rX,o=", "u=rwX,g=rX,o="), ("750", "750"), (0o750, "750"), (None, None), (NotSet, None)],
)
def test_format_mode(value: Any, expected: Any) -> None:
    assert format_mode(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1024, 1024),
        ("1024", 1024),
        ("10b", 10),
        ("1k", 1024),
        ("64m", 64 * 1024**2),
        ("64M", 64 * 1024**2),
        ("2g", 2 * 1024**3),
        ("1.5g", 3 * 1024**3 // 2),
        ("10kb", 10240),
        (" 5 m ", 5 * 1024**2),
        (2.0, 2),
    ],
)
def test_parse_bytes(value: Any, expected: int) -> None:
    assert parse_bytes(value) == expected


@pytest.mark.parametrize("value", ["", "m", "12x", "1.2.3m", None, True])
def test_parse_bytes_rejects_malformed_sizes(value: Any) -> None:
    with pytest.raises(ValueError, match="byte size"):
        parse_bytes(value)


def test_normalise_restart_policy() -> None:
    assert normalise_restart_policy("always") == {"Name": "always", "MaximumRetryCount": 0}
    assert normalise_restart_policy({"Name": "on-failure", "MaximumRetryCount": "3"}) == {
        "Name": "on-failure",
        "MaximumRetryCount": 3,
    }
    with pytest.raises(ValueError, match="restart_policy"):
        normalise_restart_policy({"name": "always"})


def test_normalise_updatable() -> None:
    assert normalise_updatable("mem_limit", "1g") == 1024**3
    assert normalise_updatable("memswap_limit", "2g") == 2 * 1024**3
    assert normalise_updatable("kernel_memory", 5) == 5
    assert normalise_updatable("cpu_shares", 512) == 512
    assert normalise_updatable("cpuset_cpus", "0-1") == "0-1"
    assert normalise_updatable("restart_policy", "unless-stopped") == {
        "Name": "unless-stopped",
        "MaximumRetryCount": 0,
    }


def test_label_dict() -> None:
    assert label_dict({"a": 1, "b": None}, "m.web") == {"a": "1", "b": ""}
    assert label_dict(["a", "b"], "m.web") == {"a": "", "b": ""}
    assert label_dict(None, "m.web") == {}
    with pytest.raises(ValueError, match="m.web: 'labels' must be"):
        label_dict("a", "m.web")
