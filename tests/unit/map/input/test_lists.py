"""NamedTupleList behaviour and the link, port, exec command and network endpoint lists."""

from __future__ import annotations

import pytest

from dockermap.map.input import (
    ContainerLink,
    ContainerLinkList,
    ExecCommand,
    ExecCommandList,
    ExecPolicy,
    NetworkEndpoint,
    NetworkEndpointList,
    PortBinding,
    PortBindingList,
    SharedHostVolumesList,
    SharedVolume,
)


class TestNamedTupleList:
    def test_none_is_empty(self):
        assert ContainerLinkList() == []
        assert ContainerLinkList(None) == []

    def test_single_element_instance(self):
        assert ContainerLinkList(ContainerLink("c", "a")) == [("c", "a")]

    def test_single_string(self):
        assert ContainerLinkList("c") == [ContainerLink("c")]

    def test_iterables(self):
        assert ContainerLinkList(iter(["a", "b"])) == [ContainerLink("a"), ContainerLink("b")]
        assert ContainerLinkList(("a", "b")) == [ContainerLink("a"), ContainerLink("b")]

    def test_same_class_taken_as_is(self):
        original = ContainerLinkList(["a"])
        copy = ContainerLinkList(original)
        assert copy == original
        assert copy is not original
        assert copy[0] is original[0]

    def test_append_insert_extend_convert(self):
        links = ContainerLinkList()
        links.append("a")
        links.insert(0, ("b", "x"))
        links.extend({"c": None})
        links += ["d"]
        assert links == [ContainerLink("b", "x"), ContainerLink("a"), ContainerLink("c"), ContainerLink("d")]
        assert all(type(link) is ContainerLink for link in links)
        assert isinstance(links, ContainerLinkList)

    def test_append_rejects(self):
        with pytest.raises(ValueError, match=r"^Invalid container link 5 \(unsupported type int\)"):
            ContainerLinkList().append(5)

    def test_slice_is_plain_list(self):
        assert type(ContainerLinkList(["a"])[:]) is list

    @pytest.mark.parametrize("value", [5, 1.5, True, b"bytes", object()])
    def test_top_level_rejects(self, value):
        with pytest.raises(ValueError) as info:
            SharedHostVolumesList(value)
        message = str(info.value)
        assert message.startswith("Invalid volume bind list ")
        assert "expected None, a single volume bind, a list or tuple of them, or a dict" in message
        assert "(alias[, ro])" in message

    def test_error_shows_shortened_value(self):
        with pytest.raises(ValueError) as info:
            PortBindingList([{"exposed_port": 80, "x" * 1000: 1}])
        assert len(str(info.value)) < 1000
        assert "..." in str(info.value)

    def test_elements_of_other_lists_converted_as_sequences(self):
        assert SharedHostVolumesList([ContainerLink("a", "ro")]) == [SharedVolume("a", True)]


