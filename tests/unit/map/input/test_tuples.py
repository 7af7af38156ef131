"""Named tuples of dockermap.map.input: fields, defaults, normalisation and checks."""

from __future__ import annotations

import pickle

import pytest

from dockermap.map.input import (
    ContainerLink,
    ContainerLinkList,
    ExecCommand,
    ExecPolicy,
    HostVolume,
    InputConfigId,
    ItemType,
    MapConfigId,
    NetworkEndpoint,
    PortBinding,
    SharedVolume,
    UsedVolume,
)
from dockermap.map.input.tuples import build, get_instance_names


@pytest.mark.parametrize(
    "cls, fields, defaults",
    [
        (SharedVolume, ("name", "readonly"), {"readonly": False}),
        (HostVolume, ("path", "host_path", "readonly"), {"readonly": False}),
        (UsedVolume, ("name", "path", "readonly"), {"path": None, "readonly": False}),
        (ContainerLink, ("container", "alias"), {"alias": None}),
        (
            PortBinding,
            ("exposed_port", "host_port", "interface", "ipv6"),
            {"host_port": None, "interface": None, "ipv6": False},
        ),
        (
            NetworkEndpoint,
            ("network_name", "aliases", "links", "ipv4_address", "ipv6_address", "link_local_ips"),
            dict.fromkeys(("aliases", "links", "ipv4_address", "ipv6_address", "link_local_ips")),
        ),
        (ExecCommand, ("cmd", "user", "policy"), {"user": None, "policy": ExecPolicy.RESTART}),
        (MapConfigId, ("config_type", "map_name", "config_name", "instance_name"), {"instance_name": None}),
        (
            InputConfigId,
            ("config_type", "map_name", "config_name", "instance_names"),
            {"instance_names": None},
        ),
    ],
)
def test_fields_and_defaults(cls, fields, defaults):
    assert cls._fields == fields
    assert cls._field_defaults == defaults


@pytest.mark.parametrize(
    "item, plain",
    [
        (SharedVolume("a"), ("a", False)),
        (SharedVolume("a", True), ("a", True)),
        (HostVolume("/c", "/h"), ("/c", "/h", False)),
        (UsedVolume("a"), ("a", None, False)),
        (UsedVolume("a", "/p", True), ("a", "/p", True)),
        (ContainerLink("c"), ("c", None)),
        (ContainerLink("c", "alias"), ("c", "alias")),
        (PortBinding(80), (80, None, None, False)),
        (PortBinding("53/udp", 53, "eth0", True), ("53/udp", 53, "eth0", True)),
        (NetworkEndpoint("net"), ("net", None, [], None, None, None)),
        (ExecCommand("ls"), ("ls", None, ExecPolicy.RESTART)),
        (MapConfigId(ItemType.CONTAINER, "m", "c"), (ItemType.CONTAINER, "m", "c", None)),
        (InputConfigId(ItemType.VOLUME, "m", "c", ("i",)), (ItemType.VOLUME, "m", "c", ("i",))),
    ],
)
def test_equal_to_plain_tuples(item, plain):
    assert item == plain
    assert plain == item


class TestReadonlyFlag:
    @pytest.mark.parametrize(
        "flag, expected",
        [
            ("ro", True),
            ("rw", False),
            ("true", True),
            ("false", False),
            ("False", False),
            (True, True),
            (None, False),
            (1, True),
        ],
    )
    def test_normalised(self, flag, expected):
        assert SharedVolume("a", flag).readonly is expected
        assert HostVolume("/c", "/h", flag).readonly is expected
        assert UsedVolume("a", "/p", flag).readonly is expected

    @pytest.mark.parametrize("flag", ["yes", {"a": 1}, ["ro"], 1.0])
    def test_bad_flag(self, flag):
        with pytest.raises(
            ValueError, match=r"SharedVolume.readonly must be a bool, 'ro'/'true' or 'rw'/'false'; got"
        ):
            SharedVolume("a", flag)


class TestNameChecks:
    @pytest.mark.parametrize(
        "factory, message",
        [
            (
                lambda: SharedVolume({"x": 1}),
                r"SharedVolume.name must be a non-empty string or a lazy value; got",
            ),
            (lambda: SharedVolume(""), r"SharedVolume.name must be a non-empty string"),
            (lambda: SharedVolume(None), r"SharedVolume.name must be"),
            (lambda: HostVolume(5, "/h"), r"HostVolume.path must be"),
            (
                lambda: HostVolume("/c", None),
                r"HostVolume.host_path must be a path, a lazy value or a non-empty",
            ),
            (lambda: HostVolume("/c", {}), r"HostVolume.host_path must be"),
            (lambda: HostVolume("/c", {"i": {"x": 1}}), r"HostVolume.host_path must be"),
            (lambda: HostVolume("/c", {1: "/h"}), r"HostVolume.host_path must be"),
            (lambda: UsedVolume("a", ["/p"]), r"UsedVolume.path must be None, a string or a lazy value; got"),
            (lambda: ContainerLink(["c"]), r"ContainerLink.container must be"),
            (lambda: ContainerLink("c", 5), r"ContainerLink.alias must be None, a string"),
        ],
    )
    def test_rejected(self, factory, message):
        with pytest.raises(ValueError, match=message):
            factory()

    def test_host_path_per_instance(self):
        assert HostVolume("/c", {"default": "/h", "i1": "/h1"}).host_path == {"default": "/h", "i1": "/h1"}


