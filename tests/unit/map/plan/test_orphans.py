"""Planning of orphans: labelled objects of the call's maps that the maps no longer configure."""

from __future__ import annotations

import pytest

from dockermap.map.input import ItemType
from dockermap.map.labels import item_labels
from dockermap.map.plan import PlanOptions, plan
from dockermap.map.plan.graph import action_dependencies
from dockermap.map.plan.orphans import Configured
from dockermap.records import replace
from tests.unit.map.plan.records import (
    CLIENT,
    changed,
    container,
    desired_map,
    engine,
    found,
    found_volume,
    key,
    volume,
)

WEB = container("web")
CONFIGURED = Configured(frozenset({"m"}), {("m", "web", ""): "m.web"}, frozenset())


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


RENAMED = changed(WEB, name="www")
RENAMED_CONFIGURED = replace(CONFIGURED, containers={("m", "web", ""): "www"})


def plan_renamed(action: str, desired=None, status: str = "running", **options):
    desired = desired_map(RENAMED) if desired is None else desired
    return plan(
        action,
        list(desired),
        desired,
        {CLIENT: engine(found(WEB, status=status))},
        PlanOptions(**options),
        None,
        RENAMED_CONFIGURED,
    )


@pytest.mark.parametrize("action", ["update", "startup"])
def test_a_container_under_its_old_name_is_replaced_by_the_one_under_its_new_name(action):
    result = plan_renamed(action)
    assert [(a.kind, a.name) for a in result] == [
        ("stop", "m.web"),
        ("remove", "m.web"),
        ("create", "www"),
        ("start", "www"),
    ]
    assert result[0].cause == result[1].cause == "container configuration m.web is named 'www' now"
    assert result.orphans == []
    assert [sorted(waits) for waits in action_dependencies(list(result), desired_map(RENAMED))] == [
        [],
        [0],
        [1],
        [2],
    ]


def test_shutdown_removes_the_container_under_its_old_name_remove_only_a_stopped_one():
    assert [(a.kind, a.name) for a in plan_renamed("shutdown")] == [("stop", "m.web"), ("remove", "m.web")]
    assert [(a.kind, a.name) for a in plan_renamed("remove", status="exited")] == [("remove", "m.web")]
    assert [o.name for o in plan_renamed("remove").orphans] == ["m.web"]


def test_a_renamed_container_outside_the_plan_is_an_orphan():
    other = container("db")
    result = plan_renamed("update", desired_map(other))
    assert [o.name for o in result.orphans] == ["m.web"]
    assert str(result.orphans[0]) == (
        "orphan container m.web: container configuration m.web is named 'www' now "
        "(remove_orphans=True removes it)"
    )
