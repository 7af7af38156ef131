"""The update rules: each rule with hand-built desired and observed records, causes included."""

from __future__ import annotations

import json

import pytest

from dockermap.map.input import CmdCheck, ExecPolicy
from dockermap.map.labels import LABEL_FINGERPRINT, LABEL_UPDATABLE
from dockermap.map.plan import PlanOptions, plan, update_pulls
from tests.unit.map.plan.records import (
    IMAGE_ID,
    OLD_IMAGE_ID,
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


def update(records, observed, requested=None, **options):
    ordered = [key(record) for record in records]
    return plan(
        "update", ordered, desired_map(*records), {"__default__": observed}, PlanOptions(**options), requested
    )


def steps(result):
    return [(action.kind, action.name) for action in result]


RECREATE_RUNNING = ["stop", "remove", "create", "start"]


def test_nothing_changed_plans_nothing():
    web = container(exec_commands=[exec_cmd("sleep 100")])
    result = update([image(), web], engine(found(web, processes=[("root", "sleep 100")])))
    assert list(result) == []
    assert str(result) == "nothing to do"


def test_missing_container_is_created_connected_started_and_execs_run():
    web = container(
        endpoints=[endpoint("m.front"), endpoint("m.back")],
        exec_commands=[exec_cmd("a"), exec_cmd("b", policy=ExecPolicy.INITIAL)],
    )
    result = update([web], engine())
    assert [(a.kind, a.args.get("endpoints")) for a in result] == [
        ("create", None),
        ("connect", [endpoint("m.back")]),
        ("start", None),
        ("exec", None),
    ]
    assert [c.cmd for c in result[-1].args["commands"]] == ["a", "b"]
    assert {a.cause for a in result} == {"container does not exist"}


def test_new_image_id_under_the_same_tag_recreates_with_cause():
    web = container(stop_timeout=7)
    result = update([image(), web], engine(found(web, image_id=OLD_IMAGE_ID)))
    assert [kind for kind, _ in steps(result)] == RECREATE_RUNNING
    assert result[0].args == {"timeout": 7}
    cause = "recreate: image busybox:latest is now sha256:aaaaaaaaaaaa, container runs sha256:bbbbbbbbbbbb"
    assert {a.cause for a in result} == {cause}
    assert str(result).splitlines()[0] == f"stop container m.web: {cause}"


def test_image_mismatch_skipped_for_persistent_unless_update_persistent():
    web = container(persistent=True)
    observed = engine(found(web, image_id=OLD_IMAGE_ID))
    assert list(update([web], observed)) == []
    assert [kind for kind, _ in steps(update([web], observed, update_persistent=True))] == RECREATE_RUNNING


def test_image_not_on_client_is_pulled_and_container_kept():
    web = container()
    result = update([image(), web], engine(found(web), images={}))
    assert steps(result) == [("pull", "busybox:latest")]
    assert result[0].cause == "image busybox:latest is not on the client"


def test_pull_before_update_pulls_present_images():
    result = update([image()], engine(), pull_before_update=True)
    assert [(a.kind, a.cause) for a in result] == [("pull", "pull_before_update is set")]


def test_nonrecoverable_exit_code_relaunches_without_stop():
    web = container()
    result = update([web], engine(found(web, status="exited", exit_code=-1)))
    assert [kind for kind, _ in steps(result)] == ["remove", "create", "start"]
    assert result[0].cause == "recreate: exited with code -1, listed in nonrecoverable_exit_codes"


def test_plainly_stopped_container_is_just_started_with_restart_execs():
    web = container(exec_commands=[exec_cmd("a"), exec_cmd("b", policy=ExecPolicy.INITIAL)])
    result = update([web], engine(found(web, status="exited", exit_code=137)))
    assert steps(result) == [("start", "m.web"), ("exec", "m.web")]
    assert result[0].cause == "container exited with code 137"
    assert [c.cmd for c in result[1].args["commands"]] == ["a"]


def test_never_started_container_is_started_with_all_execs():
    web = container(exec_commands=[exec_cmd("a"), exec_cmd("b", policy=ExecPolicy.INITIAL)])
    result = update([web], engine(found(web, status="created")))
    assert steps(result) == [("start", "m.web"), ("exec", "m.web")]
    assert result[0].cause == "container was never started"
    assert [c.cmd for c in result[1].args["commands"]] == ["a", "b"]


def test_stopped_persistent_container_is_not_started():
    web = container(persistent=True)
    assert list(update([web], engine(found(web, status="exited")))) == []


def test_forced_update_recreates():
    web = container()
    result = update([web], engine(found(web)), force_update={web.config_id})
    assert [kind for kind, _ in steps(result)] == RECREATE_RUNNING
    assert result[0].cause == "recreate: update forced"


def test_changed_fingerprint_without_detail_gives_generic_cause():
    web = container()
    observed = engine(found(web))
    observed.containers["m.web"].labels[LABEL_FINGERPRINT] = "1234567890abcdef"
    result = update([web], observed)
    assert [kind for kind, _ in steps(result)] == RECREATE_RUNNING
    assert result[0].cause == (
        "recreate: configuration changed: no single field could be named (fingerprint 1234567890ab -> "
        + web.fingerprint[:12]
        + ")"
    )


def _detail(**config):
    return {"Config": {"Env": [], "Cmd": ["sh"], **config}, "HostConfig": {"RestartPolicy": {"Name": ""}}}


def test_changed_fingerprint_with_detail_names_environment_command_entrypoint():
    web = container(
        create_kwargs={
            "name": "m.web",
            "image": "busybox:latest",
            "environment": {"A": "1", "B": "2"},
            "command": "httpd -f -p 80",
            "entrypoint": ["/bin/sh", "-c"],
        }
    )
    observed = engine(found(web))
    old = observed.containers["m.web"]
    old.labels[LABEL_FINGERPRINT] = "old"
    old.detail = _detail(Env=["A=1", "B=3"], Cmd=["httpd", "-f"], Entrypoint=["/bin/sh"])
    result = update([web], observed)
    assert result[0].cause == (
        "recreate: configuration changed: environment B changed; "
        "command is 'httpd -f', expected 'httpd -f -p 80'; entrypoint is '/bin/sh', expected '/bin/sh -c'"
    )
    shown = update([web], observed, show_secret_values=True, secret_keys="command")
    assert shown[0].cause == (
        "recreate: configuration changed: environment B is '3', expected '2'; "
        "command is 'httpd -f', expected 'httpd -f -p 80'; entrypoint is '/bin/sh', expected '/bin/sh -c'"
    )
    hidden = update([web], observed, secret_keys=["command"])
    assert "environment B changed; command changed; entrypoint is" in hidden[0].cause


def test_changed_fingerprint_with_detail_names_other_fields():
    web = container(
        create_kwargs={
            "name": "m.web",
            "image": "busybox:latest",
            "user": "2000",
            "labels": {"tier": "front"},
        },
        host_config={"cap_add": ["NET_ADMIN"]},
    )
    observed = engine(found(web))
    old = observed.containers["m.web"]
    old.labels[LABEL_FINGERPRINT] = "old"
    old.detail = {"Config": {"User": "", "Labels": {"tier": "back"}}, "HostConfig": {"CapAdd": None}}
    causes = update([web], observed)[0].cause
    assert "label tier is 'back', expected 'front'" in causes
    assert "user is '', expected '2000'" in causes
    assert "cap_add is None, expected ['NET_ADMIN']" in causes


def test_unlabelled_container_judged_by_classic_rules_only():
    web = container(
        create_kwargs={"name": "m.web", "image": "busybox:latest", "environment": {"A": "1"}, "user": "x"}
    )
    legacy = found(web, labels={})
    legacy.detail = _detail(Env=["A=1"], User="someone-else")
    assert list(update([web], engine(legacy), adopt_unlabelled=True)) == []  # user is not a classic rule
    legacy.detail = _detail(Env=["A=2"])
    result = update([web], engine(legacy), adopt_unlabelled=True)
    assert result[0].cause == "recreate: environment A changed"
    result = update([web], engine(legacy), adopt_unlabelled=True, show_secret_values=True)
    assert result[0].cause == "recreate: environment A is '2', expected '1'"


def test_unlabelled_container_missing_link_recreates():
    web = container(host_config={"links": [("m.app", "app")]})
    legacy = found(web, labels={})
    legacy.detail = _detail()
    legacy.detail["HostConfig"]["Links"] = ["/m.other:/m.web/app"]
    result = update([web], engine(legacy), adopt_unlabelled=True)
    assert result[0].cause == "recreate: link to m.app as app is missing"
    legacy.detail["HostConfig"]["Links"] = ["/m.app:/m.web/app"]
    assert list(update([web], engine(legacy), adopt_unlabelled=True)) == []


def test_unlabelled_container_port_rules_use_host_config():
    web = container(
        create_kwargs={"name": "m.web", "image": "busybox:latest", "ports": [80]},
        published=[("80/tcp", "", "8080")],
    )
    legacy = found(web, labels={}, status="exited")
    legacy.detail = _detail(ExposedPorts={"80/tcp": {}})
    legacy.detail["HostConfig"]["PortBindings"] = {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}
    assert [kind for kind, _ in steps(update([web], engine(legacy), adopt_unlabelled=True))] == ["start"]
    legacy.detail["HostConfig"]["PortBindings"] = {"80/tcp": [{"HostIp": "", "HostPort": "9090"}]}
    assert (
        update([web], engine(legacy), adopt_unlabelled=True)[0].cause
        == "recreate: port 80/tcp is not published on 0.0.0.0:8080"
    )


def test_changed_volume_mapping_recreates():
    web = container(mounts={"/data": "m.data", "/etc/app": "/srv/app"})
    observed = engine(found(web, mounts={"/data": "m.other", "/etc/app": "/srv/app/"}))
    result = update([web], observed)
    assert result[0].cause == "recreate: /data mounts m.other, expected m.data"
    observed = engine(found(web, mounts={"/etc/app": "/srv/app"}))
    assert update([web], observed)[0].cause == "recreate: nothing is mounted at /data, expected m.data"


def test_changed_published_port_of_running_container_recreates():
    web = container(published=[("80/tcp", "0.0.0.0", "8080")])
    observed = engine(found(web, published=[("80/tcp", "0.0.0.0", "8081"), ("80/tcp", "::", "8081")]))
    assert update([web], observed)[0].cause == "recreate: port 80/tcp is not published on 0.0.0.0:8080"


def test_changed_limits_are_updated_in_place():
    web = container(
        updatable={"mem_limit": 128 * 2**20, "restart_policy": {"Name": "always", "MaximumRetryCount": 0}}
    )
    observed = engine(found(web))
    old = observed.containers["m.web"]
    old.labels[LABEL_UPDATABLE] = "{}"
    old.detail = {
        "HostConfig": {"Memory": 64 * 2**20, "MemorySwap": 128 * 2**20, "RestartPolicy": {"Name": "no"}}
    }
    result = update([web], observed)
    assert steps(result) == [("update", "m.web")]
    assert result[0].args == {
        "changes": {
            "mem_limit": 128 * 2**20,
            "memswap_limit": 256 * 2**20,
            "restart_policy": {"Name": "always", "MaximumRetryCount": 0},
        }
    }
    assert result[0].cause == (
        "mem_limit 67108864 -> 134217728; memswap_limit 134217728 -> 268435456; restart_policy no -> always"
    )


def test_limits_already_updated_in_place_plan_nothing():
    web = container(updatable={"cpu_shares": 512})
    observed = engine(found(web))
    old = observed.containers["m.web"]
    old.labels[LABEL_UPDATABLE] = json.dumps({"cpu_shares": 256})  # as created
    old.detail = {"HostConfig": {"CpuShares": 512, "RestartPolicy": {"Name": ""}}}
    assert list(update([web], observed)) == []


def test_limits_compared_with_label_when_not_inspected():
    web = container(updatable={"cpu_shares": 512})
    observed = engine(found(web))
    observed.containers["m.web"].labels[LABEL_UPDATABLE] = json.dumps({"cpu_shares": 256})
    result = update([web], observed)
    assert [(a.kind, a.args) for a in result] == [("update", {"changes": {"cpu_shares": 512}})]


def test_stopped_container_gets_update_before_start():
    web = container(updatable={"cpu_shares": 512})
    observed = engine(found(web, status="exited"))
    observed.containers["m.web"].detail = {"HostConfig": {"CpuShares": 256}}
    assert steps(update([web], observed)) == [("update", "m.web"), ("start", "m.web")]


def test_removed_limit_recreates_unless_skip_limit_reset():
    web = container()
    observed = engine(found(web))
    observed.containers["m.web"].detail = {"HostConfig": {"CpuShares": 256}}
    result = update([web], observed)
    assert result[0].cause == "recreate: cpu_shares 256 can not be unset in place"
    assert list(update([web], observed, skip_limit_reset=True)) == []


KEEP = ExecPolicy.KEEP_RUNNING


def test_missing_keep_running_command_runs_again_one_shots_do_not():
    web = container(
        exec_commands=[
            exec_cmd("sleep 100", policy=KEEP),
            exec_cmd(("sh", "-c", "x y"), user="2000", policy=KEEP),
            exec_cmd("init", policy=ExecPolicy.INITIAL),
            exec_cmd("touch /ready"),
        ]
    )
    observed = engine(found(web, processes=[("root", "sleep 100"), ("root", "sh -c x y")]))
    result = update([web], observed)
    assert steps(result) == [("exec", "m.web")]
    assert result[0].args["commands"] == [web.exec_commands[1]]
    assert result[0].cause == "not running: ('sh', '-c', 'x y')"
    assert list(update([web], observed, check_exec_commands=CmdCheck.NONE)) == []


@pytest.mark.parametrize(
    "cmd, shown",
    [
        (["sh", "-c", "sleep 5"], "sleep 5"),  # the shell replaced itself with its single command
        (["/bin/sh", "-c", "exec sleep 5"], "sleep 5"),
        ("sh -c 'sleep 5; true'", "sh -c sleep 5; true"),  # the shell stays
    ],
)
def test_a_command_through_a_shell_matches_as_the_engine_shows_it(cmd, shown):
    web = container(exec_commands=[exec_cmd(cmd, policy=KEEP)])
    assert list(update([web], engine(found(web, processes=[("root", shown)])))) == []
    assert len(update([web], engine(found(web, processes=[("root", "sleep 6")])))) == 1


def test_partial_exec_check_accepts_longer_command_lines():
    web = container(exec_commands=[exec_cmd("sleep", policy=KEEP)])
    observed = engine(found(web, processes=[("root", "sleep 100")]))
    assert len(update([web], observed)) == 1
    assert list(update([web], observed, check_exec_commands=CmdCheck.PARTIAL)) == []


def test_networks_connected_and_disconnected_without_recreate():
    front, back = network("front"), network("back")
    web = container(endpoints=[endpoint("m.front"), endpoint("m.back", aliases=("api",))])
    observed = engine(
        found(web, networks={"m.front": {"id": "net-m.front"}, "m.old": {"id": "x"}}),
        found_network(front),
        found_network(back),
    )
    result = update([front, back, web], observed)
    assert [(a.kind, a.args, a.cause) for a in result] == [
        ("connect", {"endpoints": [web.endpoints[1]]}, "not connected to network m.back"),
        ("disconnect", {"networks": ["m.old"]}, "connected to network m.old, which is not configured"),
    ]


def test_connection_to_replaced_network_is_renewed():
    front = network("front")
    web = container(endpoints=[endpoint("m.front")])
    observed = engine(found(web, networks={"m.front": {"id": "stale"}}), found_network(front))
    result = update([front, web], observed)
    assert [a.kind for a in result] == ["disconnect", "connect"]
    assert result[0].cause == "network m.front was replaced since it connected"


def test_stopped_container_connected_to_removed_network_is_reconnected_before_start():
    front = network("front")
    web = container(endpoints=[endpoint("m.front", aliases=("api",))])
    result = update([front, web], engine(found(web, status="exited")))
    assert steps(result) == [
        ("create", "m.front"),
        ("disconnect", "m.web"),
        ("connect", "m.web"),
        ("start", "m.web"),
    ]
    assert result[1].args == {"networks": ["m.front"]}
    assert result[2].args == {"endpoints": [web.endpoints[0]]}
    assert result[1].cause == "network m.front was removed since it connected"


def test_inspected_endpoint_with_other_aliases_is_reconnected():
    web = container(endpoints=[endpoint("m.front", aliases=("api",))])
    legacy = found(web, labels={})
    legacy.detail = _detail()
    legacy.detail["NetworkSettings"] = {
        "Networks": {"m.front": {"Aliases": ["other"], "NetworkID": "net-m.front"}}
    }
    result = update([web], engine(legacy), adopt_unlabelled=True)
    assert [a.kind for a in result] == ["disconnect", "connect"]
    assert result[0].cause == "endpoint on m.front: aliases api missing"


def test_recreated_container_recreates_containers_bound_to_it():
    app = container("app")
    web = container("web", bound_to=["m.app"])
    other = container("other")
    observed = engine(found(app, image_id=OLD_IMAGE_ID), found(web), found(other))
    result = update([image(), app, web, other], observed)
    assert steps(result) == [(kind, "m.app") for kind in RECREATE_RUNNING] + [
        (kind, "m.web") for kind in RECREATE_RUNNING
    ]
    assert result[-1].cause == "recreate: linked container m.app is recreated"


def test_missing_linked_container_is_created_and_the_linking_one_recreated():
    app = container("app")
    web = container("web", bound_to=["m.app"])
    result = update([app, web], engine(found(web)))
    assert steps(result) == [("create", "m.app"), ("start", "m.app")] + [
        (k, "m.web") for k in RECREATE_RUNNING
    ]
    assert result[-1].cause == "recreate: linked container m.app was missing and is created"


@pytest.mark.parametrize(
    "host_config, relation",
    [
        ({"network_mode": "container:m.app"}, "container m.app, whose network stack it shares,"),
        ({"volumes_from": ["m.app:ro"]}, "container m.app, whose volumes it uses,"),
        ({"links": [("m.app", "app")]}, "linked container m.app"),
    ],
)
def test_a_bound_container_names_its_relation(host_config, relation):
    app = container("app")
    web = container("web", bound_to=["m.app"], host_config=host_config)
    result = update([app, web], engine(found(app), found(web)), force_update=[app.config_id])
    assert result[-1].cause == f"recreate: {relation} is recreated"
    assert (
        update([app, web], engine(found(web)))[-1].cause == f"recreate: {relation} was missing and is created"
    )


def test_a_recreated_container_gets_its_shared_volumes_back():
    cache = container("cache", create_kwargs={"volumes": ["/cache", "/data"]}, mounts={"/data": "/srv/data"})
    observed = engine(found(cache, mounts={"/cache": "a1b2", "/data": "/srv/data"}))
    result = update([cache], observed, force_update=[cache.config_id])
    assert [a.args for a in result if a.kind == "create"] == [{"keep_volumes": {"/cache": "a1b2"}}]
    assert [a.args for a in update([cache], engine()) if a.kind == "create"] == [{}]


def test_volume_options_null_and_empty_are_the_same():
    data = volume("data")
    assert list(update([data], engine(found_volume(data, options=None)))) == []


def test_missing_volume_is_created_and_prepared():
    data = volume("data")
    result = update([data], engine())
    assert steps(result) == [("create", "m.data"), ("prepare", "m.data")]
    assert result[0].cause == "volume does not exist"


def test_changed_volume_driver_options_recreate_volume_and_its_users():
    data = volume("data", driver_opts={"type": "tmpfs"})
    web = container("web", mounts={"/data": "m.data"})
    app = container("app", mounts={"/var/data": "m.data"})
    observed = engine(found_volume(data, options={}), found(web), found(app, status="exited"))
    result = update([data, web, app], observed, recreate_volumes="discard")
    assert steps(result) == [
        ("stop", "m.web"),
        ("remove", "m.web"),
        ("remove", "m.app"),
        ("remove", "m.data"),
        ("create", "m.data"),
        ("prepare", "m.data"),
        ("create", "m.web"),
        ("start", "m.web"),
        ("create", "m.app"),
        ("start", "m.app"),
    ]
    assert result[0].cause == "volume m.data is recreated"
    assert result[3].cause == "recreate: driver option type is configured but not set on the volume"
    assert result[-1].cause == "recreate: volume m.data is recreated"


def test_recreating_a_volume_used_outside_the_plan_is_refused():
    data = volume("data", driver="other")
    outsider = container("outsider", mounts={"/data": "m.data"})
    with pytest.raises(ValueError, match="containers not in this plan use it: m.outsider"):
        update([data], engine(found_volume(data, driver="local"), found(outsider)), recreate_volumes="copy")


def test_changed_network_is_recreated_and_containers_reconnected_or_recreated():
    net = network("net", internal=True)
    first = container("first", endpoints=[endpoint("m.net")])
    second = container("second", endpoints=[endpoint("m.front"), endpoint("m.net")])
    observed = engine(
        found_network(net),
        found_network(network("front")),
        found(first),
        found(second, networks={"m.front": {"id": "net-m.front"}, "m.net": {"id": "net-m.net"}}),
    )
    result = update([net, first, second], observed)
    assert [(a.kind, a.name) for a in result] == [
        ("disconnect", "m.net"),
        ("remove", "m.net"),
        ("create", "m.net"),
        *[(kind, "m.first") for kind in RECREATE_RUNNING],
        ("connect", "m.second"),
    ]
    assert result[0].args == {"containers": ["m.first", "m.second"]}
    assert result[0].cause == "recreate: internal is False, expected True"
    assert result[3].cause == "recreate: network m.net, connected at creation, is recreated"
    assert (result[-1].args, result[-1].cause) == (
        {"endpoints": [second.endpoints[1]]},
        "network m.net is recreated",
    )


def test_changed_network_driver_and_option():
    net = network("net", driver="macvlan", options={"parent": "eth0"})
    observed = engine(found_network(net, driver="bridge", options={"parent": "eth1", "extra": "1"}))
    result = update([net], observed)
    assert result[1].cause == (
        "recreate: network driver is bridge, expected macvlan; "
        "driver option parent is 'eth1', expected 'eth0'"
    )


def test_restarting_container_is_neither_started_nor_left_running_on_recreate():
    web = container()
    observed = engine(found(web, status="restarting"))
    assert list(update([web], observed)) == []
    result = update([web], observed, force_update={web.config_id})
    assert [kind for kind, _ in steps(result)] == RECREATE_RUNNING


def test_image_matching_ignores_unrelated_images():
    web = container()
    observed = engine(found(web), images={"busybox:latest": IMAGE_ID, "other:1": OLD_IMAGE_ID})
    assert list(update([web], observed)) == []


def test_unchanged_record_copy_is_a_no_op():
    web = container(updatable={"cpu_shares": 2})
    assert list(update([changed(web)], engine(found(web)))) == []


@pytest.mark.parametrize(
    "images, options, pulled",
    [
        ({}, {}, ["busybox:latest"]),  # absent: pulled
        (None, {}, []),  # present: kept
        (None, {"pull_before_update": True}, ["busybox:latest"]),
    ],
)
def test_update_pulls_are_the_image_rules_alone(images, options, pulled):
    web = container()
    observed = engine(found(web)) if images is None else engine(found(web), images=images)
    records = [image(), web]
    pulls = update_pulls(
        [key(r) for r in records], desired_map(*records), {"__default__": observed}, PlanOptions(**options)
    )
    assert [(a.kind, a.name) for a in pulls] == [("pull", name) for name in pulled]
    assert pulls.depends_on == [frozenset()] * len(pulled)
