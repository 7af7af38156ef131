"""The edges of a plan: which earlier actions each action waits for, and the steps that run together."""

from __future__ import annotations

from dockermap.map.config.main import ContainerMap
from dockermap.map.desired import DesiredBuilder
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.plan import PlanOptions, plan
from dockermap.map.plan.graph import action_dependencies, action_steps
from tests.unit.map.plan import records as rec


def run_plan(action, records, observed, **options):
    return plan(
        action,
        [rec.key(r) for r in records],
        rec.desired_map(*records),
        {"__default__": observed},
        PlanOptions(**options),
    )


def labelled(result):
    """``kind name`` of each action → the ``kind name`` of the actions it waits for."""
    names = [f"{a.kind} {a.name}" for a in result]
    return {names[i]: sorted(names[j] for j in waits) for i, waits in enumerate(result.depends_on)}


def fan_out(count):
    data = rec.volume("data", owner="db", user=None, permissions=None)
    db = rec.container("db", mounts={"/data": data.name})
    apps = [rec.container(f"app{n}", mounts={"/data": data.name}, bound_to=["m.db"]) for n in range(count)]
    return data, db, apps


def test_a_fan_out_starts_every_dependent_right_after_its_shared_dependency():
    data, db, apps = fan_out(3)
    result = run_plan("startup", [rec.image(), data, db, *apps], rec.engine())
    edges = labelled(result)
    assert edges["create m.data"] == []
    assert edges["create m.db"] == ["create m.data"]
    assert edges["start m.db"] == ["create m.db"]
    for n in range(3):
        assert edges[f"create m.app{n}"] == ["create m.data", "start m.db"]
        assert edges[f"start m.app{n}"] == [f"create m.app{n}"]
    assert result.steps() == [1, 2, 3, 4, 5, 4, 5, 4, 5]
    lines = str(result).splitlines()
    assert lines[0] == "[1] create volume m.data: volume does not exist"
    assert lines[3].startswith("[4] create container m.app0: ")


def test_a_chain_keeps_its_order_and_prints_as_before():
    db = rec.container("db")
    app = rec.container("app", bound_to=["m.db"])
    result = run_plan("startup", [rec.image(), db, app], rec.engine())
    assert result.steps() == [1, 2, 3, 4]
    assert str(result).splitlines()[0] == "create container m.db: container does not exist"


def test_an_image_pull_comes_before_the_containers_created_from_it():
    web, other = rec.container("web"), rec.container("other")
    result = run_plan("startup", [rec.image(), web, other], rec.engine(images={}))
    edges = labelled(result)
    assert edges["create m.web"] == ["pull busybox:latest"]
    assert edges["create m.other"] == ["pull busybox:latest"]


def test_shutdown_removes_dependents_first_and_networks_after_their_containers():
    net = rec.network("back")
    data, db, apps = fan_out(2)
    db.endpoints.append(rec.endpoint(net.name))
    records = [*apps, db, data, net]
    observed = rec.engine(
        *(rec.found(c) for c in [*apps, db]), rec.found_volume(data), rec.found_network(net, id="n1")
    )
    observed.networks[net.name] = rec.found_network(net)
    result = run_plan("shutdown", records, observed, remove_attached=True)
    edges = labelled(result)
    assert edges["stop m.app0"] == [] and edges["stop m.app1"] == []
    # The dependency stops once its dependents stopped; their removals run beside it.
    assert edges["stop m.db"] == ["stop m.app0", "stop m.app1"]
    assert edges["remove m.db"] == ["stop m.db"]
    assert edges["remove m.data"] == ["remove m.app0", "remove m.app1", "remove m.db"]
    assert edges["remove m.back"] == ["remove m.db"]


def test_a_chain_shuts_down_stop_by_stop_with_each_removal_beside_the_next_stop():
    c1 = rec.container("c1")
    c2 = rec.container("c2", bound_to=["m.c1"])
    c3 = rec.container("c3", bound_to=["m.c2"])
    result = run_plan("shutdown", [c3, c2, c1], rec.engine(*(rec.found(c) for c in (c3, c2, c1))))
    assert [f"{a.kind} {a.name}" for a in result] == [
        "stop m.c3",
        "remove m.c3",
        "stop m.c2",
        "remove m.c2",
        "stop m.c1",
        "remove m.c1",
    ]
    assert labelled(result)["stop m.c1"] == ["stop m.c2"]
    assert result.steps() == [1, 2, 2, 3, 3, 4]


def test_unrelated_items_wait_for_nothing_and_items_on_other_clients_are_unrelated():
    one, two = rec.container("web"), rec.container("web", client="two")
    actions = run_plan("startup", [one], rec.engine()) + plan(
        "startup", [rec.key(two)], rec.desired_map(two), {"two": rec.engine(client="two")}
    )
    waits = action_dependencies(actions, rec.desired_map(one, two))
    assert [sorted(w) for w in waits] == [[], [0], [], [2]]


def test_steps_follow_the_longest_path():
    assert action_steps([frozenset(), frozenset(), frozenset({0}), frozenset({1, 2})]) == [1, 1, 2, 3]


def test_depends_on_orders_containers_and_actions_without_a_record_run_alone():
    db = rec.container("db")
    app = rec.container("app", after=["m.db"])
    other = rec.container("other")
    result = run_plan("startup", [rec.image(), db, app, other], rec.engine())
    assert labelled(result)["create m.app"] == ["start m.db"]
    assert labelled(result)["create m.other"] == []
    orphan = rec.container("gone")
    actions = [*result, *run_plan("shutdown", [orphan], rec.engine(rec.found(orphan)))]
    waits = action_dependencies(actions, rec.desired_map(db, app, other))
    assert waits[len(result)] == frozenset(range(len(result)))  # the unconfigured one waits for all
    assert waits[len(result) + 1] == frozenset({len(result)})


def test_the_desired_record_names_the_containers_of_depends_on():
    container_map = ContainerMap(
        "m", {"w": {"instances": ["a", "b"]}, "x": {"depends_on": ["w"]}, "y": {"depends_on": ["w.b"]}}
    )
    builder = DesiredBuilder({"m": container_map.get_extended_map()}, {})
    after = {
        config: builder.container("__default__", MapConfigId(ItemType.CONTAINER, "m", config)).after
        for config in ("x", "y")
    }
    assert after == {"x": ["m.w.a", "m.w.b"], "y": ["m.w.b"]}


def test_a_volume_preparation_waits_for_the_pull_of_the_helper_image():
    data = rec.volume("data", owner="db")
    db = rec.container("db", mounts={"/data": data.name})
    result = run_plan("startup", [rec.image(), data, db], rec.engine(images={}))
    edges = labelled(result)
    # the volume's actions come after the pull (its creation already waits, its preparation after that)
    assert edges["create m.data"] == ["pull busybox:latest"]
    assert edges["prepare m.data"] == ["create m.data"]
