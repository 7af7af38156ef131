"""Ownership at plan time: objects under wanted names that dockermap did not create for the item."""

from __future__ import annotations

import pytest

from dockermap.map.exceptions import ForeignObjectError
from dockermap.map.input import ItemType
from dockermap.map.labels import LABEL_FINGERPRINT, item_labels
from dockermap.map.plan import PlanOptions, plan
from tests.unit.map.plan_records import (
    container,
    desired_map,
    engine,
    found,
    found_network,
    found_volume,
    image,
    key,
    network,
    volume,
)

ACTIONS = [
    "create",
    "start",
    "restart",
    "stop",
    "remove",
    "startup",
    "shutdown",
    "update",
    "signal",
    "script",
]


def run(action, records, observed, extra=(), **options):
    ordered = [key(record) for record in records]
    return plan(
        action,
        ordered,
        desired_map(*records, *extra),
        {"__default__": observed},
        PlanOptions(**options),
        ordered,
    )


def other_map_labels(kind: ItemType) -> dict:
    return item_labels(kind, "other", "app", "", "__default__")


@pytest.mark.parametrize("action", ACTIONS)
def test_unlabelled_container_is_refused_by_every_action(action):
    web = container()
    with pytest.raises(ForeignObjectError) as raised:
        run(action, [image(), web], engine(found(web, labels={})))
    assert raised.value.objects[0].name == "m.web"
    assert str(raised.value).splitlines()[1:] == [
        "  - container m.web has no dockermap labels (made by hand or by the classic library)",
        "Unlabelled objects can be adopted with adopt_unlabelled=True (see the running guide); remove or "
        "rename the others.",
    ]


@pytest.mark.parametrize("adopt", [True, ["m"]])
def test_unlabelled_objects_are_adopted_on_request(adopt):
    web, data, net = container(mounts={"/data": "m.data"}), volume("data"), network("net")
    observed = engine(found(web, labels={}), found_volume(data, labels={}), found_network(net, labels={}))
    assert list(run("startup", [image(), net, data, web], observed, adopt_unlabelled=adopt)) == []
    with pytest.raises(ForeignObjectError):
        run("startup", [image(), net, data, web], observed, adopt_unlabelled=["other"])


def test_objects_of_another_owner_are_refused_even_when_adopting():
    web, data = container(), volume("data")
    owner = {**other_map_labels(ItemType.CONTAINER), LABEL_FINGERPRINT: web.fingerprint}
    observed = engine(found(web, labels=owner), found_volume(data, labels={LABEL_FINGERPRINT: "x"}))
    with pytest.raises(ForeignObjectError) as raised:
        run("update", [data, web], observed, adopt_unlabelled=True)
    assert [str(found_object) for found_object in raised.value.objects] == [
        "volume m.data carries dockermap labels but no owner",
        "container m.web belongs to map 'other', config 'app', instance '', client '__default__', "
        "kind 'container'",
    ]
    assert "adopt_unlabelled" not in str(raised.value)


def test_same_item_on_another_client_is_foreign():
    web = container()
    labels = item_labels(ItemType.CONTAINER, "m", "web", None, "two")
    with pytest.raises(ForeignObjectError, match="client 'two'"):
        run("start", [web], engine(found(web, labels=labels)))


def test_shutdown_keeps_foreign_volumes_and_networks_and_says_so():
    web, data, net = container(mounts={"/data": "m.data"}), volume("data"), network("net")
    observed = engine(
        found(web, status="exited"),
        found_volume(data, labels={}),
        found_network(net, labels=other_map_labels(ItemType.NETWORK)),
    )
    result = run("shutdown", [web, net], observed, extra=[data], remove_attached=True, adopt_unlabelled=True)
    assert [str(action) for action in result] == [
        "remove container m.web: shutdown requested",
        "skip network m.net: kept, not removed: it belongs to map 'other', config 'app', instance '', "
        "client '__default__', kind 'network'",
        "skip volume m.data: kept, not removed: it has no dockermap labels (made by hand or by the classic "
        "library)",
    ]


def test_remove_refuses_a_foreign_container():
    web = container()
    with pytest.raises(ForeignObjectError):
        run("remove", [web], engine(found(web, status="exited", labels=other_map_labels(ItemType.CONTAINER))))


def test_adopt_unlabelled_values():
    assert PlanOptions(adopt_unlabelled=None).adopts("m") is False
    assert PlanOptions(adopt_unlabelled=("m",)).adopts("m") is True
    with pytest.raises(ValueError, match="adopt_unlabelled: 'yes' is not True, False or a list of map names"):
        PlanOptions(adopt_unlabelled="yes")
