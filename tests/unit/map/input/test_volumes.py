"""Volume lists: binds, uses and attaches."""

from __future__ import annotations

import pytest

from dockermap.map.input import (
    AttachedVolumeList,
    HostVolume,
    SharedHostVolumesList,
    SharedVolume,
    UsedVolume,
    UsedVolumeList,
)


class TestSharedHostVolumesList:
    @pytest.mark.parametrize(
        "element, expected",
        [
            (SharedVolume("a", True), SharedVolume("a", True)),
            (HostVolume("/c", "/h", True), HostVolume("/c", "/h", True)),
            ("alias", SharedVolume("alias", False)),
            ("/looks/like/path", SharedVolume("/looks/like/path", False)),
            (("alias",), SharedVolume("alias")),
            (("alias", True), SharedVolume("alias", True)),
            (("alias", False), SharedVolume("alias", False)),
            (("alias", "ro"), SharedVolume("alias", True)),
            (("alias", "rw"), SharedVolume("alias", False)),
            (("/c", ("/h", "ro")), HostVolume("/c", "/h", True)),
            (("/c", ["/h", False]), HostVolume("/c", "/h", False)),
            (("alias", ("ro",)), SharedVolume("alias", True)),
            (("alias", [True]), SharedVolume("alias", True)),
            (("/c", ("/h",)), HostVolume("/c", "/h")),
            (("/c", "/h"), HostVolume("/c", "/h", False)),
            (["/c", "/h", "ro"], HostVolume("/c", "/h", True)),
            (("/c", "/h", "rw"), HostVolume("/c", "/h", False)),
            (("/c", {"default": "/h", "i1": "/h1"}), HostVolume("/c", {"default": "/h", "i1": "/h1"})),
            ({"name": "alias"}, SharedVolume("alias")),
            ({"alias": "ro"}, SharedVolume("alias", True)),
            ({"/c": "/h"}, HostVolume("/c", "/h")),
            ({"/c": ["/h", "ro"]}, HostVolume("/c", "/h", True)),
            ({"/c": ("/h",)}, HostVolume("/c", "/h")),
            ({"alias": []}, SharedVolume("alias")),
            ({"path": "/c", "host_path": "/h", "readonly": "ro"}, HostVolume("/c", "/h", True)),
            ({"path": "/c", "host_path": "/h"}, HostVolume("/c", "/h")),
            ({"name": "alias", "readonly": True}, SharedVolume("alias", True)),
            # Classic inputs: read-only flags as strings, an alias without a value.
            (("alias", "true"), SharedVolume("alias", True)),
            (("alias", "False"), SharedVolume("alias", False)),
            (("/c", "/h", "true"), HostVolume("/c", "/h", True)),
            ({"alias": "false"}, SharedVolume("alias", False)),
            ({"alias": None}, SharedVolume("alias", False)),
            (("alias", None), SharedVolume("alias", False)),
        ],
    )
    def test_element(self, element, expected):
        result = SharedHostVolumesList([element])
        assert result == [expected]
        assert type(result[0]) is type(expected)

    def test_single_path_key_follows_single_entry_rule(self):
        # A one-entry dict is an (alias or path, spec) pair even when the key is 'path'.
        assert SharedHostVolumesList([{"path": "/c"}]) == [HostVolume("path", "/c")]

    def test_whole_dict(self):
        result = SharedHostVolumesList({"/c": "/h", "alias": "ro", "/d": ["/e", True]})
        assert result == [HostVolume("/c", "/h"), SharedVolume("alias", True), HostVolume("/d", "/e", True)]

    def test_bare_tuple_is_two_elements(self):
        assert SharedHostVolumesList(("name", "ro")) == [SharedVolume("name"), SharedVolume("ro")]

    @pytest.mark.parametrize(
        "element, detail",
        [
            ((), r"0 values"),
            (("a", "b", "c", "d"), r"4 values"),
            (("/c", ("/h", "ro", "x")), r"path specification of 3 values"),
            (("/c", ()), r"path specification of 0 values"),
            (("/c", 5), r"HostVolume.host_path must be"),
            (("/c", {"x": {"y": 1}}), r"HostVolume.host_path must be"),
            (("/c", "/h", "yes"), r"HostVolume.readonly must be a bool, 'ro'/'true' or 'rw'/'false'"),
            (({"a": 1}, "ro"), r"SharedVolume.name must be"),
            (
                {"nam": "x", "readonly": True},
                r"unknown key\(s\) 'nam'; SharedVolume fields are name, readonly",
            ),
            ({"path": "/c", "readonly": True}, r"missing host_path; HostVolume fields are"),
            ({}, r"missing name"),
            (5, r"unsupported type int"),
            (None, r"unsupported type NoneType"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid volume bind .*\({detail}.*: expected 'alias', \(alias"
        ):
            SharedHostVolumesList([element])


class TestUsedVolumeList:
    def test_verified_examples(self):
        result = UsedVolumeList(
            [
                "a",
                ("b", "ro"),
                ("c", "/p"),
                ("d", "/q", True),
                {"e": ["/r", "rw"]},
                {"name": "f", "path": "/s"},
            ]
        )
        assert result == [
            SharedVolume("a"),
            SharedVolume("b", True),
            UsedVolume("c", "/p"),
            UsedVolume("d", "/q", True),
            UsedVolume("e", "/r", False),
            UsedVolume("f", "/s"),
        ]
        assert [type(item) for item in result] == [SharedVolume] * 2 + [UsedVolume] * 4

    @pytest.mark.parametrize(
        "element, expected",
        [
            (UsedVolume("a", "/p", True), UsedVolume("a", "/p", True)),
            (SharedVolume("a"), SharedVolume("a")),
            (("a",), SharedVolume("a")),
            (("a", False), SharedVolume("a", False)),
            (("a", None), UsedVolume("a")),
            (("a", ("/p", "ro")), UsedVolume("a", "/p", True)),
            (("a", ("ro",)), SharedVolume("a", True)),
            (("a", ("/p",)), UsedVolume("a", "/p")),
            ({"name": "a"}, SharedVolume("a")),
            ({"a": "/p"}, UsedVolume("a", "/p")),
            ({"a": "rw"}, SharedVolume("a", False)),
            ({"name": "a", "readonly": "ro"}, SharedVolume("a", True)),
            ({"name": "a", "path": "/p", "readonly": True}, UsedVolume("a", "/p", True)),
        ],
    )
    def test_element(self, element, expected):
        result = UsedVolumeList([element])
        assert result == [expected]
        assert type(result[0]) is type(expected)

    def test_host_volume_element_is_converted_as_sequence(self):
        assert UsedVolumeList([HostVolume("a", "/p", True)]) == [UsedVolume("a", "/p", True)]

    def test_whole_dict(self):
        assert UsedVolumeList({"a": "/p", "b": "ro"}) == [UsedVolume("a", "/p"), SharedVolume("b", True)]

    @pytest.mark.parametrize(
        "element, detail",
        [
            (("a", "/p", "ro", "x"), r"4 values"),
            (("a", 5), r"UsedVolume.path must be None, a string"),
            ({"name": "a", "host_path": "/h"}, r"unknown key\(s\) 'host_path'"),
            ({"a": {"b": 1}}, r"UsedVolume.path must be"),
            (5.5, r"unsupported type float"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid used volume .*\({detail}.*: expected 'name', \(name"
        ):
            UsedVolumeList([element])


class TestAttachedVolumeList:
    @pytest.mark.parametrize(
        "element, expected",
        [
            (SharedVolume("a"), SharedVolume("a")),
            (UsedVolume("a", "/p"), UsedVolume("a", "/p")),
            ("a", SharedVolume("a")),
            (("a",), SharedVolume("a")),
            (("a", "/p"), UsedVolume("a", "/p")),
            (("a", None), SharedVolume("a")),
            (("a", ""), SharedVolume("a")),
            ({"name": "a"}, SharedVolume("a")),
            ({"a": "/p"}, UsedVolume("a", "/p")),
            ({"a": None}, UsedVolume("a", None)),
            ({"name": "a", "path": "/p"}, UsedVolume("a", "/p")),
            ({"name": "a", "readonly": False}, SharedVolume("a")),
            # Classic (name, readonly) pairs.
            (("a", False), SharedVolume("a")),
            (("a", "rw"), SharedVolume("a")),
            (("a", "false"), SharedVolume("a")),
            ({"a": False}, SharedVolume("a")),
        ],
    )
    def test_element(self, element, expected):
        result = AttachedVolumeList([element])
        assert result == [expected]
        assert type(result[0]) is type(expected)

    def test_whole_dict_falsy_value_is_shared_volume(self):
        result = AttachedVolumeList({"a": None, "b": "/p", "c": ""})
        assert result == [SharedVolume("a"), UsedVolume("b", "/p"), SharedVolume("c")]
        assert type(result[0]) is SharedVolume

    @pytest.mark.parametrize(
        "element",
        [
            SharedVolume("a", True),
            UsedVolume("a", "/p", True),
            {"name": "a", "readonly": True},
            {"name": "a", "path": "/p", "readonly": "ro"},
            ("a", True),
            ("a", "true"),
        ],
    )
    def test_read_only_rejected(self, element):
        with pytest.raises(ValueError, match=r"\(attached volumes cannot be read-only \(.*, with 'uses'\)"):
            AttachedVolumeList([element])

    def test_read_only_rejected_at_top_level_and_on_append(self):
        with pytest.raises(ValueError, match="read-only"):
            AttachedVolumeList(SharedVolume("a", True))
        with pytest.raises(ValueError, match="read-only"):
            AttachedVolumeList().append(UsedVolume("a", "/p", True))

    @pytest.mark.parametrize(
        "element, detail",
        [
            (("a", "/p", "x"), r"3 values"),
            ((), r"0 values"),
            (("a", 5), r"UsedVolume.path must be"),
            (("a", {}), r"UsedVolume.path must be"),
            ({"a": {"b": 1}}, r"UsedVolume.path must be"),
            ({"nam": "a", "x": 1}, r"unknown key\(s\) 'nam', 'x'"),
            (7, r"unsupported type int"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(ValueError, match=rf"^Invalid attached volume .*\({detail}.*: expected 'name'"):
            AttachedVolumeList([element])
