"""Volume rules of the planner: consent to recreate, leftovers of interrupted runs, the helper image."""

from __future__ import annotations

import json

import pytest

from dockermap.map.exceptions import VolumeChangeRefused
from dockermap.map.items import ObservedContainer, ObservedVolume
from dockermap.map.labels import (
    KIND_HELPER,
    KIND_VOLUME_COPY,
    LABEL_HELPER,
    LABEL_KIND,
    LABEL_RUN,
    LABEL_VOLUME,
)
from dockermap.map.plan import PlanOptions, plan
from tests.unit.map.plan.records import (
    container,
    desired_map,
    engine,
    found,
    found_volume,
    image,
    key,
    own_labels,
    volume,
)


def run(action, records, observed, **options):
    ordered = [key(record) for record in records]
    return plan(action, ordered, desired_map(*records), {"__default__": observed}, PlanOptions(**options))


def steps(result):
    return [(action.kind, action.name) for action in result]


def helper(volume_name, purpose):
    labels = {LABEL_KIND: KIND_HELPER, LABEL_VOLUME: volume_name, LABEL_HELPER: purpose}
    name = f"{volume_name}.dockermap-{purpose}"
    return ObservedContainer(
        name, f"id-{name}", "", "exited", 137, labels, {"/volume-tmp": volume_name}, [], {}
    )


def left_copy(volume_name):
    labels = {LABEL_KIND: KIND_VOLUME_COPY, LABEL_VOLUME: volume_name, LABEL_RUN: "r1"}
    return ObservedVolume(f"{volume_name}.dockermap-copy", "local", {}, labels)


def with_leftovers(observed, helpers=(), copies=()):
    observed.helpers.update({h.name: h for h in helpers})
    observed.volume_copies.update({c.name: c for c in copies})
    return observed


CHANGED = volume("data", driver="nfs", driver_opts={"o": "new", "size": "1m"})
WEB = container("web", mounts={"/data": "m.data"})


def changed_engine(*extra):
    return engine(
        found_volume(CHANGED, driver="local", options={"o": "old", "type": "tmpfs"}), found(WEB), *extra
    )


def test_changed_volume_is_refused_naming_every_difference():
    with pytest.raises(VolumeChangeRefused) as caught:
        run("update", [CHANGED, WEB], changed_engine())
    error = caught.value
    assert (error.volume, error.client_name) == ("m.data", "__default__")
    assert error.differences == [
        "volume driver is local, expected nfs",
        "driver option o has a different value",
        "driver option size is configured but not set on the volume",
        "driver option type is set on the volume but no longer configured",
    ]
    assert "recreate_volumes='copy'" in str(error) and "recreate_volumes='discard'" in str(error)
    assert "old" not in str(error) and "new" not in str(error)  # option values may be secrets


def test_removed_driver_options_are_a_change():
    data = volume("data")
    with pytest.raises(VolumeChangeRefused, match="driver option type is set on the volume but no longer"):
        run("update", [data], engine(found_volume(data, options={"type": "tmpfs"})))


def test_discard_recreates_the_volume_empty():
    result = run("update", [CHANGED, WEB], changed_engine(), recreate_volumes="discard")
    assert steps(result) == [
        ("stop", "m.web"),
        ("remove", "m.web"),
        ("remove", "m.data"),
        ("create", "m.data"),
        ("prepare", "m.data"),
        ("create", "m.web"),
        ("start", "m.web"),
    ]
    assert result[3].args == {"through_helper": True}
    assert result[4].args == {"helper_created": True}


def test_copy_keeps_the_data_in_a_temporary_volume_and_copies_it_back():
    result = run("update", [CHANGED, WEB], changed_engine(), recreate_volumes="copy")
    assert steps(result) == [
        ("stop", "m.web"),
        ("remove", "m.web"),
        ("backup", "m.data"),
        ("remove", "m.data"),
        ("create", "m.data"),
        ("restore", "m.data"),
        ("prepare", "m.data"),
        ("create", "m.web"),
        ("start", "m.web"),
    ]
    assert result[2].args == {"copy": "m.data.dockermap-copy"}
    assert "its data is kept in volume m.data.dockermap-copy" in result[2].cause
    assert result[5].args == {"copy": "m.data.dockermap-copy"}


def test_forced_volume_update_is_consent():
    data = volume("data")
    result = run("update", [data], engine(found_volume(data)), force_update=[data.config_id])
    assert steps(result) == [("remove", "m.data"), ("create", "m.data"), ("prepare", "m.data")]


def test_unknown_recreate_volumes_value_is_refused():
    with pytest.raises(ValueError, match="recreate_volumes: 'keep' is not one of"):
        PlanOptions(recreate_volumes="keep")


@pytest.mark.parametrize("action", ["startup", "update"])
def test_incomplete_preparation_is_done_again_after_the_leftover_helper_is_removed(action):
    data = volume("data")
    observed = with_leftovers(engine(found_volume(data)), [helper("m.data", "prepare")])
    result = run(action, [data], observed)
    assert steps(result) == [("clean", "m.data"), ("prepare", "m.data")]
    assert result[0].args == {"containers": ["m.data.dockermap-prepare"]}
    assert result[0].cause == "helper container m.data.dockermap-prepare left by an interrupted run"
    assert result[1].cause == "owner and mode preparation did not complete in an earlier run"
    assert result[1].args == {}


