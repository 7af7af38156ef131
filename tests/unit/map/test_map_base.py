"""Attribute dicts, flags and enums of ``dockermap.map``."""

from __future__ import annotations

import copy
import pickle

import pytest

from dockermap.map import DefaultDictMap, DictMap, Flags, FlagsMeta, PropertyDictMeta, SimpleEnum


class Settings(DictMap):
    """A DictMap with one property stored in ``_owner``."""

    @property
    def owner(self):
        return self._owner

    @owner.setter
    def owner(self, value):
        self._owner = value


class MoreSettings(Settings):
    @property
    def level(self):
        return self._level

    @level.setter
    def level(self, value):
        self._level = value


class Groups(DefaultDictMap):
    @property
    def owner(self):
        return self._owner

    @owner.setter
    def owner(self, value):
        self._owner = value


class Status(Flags):
    STARTED = 1
    PAUSED = 1 << 1
    BROKEN = 1 << 2
    NEEDS_FIX = PAUSED | BROKEN


class MoreStatus(Status):
    EXTRA = 1 << 4


class Color(SimpleEnum):
    RED = "red"
    BLUE = "blue"


# PropertyDictMeta


def test_metaclass_collects_properties_including_bases():
    assert type(MoreSettings) is PropertyDictMeta
    assert Settings.external_properties == {"owner"}
    assert MoreSettings.external_properties == {"owner", "level"}
    assert MoreSettings.internal_properties == {"_owner", "_level"}
    assert MoreSettings.core_property_set == {"owner", "level", "_owner", "_level"}
    assert DictMap.external_properties == frozenset()


# AttributeMixin / DictMap


def test_keys_are_attributes():
    settings = DictMap(a=1)
    assert settings.a == 1
    settings.b = 2
    assert settings["b"] == 2
    del settings.a
    assert dict(settings.items()) == {"b": 2}


def test_missing_attribute_raises_attribute_error():
    settings = DictMap()
    with pytest.raises(AttributeError):
        getattr(settings, "missing")  # noqa: B009 - attribute access is what is tested
    with pytest.raises(AttributeError):
        del settings.missing
    assert not hasattr(settings, "missing")


def test_property_kwargs_become_attributes_not_keys():
    settings = Settings({"x": 1}, owner="me", y=2)
    assert settings.owner == "me"
    assert settings._owner == "me"
    assert dict(settings.items()) == {"x": 1, "y": 2}
    settings.owner = "you"
    assert "owner" not in settings
    assert settings.owner == "you"


def test_iteration_yields_pairs():
    assert list(DictMap([("a", 1), ("b", 2)])) == [("a", 1), ("b", 2)]


def test_truthiness_counts_properties():
    assert not Settings()
    assert Settings(owner="me")
    assert Settings(a=1)
    assert not Settings(owner="")


def test_equality_includes_properties():
    assert Settings(a=1, owner="x") == Settings(a=1, owner="x")
    assert Settings(a=1, owner="x") != Settings(a=1, owner="y")
    assert Settings(a=1) != Settings(a=2)
    assert DictMap(a=1) == {"a": 1}
    assert DictMap(a=1) != [("a", 1)]


def test_update_from_same_class_copies_properties():
    target = Settings(a=1)
    target.update(Settings(b=2, owner="src"))
    assert target.owner == "src"
    assert dict(target.items()) == {"a": 1, "b": 2}


def test_update_from_dict_extracts_property_keys():
    target = Settings()
    source = {"owner": "dict", "c": 3}
    target.update(source, d=4)
    assert target.owner == "dict"
    assert dict(target.items()) == {"c": 3, "d": 4}
    assert source == {"owner": "dict", "c": 3}


def test_update_rejects_other_types():
    with pytest.raises(TypeError):
        DictMap().update([("a", 1)])


def test_repr_lists_properties_and_sorted_items():
    assert repr(Settings({"b": 2, "a": 1}, owner="me")) == "<Settings(owner='me', {'a': 1, 'b': 2})>"
    assert repr(DictMap()) == "<DictMap({})>"