class TestPortBinding:
    @pytest.mark.parametrize(
        "args",
        [
            (True,),
            ("",),
            (None,),
            (1.5,),
            ({"a": 1},),
            (80, True),
            (80, [1]),
            (80, 1, 5),
            (80, 1, None, "yes"),
        ],
    )
    def test_rejected(self, args):
        with pytest.raises(ValueError, match=r"PortBinding\.\w+ must be .*; got"):
            PortBinding(*args)

    def test_ipv6_none_accepted(self):
        assert PortBinding(80, 8080, "eth0", None).ipv6 is None


class TestExecCommand:
    def test_string_policy_converted(self):
        assert ExecCommand("ls", "root", "initial").policy is ExecPolicy.INITIAL
        assert ExecCommand("ls", policy=ExecPolicy.INITIAL).policy is ExecPolicy.INITIAL

    def test_exec_form_and_numeric_user(self):
        command = ExecCommand(["ls", "-l"], 1000)
        assert command == (["ls", "-l"], 1000, ExecPolicy.RESTART)

    @pytest.mark.parametrize(
        "args, message",
        [
            (
                ("ls", "root", "sometimes"),
                r"ExecCommand.policy must be an ExecPolicy or one of 'restart', 'initial'",
            ),
            (("ls", "root", 1), r"ExecCommand.policy must be"),
            (("ls", {"u": 1}), r"ExecCommand.user must be None, a user name or id"),
            (("ls", True), r"ExecCommand.user must be"),
            (([],), r"ExecCommand.cmd must be a non-empty string"),
            ((["ls", {"a": 1}],), r"each item of ExecCommand.cmd must be"),
            ((5,), r"ExecCommand.cmd must be"),
        ],
    )
    def test_rejected(self, args, message):
        with pytest.raises(ValueError, match=message):
            ExecCommand(*args)

    def test_asdict_gives_policy_value(self):
        assert ExecCommand("ls", "root", "initial")._asdict() == {
            "cmd": "ls",
            "user": "root",
            "policy": "initial",
        }


class TestNetworkEndpoint:
    def test_lists_normalised(self):
        endpoint = NetworkEndpoint(
            "net", "alias", "c1", "10.0.0.2", "fe80::2", ("169.254.0.1", "169.254.0.2")
        )
        assert endpoint.aliases == ["alias"]
        assert endpoint.links == [ContainerLink("c1")]
        assert isinstance(endpoint.links, ContainerLinkList)
        assert endpoint.link_local_ips == ["169.254.0.1", "169.254.0.2"]
        assert endpoint.ipv4_address == "10.0.0.2"
        assert endpoint.ipv6_address == "fe80::2"

    @pytest.mark.parametrize("falsy", [None, "", [], ()])
    def test_falsy_lists_become_none(self, falsy):
        endpoint = NetworkEndpoint("net", falsy, None, None, None, falsy)
        assert endpoint.aliases is None
        assert endpoint.link_local_ips is None
        assert endpoint.links == []
        assert isinstance(endpoint.links, ContainerLinkList)

    def test_links_in_all_forms(self):
        endpoint = NetworkEndpoint("net", links=[("c1", "a1"), "c2", {"container": "c3"}])
        assert endpoint.links == [ContainerLink("c1", "a1"), ContainerLink("c2"), ContainerLink("c3")]

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"network_name": 5}, r"NetworkEndpoint.network_name must be"),
            ({"network_name": "n", "aliases": 5}, r"NetworkEndpoint.aliases must be None, a string"),
            ({"network_name": "n", "aliases": [None]}, r"each item of NetworkEndpoint.aliases must be"),
            ({"network_name": "n", "aliases": {"a": 1}}, r"NetworkEndpoint.aliases must be"),
            ({"network_name": "n", "links": 5}, r"Invalid container link list 5"),
            ({"network_name": "n", "ipv4_address": ["a"]}, r"NetworkEndpoint.ipv4_address must be"),
            ({"network_name": "n", "link_local_ips": [1]}, r"each item of NetworkEndpoint.link_local_ips"),
        ],
    )
    def test_rejected(self, kwargs, message):
        with pytest.raises(ValueError, match=message):
            NetworkEndpoint(**kwargs)