def test_shutdown_removes_leftover_helpers_before_the_volume():
    data = volume("data")
    observed = with_leftovers(engine(found_volume(data)), [helper("m.data", "copy")])
    result = run("shutdown", [data], observed, remove_attached=True)
    assert steps(result) == [("clean", "m.data"), ("remove", "m.data")]


def test_left_copy_of_a_missing_volume_is_restored_into_a_new_one():
    data = volume("data")
    observed = with_leftovers(engine(), copies=[left_copy("m.data")])
    result = run("startup", [data], observed)
    assert steps(result) == [("create", "m.data"), ("restore", "m.data"), ("prepare", "m.data")]
    assert result[1].args == {"copy": "m.data.dockermap-copy"}
    assert "its data is in volume m.data.dockermap-copy, left by an interrupted copy" in result[1].cause


def recreated(desired, **fields):
    """The volume as the run that made the copy of ``left_copy`` created it again."""
    found_record = found_volume(desired, **fields)
    found_record.labels[LABEL_RUN] = "r1"
    return found_record


def test_left_copy_of_a_recreated_volume_is_copied_back():
    data = volume("data")
    observed = with_leftovers(engine(recreated(data)), [helper("m.data", "restore")], [left_copy("m.data")])
    result = run("update", [data], observed)
    assert steps(result) == [("clean", "m.data"), ("restore", "m.data"), ("prepare", "m.data")]
    assert result[1].args == {"copy": "m.data.dockermap-copy"}


def test_left_copy_next_to_the_original_volume_as_configured_is_dropped():
    data = volume("data")
    observed = with_leftovers(engine(found_volume(data)), [helper("m.data", "copy")], [left_copy("m.data")])
    result = run("startup", [data], observed)
    assert steps(result) == [("clean", "m.data"), ("remove_copy", "m.data")]
    assert "the volume still holds its data" in result[1].cause


def test_left_copy_next_to_the_original_changed_volume():
    observed = with_leftovers(changed_engine(), copies=[left_copy("m.data")])
    with pytest.raises(VolumeChangeRefused, match="also in volume m.data.dockermap-copy"):
        run("update", [CHANGED, WEB], observed)
    result = run("update", [CHANGED, WEB], observed, recreate_volumes="discard")
    assert ("remove_copy", "m.data") in steps(result)
    result = run("update", [CHANGED, WEB], observed, recreate_volumes="copy")
    assert ("backup", "m.data") in steps(result)  # the original holds the data: copied again
    assert run("startup", [CHANGED, WEB], observed) == []


def test_left_copy_of_a_recreated_volume_changed_again_is_copied_back_first():
    observed = with_leftovers(
        engine(recreated(CHANGED, driver="local"), found(WEB)), copies=[left_copy("m.data")]
    )
    result = run("update", [CHANGED, WEB], observed, recreate_volumes="discard")
    assert [k for k, name in steps(result) if name == "m.data"] == [
        "restore",
        "prepare",
        "remove",
        "create",
        "prepare",
    ]


def test_missing_helper_image_is_pulled_first():
    data = volume("data")
    result = run("startup", [data], engine(images={}))
    assert steps(result) == [("pull", "busybox:latest"), ("create", "m.data"), ("prepare", "m.data")]
    assert result[0].cause == (
        "image busybox:latest is not on the client; the helper containers of volumes need it"
    )
    result = run("startup", [data], engine(), core_images={"__default__": "reg:5000/core"})
    assert steps(result)[0] == ("pull", "reg:5000/core:latest")
    assert steps(run("startup", [volume("plain", user=None, permissions=None)], engine(images={}))) == [
        ("create", "m.plain")
    ]


def test_helper_image_pulled_for_the_map_too_is_pulled_once_and_first():
    data = volume("data")
    result = run("startup", [data, image()], engine(images={}))
    assert steps(result) == [("pull", "busybox:latest"), ("create", "m.data"), ("prepare", "m.data")]


def test_changed_owner_and_mode_are_applied_in_place():
    data = volume("data", user="3000", permissions="750")
    was = "owner=2000 mode=u=rwX,g=rX,o="
    recorded = {"io.dockermap.prepared": json.dumps({"m.data": was})}
    web = found(WEB, labels={**found(WEB).labels, **recorded})
    own = own_labels(data)
    result = run("update", [data], engine(found_volume(data, labels=own), web))
    assert steps(result) == [("prepare", "m.data")]
    assert result[0].cause == f"owner and mode changed: {was}, expected owner=3000 mode=750"
    # without a container attaching it, the volume's own label says how it was prepared
    prepared = {**own, "io.dockermap.prepared": was}
    result = run("update", [data], engine(found_volume(data, labels=prepared)))
    assert steps(result) == [("prepare", "m.data")]
    assert run("update", [data], engine(found_volume(data))) == []
    assert run("startup", [data], engine(found_volume(data, labels=own))) == []
