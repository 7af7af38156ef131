"""Item states, the in-place updatable values and the options of the planner."""

from __future__ import annotations

from dockermap.map.flags import ConfigFlags, ConfigState, State, StateFlags
from dockermap.map.plan import PlanOptions, assess_item, config_states
from dockermap.map.plan.container import ContainerCheck
from dockermap.map.plan.limits import current_from_detail, diff_updatable
from tests.unit.map.plan.records import (
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


def test_container_states():
    web = container(persistent=True)
    options = PlanOptions()
    assert assess_item(web, engine(), options)[:3] == (State.ABSENT, StateFlags.NONE, {"causes": []})
    running = assess_item(web, engine(found(web)), options)
    assert (running.base_state, running.state_flags) == (State.RUNNING, StateFlags.PERSISTENT)
    assert running.extra_data["id"] == "id-m.web"
    created = assess_item(web, engine(found(web, status="created")), options)
    assert (created.base_state, created.state_flags) == (
        State.PRESENT,
        StateFlags.INITIAL | StateFlags.PERSISTENT,
    )
    restarting = assess_item(web, engine(found(web, status="restarting")), options)
    assert restarting.state_flags & StateFlags.RESTARTING
    dead = assess_item(web, engine(found(web, status="exited", exit_code=-127)), options)
    assert dead.state_flags & StateFlags.NONRECOVERABLE
    assert dead.extra_data["exit_code"] == -127
    custom = assess_item(
        web, engine(found(web, status="exited", exit_code=3)), PlanOptions(nonrecoverable_exit_codes=[3])
    )
    assert custom.state_flags & StateFlags.NONRECOVERABLE


def test_update_checks_only_when_asked():
    web = container(mounts={"/data": "m.data"})
    observed = engine(found(web, mounts={}))
    assert assess_item(web, observed, PlanOptions()).state_flags == StateFlags.NONE
    assert assess_item(web, observed, PlanOptions(), update=True).state_flags == StateFlags.VOLUME_MISMATCH


def test_volume_network_and_image_states():
    data, net = volume("data"), network("net")
    observed = engine(found_volume(data), found_network(net), found(container("web"), networks={"m.net": {}}))
    assert assess_item(data, observed, PlanOptions()).base_state is State.PRESENT
    net_state = assess_item(net, observed, PlanOptions(force_update={net.config_id}))
    assert net_state[:3] == (
        State.PRESENT,
        StateFlags.FORCED_RESET,
        {"id": "net-m.net", "containers": ["m.web"], "causes": ["update forced"]},
    )
    assert assess_item(image(), observed, PlanOptions()).extra_data["id"].startswith("sha256:")
    assert assess_item(image("x:1"), observed, PlanOptions()).base_state is State.ABSENT


def test_removed_driver_options_are_a_difference():
    data = volume("data")
    observed = engine(found_volume(data, options={"type": "tmpfs", "device": "tmpfs"}))
    assert assess_item(data, observed, PlanOptions(), update=True).extra_data["causes"] == [
        "driver option device is set on the volume but no longer configured",
        "driver option type is set on the volume but no longer configured",
    ]
    net = network("net", options={"com.docker.network.bridge.enable_icc": "false"})
    extra = {"com.docker.network.bridge.enable_icc": "false", "com.docker.network.driver.mtu": "1400"}
    observed = engine(found_network(net, options=extra))
    assert assess_item(net, observed, PlanOptions(), update=True).extra_data["causes"] == [
        "driver option com.docker.network.driver.mtu is '1400', expected none"
    ]


def test_options_other_drivers_add_are_not_a_difference():
    net = network("net", driver="overlay", options={"encrypted": "true"})
    observed = engine(found_network(net, options={"encrypted": "true", "vxlanid_list": "4097"}))
    assert assess_item(net, observed, PlanOptions(), update=True).extra_data["causes"] == []


def test_config_states_flag_dependencies():
    app, web = container("app"), container("web")
    ordered = [key(app), key(web)]
    states = config_states(
        "startup", ordered, desired_map(app, web), {"__default__": engine(found(app))}, None, [key(web)]
    )
    assert states == [
        ConfigState(
            "__default__",
            app.config_id,
            ConfigFlags.DEPENDENT,
            State.RUNNING,
            StateFlags.NONE,
            {"id": "id-m.app", "causes": []},
        ),
        ConfigState(
            "__default__", web.config_id, ConfigFlags.NONE, State.ABSENT, StateFlags.NONE, {"causes": []}
        ),
    ]


def test_needs_reset_flags():
    assert StateFlags.NEEDS_RESET & StateFlags.IMAGE_MISMATCH
    assert not StateFlags.NEEDS_RESET & StateFlags.HOST_CONFIG_UPDATE
    assert int(StateFlags.FORCED_RESET) == 1 << 31


def test_current_limits_from_inspect_output():
    host_config = {
        "Memory": 64,
        "MemorySwap": -1,
        "CpuShares": 0,
        "CpusetCpus": "0-1",
        "RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3},
    }
    assert current_from_detail(host_config) == {
        "mem_limit": 64,
        "cpuset_cpus": "0-1",
        "restart_policy": {"Name": "on-failure", "MaximumRetryCount": 3},
    }


def test_limit_diff_rules():
    diff = diff_updatable({"cpu_shares": 512}, {"cpu_shares": 256, "blkio_weight": 300})
    assert (diff.changes, diff.removed) == ({"cpu_shares": 512}, ["blkio_weight 300"])
    # implicit swap (twice the memory) is compared only where the engine reports a swap limit
    assert diff_updatable({"mem_limit": 10}, {"mem_limit": 10}).changes == {}
    assert diff_updatable({"mem_limit": 10}, {"mem_limit": 10, "memswap_limit": 30}).changes == {
        "memswap_limit": 20
    }
    on_failure = {"restart_policy": {"Name": "on-failure", "MaximumRetryCount": 2}}
    same_name = {"restart_policy": {"Name": "on-failure", "MaximumRetryCount": 5}}
    assert diff_updatable(on_failure, same_name).changes == on_failure
    assert diff_updatable({}, {"restart_policy": {"Name": "always"}}).changes == {
        "restart_policy": {"Name": "no", "MaximumRetryCount": 0}
    }
    assert diff_updatable({"restart_policy": {"Name": "no"}}, {}).changes == {}


def test_update_checks_of_a_container_are_a_typed_record():
    web = container(persistent=True)
    observed = engine(found(web))
    assert assess_item(web, observed, PlanOptions()).check is None
    state = assess_item(web, observed, PlanOptions(), update=True)
    assert isinstance(state.check, ContainerCheck)
    assert state.check.flags == StateFlags.NONE and not state.check.updates.changes
