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


def test_a_persistent_container_under_its_old_name_is_kept_without_remove_persistent():
    persistent = desired_map(changed(RENAMED, persistent=True))
    kept = plan_renamed("shutdown", persistent, remove_persistent=False)
    assert [(a.kind, a.name, a.cause) for a in kept] == [
        ("stop", "m.web", "container configuration m.web is named 'www' now; persistent container kept")
    ]
    assert kept.orphans == []
    assert list(plan_renamed("remove", persistent, status="exited", remove_persistent=False)) == []
    assert [(a.kind, a.name) for a in plan_renamed("shutdown", persistent)] == [
        ("stop", "m.web"),
        ("remove", "m.web"),
    ]
    replaced = plan_renamed("update", persistent, remove_persistent=False)
    assert [(a.kind, a.name) for a in replaced][:2] == [("stop", "m.web"), ("remove", "m.web")]


@pytest.mark.parametrize("action", ["update", "startup"])
def test_the_container_under_the_new_name_takes_over_the_shared_volumes(action):
    shares = {"create_kwargs": {"name": "www", "image": "busybox:latest", "volumes": ["/cache"]}}
    desired = desired_map(changed(RENAMED, **shares))
    old = found(changed(WEB, **shares), mounts={"/cache": "a1b2"})
    result = plan(
        action,
        list(desired),
        desired,
        {CLIENT: engine(old)},
        PlanOptions(remove_attached=True),
        None,
        RENAMED_CONFIGURED,
    )
    assert [(a.kind, a.name, a.args) for a in result] == [
        ("stop", "m.web", {}),
        ("remove", "m.web", {}),  # its anonymous volume stays, for the new container
        ("create", "www", {"keep_volumes": {"/cache": "a1b2"}}),
        ("start", "www", {}),
    ]
    shutdown = plan_renamed("shutdown", desired, remove_attached=True)
    assert [(a.kind, a.args) for a in shutdown] == [("stop", {}), ("remove", {"v": True})]


def test_remove_attached_also_removes_the_volumes_a_container_got_from_the_one_it_replaced():
    anonymous, named = "ab" * 32, "m.cache"
    kwargs = {"name": "m.web", "image": "busybox:latest", "volumes": ["/cache", "/named"]}
    web = changed(WEB, create_kwargs=kwargs)
    desired = desired_map(web)
    observed = {CLIENT: engine(found(web, mounts={"/cache": anonymous, "/named": named}))}
    result = plan(
        "shutdown", list(desired), desired, observed, PlanOptions(remove_attached=True), None, CONFIGURED
    )
    assert [(a.kind, a.args) for a in result] == [
        ("stop", {}),
        ("remove", {"v": True, "volumes": [anonymous]}),
    ]
    result = plan("shutdown", list(desired), desired, observed, PlanOptions(), None, CONFIGURED)
    assert [(a.kind, a.args) for a in result] == [("stop", {}), ("remove", {})]

    renamed = desired_map(changed(RENAMED, create_kwargs={**kwargs, "name": "www"}))
    result = plan(
        "shutdown",
        list(renamed),
        renamed,
        observed,
        PlanOptions(remove_attached=True),
        None,
        RENAMED_CONFIGURED,
    )
    assert [(a.kind, a.name, a.args) for a in result] == [
        ("stop", "m.web", {}),
        ("remove", "m.web", {"v": True, "volumes": [anonymous]}),
    ]


def test_a_renamed_container_outside_the_plan_is_an_orphan():
    other = container("db")
    result = plan_renamed("update", desired_map(other))
    assert [o.name for o in result.orphans] == ["m.web"]
    assert str(result.orphans[0]) == (
        "orphan container m.web: container configuration m.web is named 'www' now "
        "(remove_orphans=True removes it)"
    )


@pytest.mark.parametrize(("action", "kind"), [("stop", "stop"), ("signal", "kill")])
def test_stop_and_signal_reach_the_running_container_under_its_old_name(action, kind):
    result = plan_renamed(action, call_kwargs={"signal": "SIGHUP"})
    assert [(a.kind, a.name, a.cause) for a in result] == [
        (kind, "m.web", f"container configuration m.web is named 'www' now; {action} requested")
    ]
    assert result[0].args == {"signal": "SIGHUP"}
    assert list(plan_renamed(action, status="exited")) == []
    assert list(plan_renamed(action, desired_map(container("db")))) == []  # not a configuration of the plan
