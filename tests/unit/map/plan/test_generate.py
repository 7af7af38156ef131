"""The action generators other than ``update``, with the classic bugs fixed."""

from __future__ import annotations

import pytest

from dockermap.map.exceptions import ScriptActionException
from dockermap.map.input import ExecPolicy, ItemType
from dockermap.map.items import Action
from dockermap.map.plan import GENERATORS, Plan, PlanOptions, plan
from tests.unit.map.plan.records import (
    changed,
    container,
    desired_map,
    endpoint,
    engine,
    exec_cmd,
    found,
    found_network,
    found_volume,
    image,
    key,
    network,
    volume,
)


def run(action, records, observed, requested=None, extra=(), **options):
    """Plan ``action`` on ``records`` (in this order); ``extra`` records are desired but not in the order."""
    ordered = [key(record) for record in records]
    desired = desired_map(*records, *extra)
    requested = None if requested is None else [key(record) for record in requested]
    return plan(action, ordered, desired, {"__default__": observed}, PlanOptions(**options), requested)


def steps(result):
    return [(action.kind, action.name) for action in result]


def startup_items():
    net, data = network("net"), volume("data")
    web = container(
        endpoints=[endpoint("m.net"), endpoint("m.other")],
        mounts={"/data": "m.data"},
        exec_commands=[exec_cmd("a")],
    )
    return [image(), net, data, web]


def test_startup_creates_everything_in_order():
    result = run("startup", startup_items(), engine(images={}))
    assert steps(result) == [
        ("pull", "busybox:latest"),
        ("create", "m.net"),
        ("create", "m.data"),
        ("prepare", "m.data"),
        ("create", "m.web"),
        ("connect", "m.web"),
        ("start", "m.web"),
        ("exec", "m.web"),
    ]
    assert [a.item_type for a in result[:3]] == [ItemType.IMAGE, ItemType.NETWORK, ItemType.VOLUME]
    assert result[5].args == {"endpoints": [endpoint("m.other")]}


def test_second_startup_neither_recreates_networks_nor_pulls_present_images():
    items = startup_items()
    _, net, data, web = items
    observed = engine(found_network(net), found_volume(data), found(web))
    assert list(run("startup", items, observed)) == []


def test_startup_starts_stopped_containers():
    items = startup_items()
    web = items[-1]
    result = run(
        "startup", items, engine(found_network(items[1]), found_volume(items[2]), found(web, status="exited"))
    )
    assert steps(result) == [("start", "m.web"), ("exec", "m.web")]
    assert result[0].cause == "container exited with code 0"


def test_volume_without_owner_or_mode_is_not_prepared():
    data = volume("data", user=None, permissions=None)
    assert steps(run("startup", [data], engine())) == [("create", "m.data")]


def test_create_creates_and_connects_only():
    items = startup_items()
    result = run("create", items, engine())
    assert steps(result)[-2:] == [("create", "m.web"), ("connect", "m.web")]


def test_call_kwargs_reach_only_the_requested_item():
    app = container("app")
    web = container("web")
    options = {"call_kwargs": {"environment": {"X": "1"}}}
    result = run("create", [app, web], engine(), requested=[web], **options)
    assert [(a.name, a.args) for a in result] == [("m.app", {}), ("m.web", {"environment": {"X": "1"}})]


def test_start_starts_present_containers_only():
    app, web, db = container("app"), container("web"), container("db")
    observed = engine(found(app, status="created"), found(web))
    assert steps(run("start", [app, web, db], observed)) == [("start", "m.app")]


def test_restart_restarts_started_containers_with_timeout():
    app = container(
        "app", stop_timeout=3, exec_commands=[exec_cmd("a"), exec_cmd("b", policy=ExecPolicy.INITIAL)]
    )
    new = container("new")
    observed = engine(found(app, status="exited"), found(new, status="created"))
    result = run("restart", [app, new], observed, restart_exec_commands=True)
    assert [(a.kind, a.name, a.args) for a in result] == [
        ("restart", "m.app", {"timeout": 3}),
        ("exec", "m.app", {"commands": [app.exec_commands[0]]}),
    ]


def test_stop_stops_running_containers_only():
    app, web = container("app"), container("web", stop_timeout=5)
    result = run(
        "stop", [web, app], engine(found(app, status="exited"), found(web)), call_kwargs={"timeout": 1}
    )
    assert [(a.kind, a.name, a.args, a.cause) for a in result] == [
        ("stop", "m.web", {"timeout": 1}, "stop requested")
    ]


def test_signal_kills_running_containers_with_the_signal():
    web = container()
    result = run("signal", [web], engine(found(web)), call_kwargs={"signal": "SIGHUP"})
    assert [(a.kind, a.args) for a in result] == [("kill", {"signal": "SIGHUP"})]
    assert list(run("signal", [web], engine(found(web, status="exited")))) == []


def test_pull_images():
    present, absent = image("busybox:latest"), image("other:1")
    result = run("pull_images", [present, absent, container()], engine())
    assert [(a.name, a.cause) for a in result] == [
        ("busybox:latest", "pull requested (pull_all_images is set)"),
        ("other:1", "image other:1 is not on the client"),
    ]
    assert steps(run("pull_images", [present, absent], engine(), pull_all_images=False)) == [
        ("pull", "other:1")
    ]


def test_remove_never_removes_running_containers_and_respects_options():
    web, app, keep = container("web"), container("app"), container("keep", persistent=True)
    data, net = volume("data"), network("net")
    observed = engine(
        found(web),
        found(app, status="exited", networks={"m.net": {}}),
        found(keep, status="exited"),
        found_volume(data),
        found_network(net),
    )
    items = [web, app, keep, data, net]
    assert steps(run("remove", items, observed)) == [
        ("remove", "m.app"),
        ("remove", "m.keep"),
        ("remove", "m.net"),
    ]
    result = run("remove", items, observed, remove_persistent=False, remove_attached=True)
    assert steps(result) == [("remove", "m.app"), ("remove", "m.data"), ("remove", "m.net")]
    assert result[1].cause == "remove requested (remove_attached is set)"


