"""Planning of orphans: labelled objects of the call's maps that the maps no longer configure."""

from __future__ import annotations

import pytest

from dockermap.map.input import ItemType
from dockermap.map.labels import item_labels
from dockermap.map.plan import PlanOptions, plan
from dockermap.map.plan.orphans import Configured
from tests.unit.map.plan.records import (
    CLIENT,
    container,
    desired_map,
    engine,
    found,
    found_volume,
    key,
    volume,
)

WEB = container("web")
CONFIGURED = Configured(frozenset({"m"}), frozenset({("m", "web", "")}), frozenset())


def observed(status: str = "running"):
    gone = found(container("app", instance="c"), status=status, mounts={"/data": "m.data"})
    data = found_volume(
        volume("data", owner="app"), labels=item_labels(ItemType.VOLUME, "m", "app", "data", CLIENT)
    )
    other_map = found(container("x", map_name="other"))
    return {CLIENT: engine(found(WEB), gone, data, other_map)}


def run(action: str, status: str = "running", **options):
    return plan(
        action, [key(WEB)], desired_map(WEB), observed(status), PlanOptions(**options), None, CONFIGURED
    )


def test_orphans_are_reported_and_nothing_is_done_by_default():
    result = run("update")
    assert list(result) == []
    assert [(o.kind, o.name) for o in result.orphans] == [
        (ItemType.CONTAINER, "m.app.c"),
        (ItemType.VOLUME, "m.data"),
    ]
    assert str(result).splitlines()[0] == (
        "orphan container m.app.c: instance 'c' of m.app is no longer configured "
        "(remove_orphans=True removes it)"
    )


@pytest.mark.parametrize("action", ["update", "startup", "shutdown"])
def test_remove_orphans_stops_and_removes_them_first_volumes_only_with_remove_attached(action):
    result = run(action, remove_orphans=True)
    assert [(a.kind, a.name, a.args) for a in result][:2] == [
        ("stop", "m.app.c", {}),
        ("remove", "m.app.c", {}),
    ]
    assert [o.name for o in result.orphans] == ["m.data"]
    result = run(action, remove_orphans=True, remove_attached=True)
    assert [(a.kind, a.name, a.args) for a in result][:3] == [
        ("stop", "m.app.c", {}),
        ("remove", "m.app.c", {"v": True}),
        ("remove", "m.data", {}),
    ]
    assert result.orphans == []


def test_remove_leaves_a_running_orphan_and_its_volume():
    result = run("remove", remove_orphans=True, remove_attached=True)
    assert list(result) == []
    assert [o.name for o in result.orphans] == ["m.app.c", "m.data"]
    assert [a.kind for a in run("remove", "exited", remove_orphans=True)] == ["remove"]


def test_other_actions_and_plans_without_configured_ignore_orphans():
    assert run("start").orphans == []
    assert (
        plan("update", [key(WEB)], desired_map(WEB), observed(), PlanOptions(remove_orphans=True)).orphans
        == []
    )