def test_copy_keeps_properties():
    original = Settings(a=[1], owner="me")
    duplicate = original.copy()
    assert type(duplicate) is Settings
    assert duplicate == original
    assert duplicate.a is original.a
    duplicate.owner = "other"
    assert original.owner == "me"


def test_pickle_and_deepcopy_keep_properties():
    original = Settings(a=[1], owner="me")
    for duplicate in (pickle.loads(pickle.dumps(original)), copy.deepcopy(original)):
        assert type(duplicate) is Settings
        assert duplicate == original
        assert duplicate.a is not original.a


# DefaultDictMap


def test_default_dict_map_creates_entries_on_attribute_access():
    groups = Groups(list, owner="me")
    groups.web.append("web1")
    assert dict(groups.items()) == {"web": ["web1"]}
    assert groups.owner == "me"


def test_default_dict_map_special_names_do_not_create_entries():
    groups = Groups(list)
    assert not hasattr(groups, "__deepcopy__")
    assert not hasattr(groups, "_owner")
    assert dict(groups.items()) == {}


def test_default_factory_stays_an_attribute():
    groups = Groups(list)
    groups.default_factory = dict
    assert groups.default_factory is dict
    assert "default_factory" not in groups


@pytest.mark.parametrize(
    "duplicate",
    [
        lambda groups: groups.copy(),
        copy.copy,
        copy.deepcopy,
        lambda groups: pickle.loads(pickle.dumps(groups)),
    ],
)
def test_default_dict_map_copies_keep_factory_and_properties(duplicate):
    groups = Groups(list, owner="me")
    groups.web.append(1)
    result = duplicate(groups)
    assert type(result) is Groups
    assert result.default_factory is list
    assert result.owner == "me"
    assert dict(result.items()) == {"web": [1]}
    result.db.append(2)
    assert "db" not in groups


# Flags


def test_flag_attributes_are_instances():
    assert type(Status) is FlagsMeta
    assert isinstance(Status.STARTED, Status)
    assert isinstance(Status.NONE, Status)
    assert Status.NEEDS_FIX == 6
    assert isinstance(MoreStatus.STARTED, MoreStatus)
    assert MoreStatus.EXTRA == 16


def test_flag_arithmetic():
    combined = Status.STARTED | Status.PAUSED
    assert combined == 3
    assert isinstance(combined, Status)
    assert Status.STARTED + Status.PAUSED == 3
    assert combined ^ Status.PAUSED == Status.STARTED
    assert combined - Status.PAUSED == Status.STARTED
    # Subtraction toggles, so "removing" an unset flag sets it.
    assert Status.STARTED - Status.BROKEN == 5
    assert isinstance(combined - Status.PAUSED, Status)
    assert isinstance(1 | Status.PAUSED, Status)
    assert isinstance(combined & Status.PAUSED, Status)


def test_flag_membership():
    combined = Status.STARTED | Status.BROKEN
    assert Status.STARTED in combined
    assert Status.BROKEN in combined
    assert Status.PAUSED not in combined
    assert Status.NEEDS_FIX in combined  # any common bit
    assert Status.NONE not in combined


def test_flag_repr():
    assert repr(Status.STARTED | Status.BROKEN) == "Status(STARTED, BROKEN)"
    assert repr(Status.PAUSED | Status.BROKEN) == "Status(PAUSED, BROKEN, NEEDS_FIX)"
    assert repr(Status.NONE) == "Status(NONE)"
    assert repr(Status(1 | 8)) == "Status(STARTED, 8)"
    assert repr(MoreStatus.EXTRA | MoreStatus.STARTED) == "MoreStatus(STARTED, EXTRA)"


def test_flags_pickle():
    restored = pickle.loads(pickle.dumps(Status.STARTED | Status.PAUSED))
    assert type(restored) is Status
    assert restored == 3


# SimpleEnum


def test_simple_enum_repr():
    assert repr(Color.RED) == "Color.RED"
    assert Color("blue") is Color.BLUE
