"""The plan's records: an action's kind is an :class:`ActionKind` that reads and prints as its plain name."""

import json

import pytest

from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action, ActionKind

CONFIG_ID = MapConfigId(ItemType.CONTAINER, "main", "web")


def test_a_kind_given_by_name_is_stored_as_the_enum():
    action = Action(
        "__default__", "create", ItemType.CONTAINER, CONFIG_ID, "main.web", "container does not exist"
    )
    assert action.kind is ActionKind.CREATE
    assert action.kind == "create"
    assert action == Action(
        "__default__",
        ActionKind.CREATE,
        ItemType.CONTAINER,
        CONFIG_ID,
        "main.web",
        "container does not exist",
    )


def test_a_kind_prints_and_serialises_as_its_name():
    action = Action("web1", ActionKind.REMOVE_COPY, ItemType.VOLUME, CONFIG_ID, "main.data", "dropped")
    assert str(action) == "remove_copy volume main.data on web1: dropped"
    assert f"{action.kind}" == str(action.kind) == "remove_copy"
    assert json.dumps({"kind": action.kind}) == '{"kind": "remove_copy"}'


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="'wait' is not a valid ActionKind"):
        Action("__default__", "wait", ItemType.CONTAINER, CONFIG_ID, "main.web", "no plan waits")