def test_network_containers_are_disconnected_before_it_is_removed():
    net = network("net")
    outsider = container("outsider")
    observed = engine(found_network(net), found(outsider, networks={"m.net": {}}))
    result = run("shutdown", [net], observed)
    assert [(a.kind, a.item_type, a.args) for a in result] == [
        ("disconnect", ItemType.NETWORK, {"containers": ["m.outsider"]}),
        ("remove", ItemType.NETWORK, {}),
    ]


def test_shutdown_stops_and_removes_in_the_given_order_and_keeps_volumes():
    web = container("web", mounts={"/data": "m.data"}, stop_timeout=2)
    app = container("app", mounts={"/data": "m.data"})
    data = volume("data", owner="app")
    observed = engine(found(web), found(app, status="exited"), found_volume(data))
    result = run("shutdown", [web, app], observed, extra=[data])
    assert [(a.kind, a.name, a.args) for a in result] == [
        ("stop", "m.web", {"timeout": 2}),
        ("remove", "m.web", {}),
        ("remove", "m.app", {}),
    ]


def test_shutdown_with_remove_attached_removes_volumes_of_removed_containers():
    web = container("web", mounts={"/data": "m.data"})
    data = volume("data")
    shared = volume("shared")
    other = container("other", mounts={"/shared": "m.shared"})
    observed = engine(found(web), found_volume(data), found_volume(shared), found(other))
    result = run("shutdown", [web], observed, extra=[data, shared, other], remove_attached=True)
    assert steps(result) == [("stop", "m.web"), ("remove", "m.web"), ("remove", "m.data")]
    assert result[-1].cause == "remove_attached is set and no remaining container uses it"


def test_shutdown_keeps_persistent_containers_but_stops_them():
    keep = container("keep", persistent=True)
    result = run("shutdown", [keep], engine(found(keep)), remove_persistent=False)
    assert [(a.kind, a.cause) for a in result] == [("stop", "shutdown requested; persistent container kept")]


def test_script_resumes_dependencies_and_runs_in_the_requested_container():
    data = volume("data", owner="app")
    app = container("app", mounts={"/data": "m.data"})
    sick = container("sick")
    job = container("job")
    observed = engine(found(app, status="exited"), found(sick, status="exited", exit_code=-127))
    args = {"script_path": "/tmp/x.sh"}
    result = run("script", [data, app, sick, job], observed, requested=[job], call_kwargs=args)
    assert steps(result) == [
        ("create", "m.data"),
        ("prepare", "m.data"),
        ("remove", "m.app"),
        ("create", "m.app"),
        ("start", "m.app"),
        ("remove", "m.sick"),
        ("create", "m.sick"),
        ("start", "m.sick"),
        ("script", "m.job"),
    ]
    assert result[2].cause == "recreate: its attached volume was created"
    assert (result[-1].args, result[-1].cause) == (args, "script run requested")


def test_script_refuses_an_existing_container_unless_removal_is_allowed():
    job = container("job", client="other")
    observed = {"other": engine(found(job), client="other")}
    ordered = [key(job)]
    with pytest.raises(
        ScriptActionException, match="Container m.job existed on client other prior to running"
    ):
        plan("script", ordered, desired_map(job), observed, PlanOptions(), requested=ordered)
    result = plan(
        "script", ordered, desired_map(job), observed, PlanOptions(remove_existing_before=True), ordered
    )
    assert steps(result) == [("stop", "m.job"), ("remove", "m.job"), ("script", "m.job")]


def test_script_needs_the_requested_ids():
    with pytest.raises(ValueError, match="needs the requested ids"):
        run("script", [container()], engine())


def test_unknown_action_and_missing_records_are_refused():
    with pytest.raises(ValueError, match="unknown action 'deploy'; valid actions: create, start"):
        run("deploy", [], engine())
    web = container()
    with pytest.raises(ValueError, match=r"no desired record for .* on client '__default__'"):
        plan("startup", [key(web)], {}, {"__default__": engine()})
    with pytest.raises(ValueError, match="client '__default__' was not observed"):
        plan("startup", [key(web)], desired_map(web), {})


def test_every_generator_is_registered():
    assert set(GENERATORS) == {
        "create",
        "start",
        "restart",
        "stop",
        "remove",
        "startup",
        "shutdown",
        "update",
        "signal",
        "pull_images",
        "build_images",
        "script",
    }


def test_plan_prints_one_action_per_line_with_client_and_cause():
    web = changed(container(client="host2"))
    result = Plan(
        [
            Action(
                "__default__",
                "create",
                ItemType.VOLUME,
                volume("data").config_id,
                "m.data",
                "volume does not exist",
            ),
            Action("host2", "start", ItemType.CONTAINER, web.config_id, "m.web", "container is stopped"),
        ]
    )
    assert str(result) == (
        "create volume m.data: volume does not exist\nstart container m.web on host2: container is stopped"
    )


def test_shutdown_removes_containers_volumes_and_networks_in_the_given_order():
    net, data = network("net"), volume("data")
    web = container("web", mounts={"/data": "m.data"}, endpoints=[endpoint("m.net")])
    observed = engine(found_network(net), found_volume(data), found(web))
    result = run("shutdown", [web, net, data], observed, remove_attached=True)
    assert steps(result) == [
        ("stop", "m.web"),
        ("remove", "m.web"),
        ("remove", "m.net"),
        ("remove", "m.data"),
    ]
