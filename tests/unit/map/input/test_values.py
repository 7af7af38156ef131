"""Enums, NotSet and the scalar helpers of dockermap.map.input."""

from __future__ import annotations

import copy
import pickle

import pytest

import dockermap.map.input as input_module
from dockermap.map.input import (
    CURRENT_DIR,
    EXEC_POLICY_INITIAL,
    EXEC_POLICY_RESTART,
    CmdCheck,
    ExecPolicy,
    ItemType,
    NotSet,
    bool_if_set,
    get_list,
    get_network_mode,
    is_path,
    read_only,
)
from dockermap.map.input.values import _NotSet

EXPORTED = (
    "is_path read_only get_list ItemType SharedHostVolumesList SharedVolume HostVolume ContainerLinkList "
    "ContainerLink PortBindingList PortBinding ExecCommandList ExecCommand ExecPolicy NetworkEndpointList "
    "NetworkEndpoint AttachedVolumeList UsedVolume UsedVolumeList InputConfigIdList MapConfigId "
    "InputConfigId get_healthcheck HealthCheck CmdCheck NotSet bool_if_set get_network_mode NamedTupleList "
    "EXEC_POLICY_RESTART EXEC_POLICY_INITIAL CURRENT_DIR BuildSettings get_build"
).split()


def test_all_names_exported():
    assert sorted(input_module.__all__) == sorted(EXPORTED)
    for name in EXPORTED:
        assert getattr(input_module, name) is not None


@pytest.mark.parametrize(
    "enum, members",
    [
        (ExecPolicy, {"RESTART": "restart", "INITIAL": "initial", "KEEP_RUNNING": "keep_running"}),
        (CmdCheck, {"FULL": "full", "PARTIAL": "partial", "NONE": "none"}),
        (ItemType, {"CONTAINER": "container", "VOLUME": "volume", "NETWORK": "network", "IMAGE": "image"}),
    ],
)
def test_enum_members(enum, members):
    assert {member.name: member.value for member in enum} == members
    for value in members.values():
        assert enum(value).value == value


def test_enum_repr():
    assert repr(ExecPolicy.RESTART) == "ExecPolicy.RESTART"
    assert repr(ItemType.CONTAINER) == "ItemType.CONTAINER"


def test_module_constants():
    assert EXEC_POLICY_RESTART is ExecPolicy.RESTART
    assert EXEC_POLICY_INITIAL is ExecPolicy.INITIAL
    assert CURRENT_DIR == "./"


class TestNotSet:
    def test_falsy_and_texts(self):
        assert not NotSet
        assert bool(NotSet) is False
        assert repr(NotSet) == "<Value not set>"
        assert str(NotSet) == "Not set"

    def test_equality(self):
        assert NotSet == _NotSet()
        assert _NotSet() is NotSet
        assert NotSet != None  # noqa: E711
        assert NotSet != 0
        assert NotSet != ""
        assert not (NotSet == False)  # noqa: E712
        assert hash(NotSet) == hash(_NotSet())

    def test_singleton_survives_copy_and_pickle(self):
        assert copy.copy(NotSet) is NotSet
        assert copy.deepcopy(NotSet) is NotSet
        assert pickle.loads(pickle.dumps(NotSet)) is NotSet


@pytest.mark.parametrize(
    "value, expected",
    [
        ("/abs/path", True),
        ("./rel/path", True),
        ("./", True),
        ("/", True),
        (".", False),
        ("..", False),
        ("../up", False),
        ("alias", False),
        ("", False),
        (None, False),
        (5, False),
        (["/x"], False),
    ],
)
def test_is_path(value, expected):
    assert is_path(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("ro", True),
        ("rw", False),
        (True, True),
        (False, False),
        (None, False),
        ("", False),
        (1, True),
        (0, False),
        ("yes", True),
        ("true", True),
        ("TRUE", True),
        ("false", False),
        ("False", False),
        ("RW", False),
    ],
)
def test_read_only(value, expected):
    assert read_only(value) is expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("x", True),
        ("", False),
        (None, False),
        ([], False),
    ],
)
def test_bool_if_set(value, expected):
    assert bool_if_set(value) is expected


def test_bool_if_set_keeps_not_set():
    assert bool_if_set(NotSet) is NotSet


class TestGetList:
    def test_none_is_empty(self):
        assert get_list(None) == []

    def test_not_set_stays(self):
        assert get_list(NotSet) is NotSet

    @pytest.mark.parametrize("value", [["a", "b"], ("a", "b")])
    def test_sequence_becomes_list(self, value):
        result = get_list(value)
        assert result == ["a", "b"]
        assert type(result) is list

    def test_list_is_copied(self):
        value = ["a"]
        assert get_list(value) is not value

    def test_string_is_single_item(self):
        assert get_list("a") == ["a"]

    @pytest.mark.parametrize("value", [5, {"a": 1}, 1.5, b"bytes", {"a"}])
    def test_other_types_raise(self, value):
        with pytest.raises(ValueError, match=r"Invalid list value .*expected None, a list or tuple"):
            get_list(value)


class TestGetNetworkMode:
    @pytest.mark.parametrize("value", [None, "", False, NotSet, [], (), "disabled", "none"])
    def test_disabled(self, value):
        assert get_network_mode(value) == "none"

    @pytest.mark.parametrize("value", ["host", "bridge", "container:abc", "container:main.app.1"])
    def test_kept(self, value):
        assert get_network_mode(value) == value

    def test_container_name(self):
        assert get_network_mode("/other") == "container:other"

    @pytest.mark.parametrize(
        "value, expected",
        [
            ("app", ("app", None)),
            ("app.inst", ("app", "inst")),
            ("app.", ("app", None)),
            (("app", "inst"), ("app", "inst")),
            (["app", None], ("app", None)),
        ],
    )
    def test_configuration_reference(self, value, expected):
        result = get_network_mode(value)
        assert result == expected
        assert type(result) is tuple

    @pytest.mark.parametrize(
        "value",
        [
            ("app",),
            ("app", "inst", "x"),
            ["a", "b", "c", "d"],
            ("", "x"),
            (5, "x"),
            ("app", 5),
            ({"a": 1}, None),
        ],
    )
    def test_bad_sequence_raises(self, value):
        with pytest.raises(ValueError, match=r"Invalid network mode .*\(config, instance\) pair"):
            get_network_mode(value)

    @pytest.mark.parametrize("value", [5, {"a": 1}, "/", "container:", ".inst", 1.5, True])
    def test_bad_value_raises(self, value):
        with pytest.raises(ValueError, match=r"Invalid network mode .*expected None, 'disabled'"):
            get_network_mode(value)