class TestContainerLinkList:
    @pytest.mark.parametrize(
        "element, expected",
        [
            (ContainerLink("c", "a"), ContainerLink("c", "a")),
            ("c", ContainerLink("c", None)),
            (("c",), ContainerLink("c")),
            (["c", "a"], ContainerLink("c", "a")),
            ({"container": "c", "alias": "a"}, ContainerLink("c", "a")),
            ({"container": "c"}, ContainerLink("c")),
        ],
    )
    def test_element(self, element, expected):
        result = ContainerLinkList([element])
        assert result == [expected]
        assert type(result[0]) is ContainerLink

    def test_whole_dict_maps_container_to_alias(self):
        assert ContainerLinkList({"c1": "a1", "c2": None}) == [ContainerLink("c1", "a1"), ContainerLink("c2")]

    @pytest.mark.parametrize(
        "element, detail",
        [
            ((), r"missing container"),
            (("c", "a", "x"), r"3 values given, ContainerLink fields are container, alias"),
            ({"nam": "x"}, r"unknown key\(s\) 'nam'"),
            ({"container": {"x": 1}}, r"ContainerLink.container must be"),
            (("c", ["a"]), r"ContainerLink.alias must be"),
            (None, r"unsupported type NoneType"),
            (5, r"unsupported type int"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid container link .*\({detail}.*: expected 'container'"
        ):
            ContainerLinkList([element])


class TestPortBindingList:
    @pytest.mark.parametrize(
        "element, expected",
        [
            (PortBinding(80, 8080), PortBinding(80, 8080)),
            (80, PortBinding(80)),
            ("53/udp", PortBinding("53/udp")),
            ((80,), PortBinding(80)),
            (("80",), PortBinding("80")),
            ((80, {"host_port": 8080, "interface": "eth0"}), PortBinding(80, 8080, "eth0")),
            ((80, {"ipv6": True}), PortBinding(80, None, None, True)),
            ((80, 8080), PortBinding(80, 8080)),
            ((80, "8080"), PortBinding(80, "8080")),
            ((80, None), PortBinding(80, None)),
            ((80, (8080, "eth0")), PortBinding(80, 8080, "eth0")),
            ((80, [8080, "eth0", True]), PortBinding(80, 8080, "eth0", True)),
            ((80, 8080, "eth0"), PortBinding(80, 8080, "eth0")),
            ([80, 8080, "eth0", True], PortBinding(80, 8080, "eth0", True)),
            ({"exposed_port": 80, "host_port": 8080}, PortBinding(80, 8080)),
            (
                {"exposed_port": 80, "host_port": 8080, "interface": "lo", "ipv6": True},
                PortBinding(80, 8080, "lo", True),
            ),
        ],
    )
    def test_element(self, element, expected):
        result = PortBindingList([element])
        assert result == [expected]
        assert type(result[0]) is PortBinding

    def test_whole_dict_exposes(self):
        assert PortBindingList({80: 80, 443: 443}) == [PortBinding(80, 80), PortBinding(443, 443)]

    def test_whole_dict_with_specs(self):
        result = PortBindingList({80: (8080, "eth0"), 443: {"host_port": 8443, "ipv6": True}, 22: None})
        assert result == [PortBinding(80, 8080, "eth0"), PortBinding(443, 8443, None, True), PortBinding(22)]

    def test_single_int(self):
        assert PortBindingList(80) == [PortBinding(80)]

    @pytest.mark.parametrize(
        "element, detail",
        [
            ((1, 2, 3, 4, 5), r"5 values"),
            ((), r"0 values"),
            ((None,), r"PortBinding.exposed_port must be"),
            (((80,),), r"PortBinding.exposed_port must be"),
            ((80, (8080,)), r"unsupported host port specification of type tuple"),
            ((80, (1, 2, 3, 4)), r"unsupported host port specification of type tuple"),
            ((80, 1.5), r"unsupported host port specification of type float"),
            ((80, {"host_port": 1, "exposed_port": 2}), r"exposed_port given twice"),
            ((80, {"port": 1}), r"unknown key\(s\) 'port'"),
            ({"nam": "x"}, r"unknown key\(s\) 'nam'"),
            ({"host_port": 80}, r"missing exposed_port"),
            (True, r"PortBinding.exposed_port must be"),
            ("", r"PortBinding.exposed_port must be"),
            (1.5, r"unsupported type float"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid port binding .*\({detail}.*: expected a port, \(port,\)"
        ):
            PortBindingList([element])

    def test_example_message(self):
        with pytest.raises(ValueError) as info:
            PortBindingList([(1, 2, 3, 4, 5)])
        assert str(info.value).startswith(
            "Invalid port binding (1, 2, 3, 4, 5) (5 values): expected a port, (port,), (port, host_port), "
            "(port, {options}), (port, (host_port, interface[, ipv6])), "
            "(port, host_port, interface[, ipv6]), "
            "a dict with exposed_port/host_port/interface/ipv6 keys or a PortBinding"
        )


class TestExecCommandList:
    @pytest.mark.parametrize(
        "element, expected",
        [
            (ExecCommand("ls", "root"), ExecCommand("ls", "root")),
            ("ls -l", ExecCommand("ls -l")),
            (("ls",), ExecCommand("ls")),
            (("ls", "root"), ExecCommand("ls", "root")),
            (("ls", "root", "initial"), ExecCommand("ls", "root", ExecPolicy.INITIAL)),
            ((["ls", "-l"], None, ExecPolicy.INITIAL), ExecCommand(["ls", "-l"], None, ExecPolicy.INITIAL)),
            ([["ls", "-l"]], ExecCommand(["ls", "-l"])),
            ({"cmd": "ls", "policy": "initial"}, ExecCommand("ls", None, ExecPolicy.INITIAL)),
        ],
    )
    def test_element(self, element, expected):
        result = ExecCommandList([element])
        assert result == [expected]
        assert type(result[0]) is ExecCommand

    def test_list_element_is_positional(self):
        # A list element spreads into (cmd, user, policy); the exec form needs a nested list.
        assert ExecCommandList([["ls", "root"]]) == [ExecCommand("ls", "root")]

    def test_whole_dict_maps_command_to_user(self):
        assert ExecCommandList({"ls": "root", "pwd": None}) == [ExecCommand("ls", "root"), ExecCommand("pwd")]

    @pytest.mark.parametrize(
        "element, detail",
        [
            (("a", "b", "restart", "x"), r"4 values given"),
            ((), r"missing cmd"),
            (("ls", "root", "always"), r"ExecCommand.policy must be"),
            ({"command": "ls"}, r"unknown key\(s\) 'command'"),
            (5, r"unsupported type int"),
            ({"cmd": {"a": 1}}, r"ExecCommand.cmd must be"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid exec command .*\({detail}.*: expected a command string"
        ):
            ExecCommandList([element])


class TestNetworkEndpointList:
    @pytest.mark.parametrize(
        "element, expected",
        [
            (NetworkEndpoint("n", "a"), NetworkEndpoint("n", "a")),
            ("n", NetworkEndpoint("n")),
            (
                ("n", {"aliases": "a", "ipv4_address": "10.0.0.2"}),
                NetworkEndpoint("n", ["a"], None, "10.0.0.2"),
            ),
            (("n",), NetworkEndpoint("n")),
            (("n", "a"), NetworkEndpoint("n", ["a"])),
            (("n", ["a", "b"], "c"), NetworkEndpoint("n", ["a", "b"], [("c", None)])),
            (
                ("n", None, None, "10.0.0.2", "fe80::2", ["169.254.1.1"]),
                NetworkEndpoint("n", None, None, "10.0.0.2", "fe80::2", "169.254.1.1"),
            ),
            ({"network_name": "n"}, NetworkEndpoint("n")),
            ({"n": None}, NetworkEndpoint("n")),
            ({"n": ""}, NetworkEndpoint("n")),
            ({"n": []}, NetworkEndpoint("n")),
            ({"n": "a"}, NetworkEndpoint("n", "a")),
            ({"n": {"aliases": ["a"], "links": "c"}}, NetworkEndpoint("n", ["a"], ["c"])),
            ({"n": ("a",)}, NetworkEndpoint("n", "a")),
            ({"n": ["a", None, "10.0.0.2"]}, NetworkEndpoint("n", "a", None, "10.0.0.2")),
            (
                {"n": ("a", "c", "1.2.3.4", "::1", "169.254.1.1")},
                NetworkEndpoint("n", "a", "c", "1.2.3.4", "::1", "169.254.1.1"),
            ),
            ({"network_name": "n", "aliases": "a"}, NetworkEndpoint("n", "a")),
        ],
    )
    def test_element(self, element, expected):
        result = NetworkEndpointList([element])
        assert result == [expected]
        assert type(result[0]) is NetworkEndpoint

    def test_whole_dict_value_is_alias_list(self):
        # Caveat: in a whole dict each item is a (name, value) pair, so a tuple value is the alias list ...
        result = NetworkEndpointList({"e1": None, "e2": "a", "e3": ("a", "b"), "e4": {"links": ["c"]}})
        assert result == [
            NetworkEndpoint("e1"),
            NetworkEndpoint("e2", ["a"]),
            NetworkEndpoint("e3", ["a", "b"]),
            NetworkEndpoint("e4", None, [("c", None)]),
        ]

    def test_whole_dict_caveat_example(self):
        # ... which makes the spec's verified example an invalid alias list (None is no alias) ...
        with pytest.raises(ValueError, match=r"each item of NetworkEndpoint.aliases must be .*; got None"):
            NetworkEndpointList({"e3": ("a", None, "0.0.0.0")})
        # ... while wrapped in a list the tuple is spread positionally.
        assert NetworkEndpointList([{"e3": ("a", None, "0.0.0.0")}]) == [
            NetworkEndpoint("e3", ["a"], None, "0.0.0.0")
        ]

    @pytest.mark.parametrize(
        "element, detail",
        [
            ((), r"missing network_name"),
            (("n", 1, 2, 3, 4, 5, 6), r"7 values given"),
            ({"n": ("a", "c", "1.2.3.4", "::1", "x", "y")}, r"7 values given"),
            ({"n": 5}, r"unsupported type int"),
            ({"n": {"alias": "a"}}, r"unknown key\(s\) 'alias'"),
            ({5: "a"}, r"NetworkEndpoint.network_name must be"),
            ({"network_name": {"x": 1}}, r"NetworkEndpoint.network_name must be"),
            ({"network_name": "n", "aliases": {"x": 1}}, r"NetworkEndpoint.aliases must be"),
            ({}, r"missing network_name"),
            (5, r"unsupported type int"),
            (("n", None, 5), r"Invalid container link list 5"),
        ],
    )
    def test_rejected(self, element, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid network endpoint .*\({detail}.*: expected a network name"
        ):
            NetworkEndpointList([element])
