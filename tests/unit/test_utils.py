"""Path, list and tag helpers."""

from __future__ import annotations

import os

from dockermap.functional import LazyOnceObject
from dockermap.utils import expand_path, expand_path_lazy, format_image_tag, merge_list


def test_expand_path_variables_then_user(monkeypatch):
    monkeypatch.setenv("HOME", "/home/tester")
    monkeypatch.setenv("DM_SUBDIR", "data")
    assert expand_path("~/$DM_SUBDIR/x") == "/home/tester/data/x"
    # Variables are expanded first, so a variable may produce the leading ``~``.
    monkeypatch.setenv("DM_TILDE", "~")
    assert expand_path("$DM_TILDE/y") == "/home/tester/y"


def test_expand_path_lazy(monkeypatch):
    monkeypatch.setenv("DM_LAZY", "first")
    value = expand_path_lazy("/srv/$DM_LAZY")
    assert isinstance(value, LazyOnceObject)
    assert value.evaluated is False
    monkeypatch.setenv("DM_LAZY", "second")
    assert value.get() == "/srv/second"
    monkeypatch.setenv("DM_LAZY", "third")
    assert value.get() == "/srv/second"


def test_expand_path_keeps_unknown_variables():
    os.environ.pop("DM_UNKNOWN_VARIABLE", None)
    assert expand_path("/a/$DM_UNKNOWN_VARIABLE") == "/a/$DM_UNKNOWN_VARIABLE"


def test_merge_list_appends_new_items_in_order():
    merged = ["a", "b"]
    assert merge_list(merged, ["c", "a", "d", "c"]) is None
    assert merged == ["a", "b", "c", "d"]


def test_merge_list_no_op_for_falsy_items():
    merged = ["a"]
    merge_list(merged, None)
    merge_list(merged, [])
    assert merged == ["a"]


def test_format_image_tag():
    assert format_image_tag(("nginx", "latest")) == "nginx:latest"
    assert format_image_tag(["registry:5000/app", "1.2"]) == "registry:5000/app:1.2"
