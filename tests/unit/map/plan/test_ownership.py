"""Ownership at plan time: objects under wanted names that dockermap did not create for the item."""

from __future__ import annotations

import pytest

from dockermap.map.exceptions import ForeignObjectError
from dockermap.map.input import ItemType
from dockermap.map.labels import LABEL_FINGERPRINT, item_labels
from dockermap.map.plan import GENERATORS, PlanOptions, plan
from tests.unit.map.plan import records as rec

ACTIONS = sorted(set(GENERATORS) - {"pull_images"})  # every action that acts on engine objects


def run(action, records, observed, extra=(), **options):
    ordered = [rec.key(record) for record in records]
    return plan(
        action,
        ordered,
        rec.desired_map(*records, *extra),
        {"__default__": observed},
        PlanOptions(**options),
        ordered,
    )


def other_map_labels(kind: ItemType) -> dict:
    return item_labels(kind, "other", "app", "", "__default__")


@pytest.mark.parametrize("action", ACTIONS)
def test_unlabelled_container_is_refused_by_every_action(action):
    web = rec.container()
    with pytest.raises(ForeignObjectError) as raised:
        run(action, [rec.image(), web], rec.engine(rec.found(web, labels={})))
    assert raised.value.objects[0].name == "m.web"
    assert str(raised.value).splitlines()[1:] == [
        "  - container m.web has no dockermap labels (made by hand or by the classic library)",
        "Unlabelled objects can be adopted with adopt_unlabelled=True (see the running guide); remove or "
        "rename the others.",
    ]


@pytest.mark.parametrize("adopt", [True, ["m"]])
def test_unlabelled_objects_are_adopted_on_request(adopt):
    web, data, net = rec.container(mounts={"/data": "m.data"}), rec.volume("data"), rec.network("net")
    observed = rec.engine(
        rec.found(web, labels={}), rec.found_volume(data, labels={}), rec.found_network(net, labels={})
    )
    assert list(run("startup", [rec.image(), net, data, web], observed, adopt_unlabelled=adopt)) == []
    with pytest.raises(ForeignObjectError):
        run("startup", [rec.image(), net, data, web], observed, adopt_unlabelled=["other"])


def test_adopted_volume_is_never_recreated():
    data = rec.volume("data", driver_opts={"type": "tmpfs"})
    with pytest.raises(ForeignObjectError) as raised:
        observed = rec.engine(rec.found_volume(data, labels={}))
        run("update", [data], observed, adopt_unlabelled=True, recreate_volumes="discard")
    assert str(raised.value).splitlines()[1:] == [
        "  - volume m.data has no dockermap labels (made by hand or by the classic library); adopted, it is "
        "never removed (asked for: recreate: driver option type is configured but not set on the volume)"
    ]


def test_objects_of_another_owner_are_refused_even_when_adopting():
    web, data = rec.container(), rec.volume("data")
    owner = {**other_map_labels(ItemType.CONTAINER), LABEL_FINGERPRINT: web.fingerprint}
    observed = rec.engine(
        rec.found(web, labels=owner), rec.found_volume(data, labels={LABEL_FINGERPRINT: "x"})
    )
    with pytest.raises(ForeignObjectError) as raised:
        run("update", [data, web], observed, adopt_unlabelled=True)
    assert [str(found_object) for found_object in raised.value.objects] == [
        "volume m.data carries dockermap labels but no owner",
        "container m.web belongs to map 'other', config 'app', instance '', client '__default__', "
        "kind 'container'",
    ]
    assert "adopt_unlabelled" not in str(raised.value)


def test_volume_shared_by_two_configurations_of_the_map_is_ours():
    data, web = rec.volume("data", owner="app"), rec.container(mounts={"/data": "m.data"})
    observed = rec.engine(rec.found(web), rec.found_volume(data))
    assert list(run("startup", [rec.volume("data", owner="web"), web], observed)) == []


def test_same_item_on_another_client_is_foreign():
    web = rec.container()
    labels = item_labels(ItemType.CONTAINER, "m", "web", None, "two")
    with pytest.raises(ForeignObjectError, match="client 'two'"):
        run("start", [web], rec.engine(rec.found(web, labels=labels)))


def test_shutdown_keeps_foreign_volumes_and_networks_and_says_so():
    web, data, net = rec.container(mounts={"/data": "m.data"}), rec.volume("data"), rec.network("net")
    observed = rec.engine(
        rec.found(web, status="exited"),
        rec.found_volume(data, labels={}),
        rec.found_network(net, labels=other_map_labels(ItemType.NETWORK)),
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
    web = rec.container()
    with pytest.raises(ForeignObjectError):
        run(
            "remove",
            [web],
            rec.engine(rec.found(web, status="exited", labels=other_map_labels(ItemType.CONTAINER))),
        )


def test_adopt_unlabelled_values():
    assert PlanOptions(adopt_unlabelled=None).adopts("m") is False
    assert PlanOptions(adopt_unlabelled=("m",)).adopts("m") is True
    with pytest.raises(ValueError, match="adopt_unlabelled: 'yes' is not True, False or a list of map names"):
        PlanOptions(adopt_unlabelled="yes")
