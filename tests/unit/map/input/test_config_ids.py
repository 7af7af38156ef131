"""InputConfigIdList: default map and instances, and every accepted id form."""

from __future__ import annotations

import pytest

from dockermap.map.input import InputConfigId, InputConfigIdList, ItemType, MapConfigId

CONTAINER = ItemType.CONTAINER


def ids(value, map_name="dm", instances=("d1", "d2")):
    return InputConfigIdList(value, map_name=map_name, instances=instances)


class TestDefaults:
    @pytest.mark.parametrize(
        "instances, expected",
        [
            (None, None),
            ("", None),
            ([], None),
            ((), None),
            ("i", ("i",)),
            (["a", "b"], ("a", "b")),
            (("a",), ("a",)),
        ],
    )
    def test_default_instances(self, instances, expected):
        assert InputConfigIdList(instances=instances).instances == expected
        assert InputConfigIdList("c", instances=instances) == [(CONTAINER, None, "c", expected)]

    @pytest.mark.parametrize("instances", [5, {"a": 1}, [1]])
    def test_bad_default_instances(self, instances):
        with pytest.raises(ValueError, match=r"default instances must be None, an instance name"):
            InputConfigIdList("c", instances=instances)

    def test_bad_default_map(self):
        with pytest.raises(ValueError, match=r"Invalid default map name 5: expected None or a map name"):
            InputConfigIdList("c", map_name=5)

    def test_empty(self):
        assert InputConfigIdList() == []
        assert InputConfigIdList(None) == []


class TestElements:
    @pytest.mark.parametrize(
        "value, expected",
        [
            ("map.config", (CONTAINER, "map", "config", ("d1", "d2"))),
            ("map.config.instance", (CONTAINER, "map", "config", ("instance",))),
            ("map.config.", (CONTAINER, "map", "config", ("d1", "d2"))),
            ("config", (CONTAINER, "dm", "config", ("d1", "d2"))),
            (("config",), (CONTAINER, "dm", "config", ("d1", "d2"))),
            (("map", "config"), (CONTAINER, "map", "config", ("d1", "d2"))),
            ((None, "config"), (CONTAINER, "dm", "config", ("d1", "d2"))),
            (("map", "config", None), (CONTAINER, "map", "config", None)),
            (("map", "config", ""), (CONTAINER, "map", "config", None)),
            (("map", "config", []), (CONTAINER, "map", "config", None)),
            (("map", "config", ("a", "b")), (CONTAINER, "map", "config", ("a", "b"))),
            (("map", "config", ["a"]), (CONTAINER, "map", "config", ("a",))),
            (("map", "config", "a"), (CONTAINER, "map", "config", ("a",))),
            ((None, "config", "a"), (CONTAINER, "dm", "config", ("a",))),
            ({"config_name": "c"}, (CONTAINER, "dm", "c", ("d1", "d2"))),
            ({"config_type": "volume", "config_name": "v"}, (ItemType.VOLUME, "dm", "v", ("d1", "d2"))),
            (
                {
                    "config_type": ItemType.NETWORK,
                    "map_name": "m",
                    "config_name": "n",
                    "instance_names": None,
                },
                (ItemType.NETWORK, "m", "n", None),
            ),
            ({"config_name": "c", "instance_names": "i"}, (CONTAINER, "dm", "c", ("i",))),
            (MapConfigId(CONTAINER, "m", "c", "i"), (CONTAINER, "m", "c", ("i",))),
            (MapConfigId(ItemType.VOLUME, "m", "c"), (ItemType.VOLUME, "m", "c", ("d1", "d2"))),
            (MapConfigId(CONTAINER, "m", "c", ("a", "b")), (CONTAINER, "m", "c", ("a", "b"))),
            (InputConfigId(ItemType.IMAGE, "m", "c", None), (ItemType.IMAGE, "m", "c", None)),
        ],
    )
    def test_element(self, value, expected):
        result = ids([value])
        assert result == [expected]
        assert type(result[0]) is InputConfigId

    def test_no_defaults(self):
        assert InputConfigIdList(["config", "m.c"]) == [
            (CONTAINER, None, "config", None),
            (CONTAINER, "m", "c", None),
        ]

    def test_single_map_config_id_is_one_element(self):
        assert ids(MapConfigId(CONTAINER, "m", "c", "i")) == [(CONTAINER, "m", "c", ("i",))]

    def test_single_string(self):
        assert ids("m.c.i") == [(CONTAINER, "m", "c", ("i",))]

    def test_single_id_dict_is_one_element(self):
        assert ids({"config_type": "network", "config_name": "n"}) == [
            (ItemType.NETWORK, "dm", "n", ("d1", "d2"))
        ]

    def test_other_dict_maps_map_to_config(self):
        assert ids({"m1": "c1", "m2": "c2"}) == [
            (CONTAINER, "m1", "c1", ("d1", "d2")),
            (CONTAINER, "m2", "c2", ("d1", "d2")),
        ]

    def test_get_type_item_overrides(self):
        id_list = ids([])
        assert id_list.get_type_item("c") == (CONTAINER, "dm", "c", ("d1", "d2"))
        assert id_list.get_type_item("c", map_name="o", instances="x") == (CONTAINER, "o", "c", ("x",))

    def test_append_uses_defaults(self):
        id_list = ids([])
        id_list.append("c")
        assert id_list == [(CONTAINER, "dm", "c", ("d1", "d2"))]

    @pytest.mark.parametrize(
        "value, detail",
        [
            ("a.b.c.d", r"more than three dot-separated parts"),
            (".config", r"empty map name"),
            ("map.", r"InputConfigId.config_name must be"),
            ("", r"InputConfigId.config_name must be"),
            ((), r"0 values"),
            (("m", "c", "i", "x"), r"4 values"),
            (("m", "c", 5), r"InputConfigId.instance_names must be"),
            (("m", "c", {"i": 1}), r"InputConfigId.instance_names must be"),
            ((5, "c"), r"InputConfigId.map_name must be"),
            (("m", {"c": 1}), r"InputConfigId.config_name must be"),
            ({"config_type": "thing", "config_name": "c"}, r"InputConfigId.config_type must be an ItemType"),
            ({"config_nam": "c"}, r"unknown key\(s\) 'config_nam'"),
            ({"map_name": "m"}, r"missing config_name"),
            (5, r"unsupported type int"),
            (None, r"unsupported type NoneType"),
        ],
    )
    def test_rejected(self, value, detail):
        with pytest.raises(
            ValueError, match=rf"^Invalid configuration id .*\({detail}.*: expected 'config', "
        ):
            ids([value])