class TestConfigIds:
    def test_string_type_converted(self):
        assert MapConfigId("volume", "m", "c", "i").config_type is ItemType.VOLUME
        assert InputConfigId("network", "m", "c").config_type is ItemType.NETWORK

    def test_asdict_gives_type_value(self):
        assert MapConfigId(ItemType.CONTAINER, "m", "c", "i")._asdict() == {
            "config_type": "container",
            "map_name": "m",
            "config_name": "c",
            "instance_name": "i",
        }
        assert InputConfigId("image", "m", "c", ["a"])._asdict() == {
            "config_type": "image",
            "map_name": "m",
            "config_name": "c",
            "instance_names": ("a",),
        }

    def test_map_config_id_accepts_instance_tuple(self):
        assert MapConfigId(ItemType.CONTAINER, "m", "c", ("a", None)).instance_name == ("a", None)

    @pytest.mark.parametrize(
        "instances, expected",
        [
            (None, None),
            ("", None),
            ([], None),
            ((), None),
            ("a", ("a",)),
            (["a", "b"], ("a", "b")),
            (("a",), ("a",)),
        ],
    )
    def test_input_config_id_instances(self, instances, expected):
        assert InputConfigId(ItemType.CONTAINER, "m", "c", instances).instance_names == expected

    @pytest.mark.parametrize(
        "cls, args, message",
        [
            (
                MapConfigId,
                ("thing", "m", "c"),
                r"MapConfigId.config_type must be an ItemType or one of 'container'",
            ),
            (MapConfigId, (ItemType.CONTAINER, 5, "c"), r"MapConfigId.map_name must be None or a map name"),
            (MapConfigId, (ItemType.CONTAINER, "", "c"), r"MapConfigId.map_name must be"),
            (
                MapConfigId,
                (ItemType.CONTAINER, "m", ""),
                r"MapConfigId.config_name must be a configuration name",
            ),
            (
                MapConfigId,
                (ItemType.CONTAINER, "m", "c", ["i"]),
                r"MapConfigId.instance_name must be None, an",
            ),
            (InputConfigId, (ItemType.CONTAINER, "m", "c", 5), r"InputConfigId.instance_names must be None"),
            (InputConfigId, (ItemType.CONTAINER, "m", "c", [1]), r"InputConfigId.instance_names must be"),
            (InputConfigId, (ItemType.CONTAINER, "m", None), r"InputConfigId.config_name must be"),
        ],
    )
    def test_rejected(self, cls, args, message):
        with pytest.raises(ValueError, match=message):
            cls(*args)

    def test_get_instance_names_rejects_dict(self):
        with pytest.raises(ValueError, match=r"default instances must be None, an instance name"):
            get_instance_names({"a": 1}, "default instances")


class TestMakeReplacePickle:
    def test_make_converts(self):
        assert ExecCommand._make(["ls", None, "initial"]).policy is ExecPolicy.INITIAL
        with pytest.raises(ValueError, match="SharedVolume.name"):
            SharedVolume._make([5, False])

    def test_replace_checks(self):
        assert SharedVolume("a")._replace(readonly="ro") == ("a", True)
        with pytest.raises(ValueError, match="ContainerLink.alias"):
            ContainerLink("c")._replace(alias=[1])

    @pytest.mark.parametrize(
        "item",
        [
            SharedVolume("a", True),
            HostVolume("/c", {"default": "/h"}),
            PortBinding(80, 8080),
            ExecCommand("ls", policy="initial"),
            NetworkEndpoint("net", "alias", "c"),
            InputConfigId("volume", "m", "c", "i"),
        ],
    )
    def test_pickle_round_trip(self, item):
        copy = pickle.loads(pickle.dumps(item))
        assert copy == item
        assert type(copy) is type(item)


class TestBuild:
    def test_builds(self):
        assert build(ContainerLink, ("c",), {"alias": "a"}) == ("c", "a")

    @pytest.mark.parametrize(
        "args, kwargs, message",
        [
            (("c", "a", "x"), {}, r"3 values given, ContainerLink fields are container, alias"),
            ((), {"container": "c", "nam": 1}, r"unknown key\(s\) 'nam'; ContainerLink fields are"),
            ((), {1: "c"}, r"unknown key\(s\) 1;"),
            (("c",), {"container": "d"}, r"container given twice"),
            ((), {"alias": "a"}, r"missing container"),
        ],
    )
    def test_reports(self, args, kwargs, message):
        with pytest.raises(ValueError, match=message):
            build(ContainerLink, args, kwargs)
