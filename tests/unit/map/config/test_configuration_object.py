"""ConfigurationProperty defaults and the generic ConfigurationObject behaviour."""

from __future__ import annotations

import pytest

from dockermap.map.config import CP, ConfigurationObject, ConfigurationProperty
from dockermap.map.config.container import ContainerConfiguration
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import NotSet, SharedHostVolumesList, SharedVolume, get_list
from dockermap.utils import merge_list


class Sample(ConfigurationObject):
    name = CP()
    flag = CP(default=False, input_func=bool, merge_func=False)
    items = CP(list)
    volumes = CP(SharedHostVolumesList)
    options = CP(dict)


def test_cp_derived_defaults():
    assert CP() == ConfigurationProperty(None, NotSet, None, None)
    assert CP(list) == (list, list, get_list, merge_list)
    assert CP(SharedHostVolumesList) == (
        SharedHostVolumesList,
        SharedHostVolumesList,
        SharedHostVolumesList,
        merge_list,
    )
    assert CP(dict).default is dict
    assert CP(int).default is NotSet
    assert CP(str, default="x").default == "x"


def test_properties_in_declaration_order_and_fresh_defaults():
    assert list(Sample.CONFIG_PROPERTIES) == ["name", "flag", "items", "volumes", "options"]
    first, second = Sample(), Sample()
    first.items.append("a")
    assert second.items == []
    assert first.name is NotSet and first.flag is False


def test_assignment_is_raw_until_clean():
    obj = Sample(volumes="alias", flag=1)
    assert obj.volumes == "alias"
    assert not obj.is_clean
    obj.clean()
    assert obj.is_clean
    assert obj.volumes == [SharedVolume("alias", False)]
    assert obj.flag is True


def test_clean_reports_every_malformed_value_and_keeps_it_pending():
    config = ContainerConfiguration(binds=[("a", "b", "c", "d")], links=5, image="nginx")
    with pytest.raises(MapIntegrityError) as info:
        config.clean()
    assert [problem.location for problem in info.value.problems] == ["binds", "links"]
    assert "Invalid" in info.value.problems[0].message
    assert not config.is_clean
    assert config.image == "nginx"


def test_unknown_key_suggests_closest_and_changes_nothing():
    config = ContainerConfiguration(image="a")
    with pytest.raises(MapIntegrityError) as info:
        config.update_from_dict({"imgae": "b", "user": "x"})
    assert [str(problem) for problem in info.value.problems] == ["imgae: unknown key; did you mean 'image'?"]
    assert config.user is NotSet


def test_unknown_key_without_close_match_lists_valid_keys():
    with pytest.raises(MapIntegrityError) as info:
        Sample({"zzzzz": 1})
    assert info.value.problems[0].message == "unknown key; valid keys are name, flag, items, volumes, options"


def test_update_rejects_other_types():
    with pytest.raises(ValueError, match="expected a dict or a Sample"):
        Sample().update([1, 2])
    with pytest.raises(ValueError, match="expected a dict or a Sample"):
        Sample().merge("x")


def test_update_from_obj_copies_unset_values_and_copy_detaches_lists():
    source = Sample(items=["a"], options={"k": 1})
    target = Sample(name="kept?")
    target.update_from_obj(source, copy=True)
    assert target.name is NotSet
    assert target.items == ["a"] and target.items is not source.items
    assert target.options == {"k": 1} and target.options is not source.options
    shared = Sample()
    shared.update_from_obj(source)
    assert shared.items is source.items


def test_copy_is_equal_and_independent():
    original = Sample(items=["a"], volumes=["v"])
    duplicate = original.copy()
    assert duplicate == original
    duplicate.items.append("b")
    assert original.items == ["a"]
    assert isinstance(duplicate.volumes, SharedHostVolumesList)


def test_merge_from_dict_converts_and_skips_defaults():
    obj = Sample(name="a", items=["x"], flag=True)
    obj.merge_from_dict({"name": "b", "items": ["y", "x"], "flag": False, "volumes": "v"})
    assert obj.name == "b"
    assert obj.items == ["x", "y"]
    assert obj.flag is True
    assert obj.volumes == [SharedVolume("v")]


def test_merge_lists_only_skips_scalars_and_dicts():
    obj = Sample(name="a", options={"a": 1})
    obj.merge({"name": "b", "items": "x", "options": {"b": 2}}, lists_only=True)
    assert (obj.name, obj.items, obj.options) == ("a", ["x"], {"a": 1})


def test_merge_from_dict_with_bad_value_changes_nothing():
    obj = Sample(name="a")
    with pytest.raises(MapIntegrityError) as info:
        obj.merge_from_dict({"name": "b", "volumes": 5})
    assert info.value.problems[0].location == "volumes"
    assert obj.name == "a"


def test_merge_into_empty_list_sets_a_copy():
    source = Sample(items=["a"])
    target = Sample()
    target.merge(source)
    target.items.append("b")
    assert source.items == ["a"]


def test_as_dict_omits_unset_and_empty_values():
    obj = Sample(volumes=[("a", "ro")], options={"o": 1})
    assert obj.as_dict() == {
        "flag": False,
        "volumes": [{"name": "a", "readonly": True}],
        "options": {"o": 1},
    }
    rebuilt = Sample(obj.as_dict())
    rebuilt.clean()
    assert rebuilt == obj


def test_equality_and_repr():
    assert Sample(name="a") != Sample(name="b")
    assert Sample() != ContainerConfiguration()
    assert "(Modified) name='a'" in repr(Sample(name="a"))
