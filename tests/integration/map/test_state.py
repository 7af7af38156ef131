"""Observe against a real engine: the fields read from list calls, and how many requests that takes."""

from __future__ import annotations

import pytest

from dockermap.client.base import DockerClientWrapper
from dockermap.map.config.main import ContainerMap
from dockermap.map.desired import DesiredBuilder
from dockermap.map.input import ExecPolicy, ItemType, MapConfigId
from dockermap.map.labels import LABEL_FINGERPRINT, LABEL_UPDATABLE, item_labels, updatable_json
from dockermap.map.plan import PlanOptions, plan
from dockermap.map.policy.dep import ContainerDependencyResolver
from dockermap.map.runner import Runner
from dockermap.map.state import exit_code, observe
from tests.helpers import free_port
from tests.unit.map.plan.records import (
    container,
    desired_map,
    endpoint,
    exec_cmd,
    image,
    key,
    network,
    prepared_label,
    volume,
)

CLIENT = "__default__"
KEEP = ExecPolicy.KEEP_RUNNING


class CountingClient(DockerClientWrapper):
    """Records every request sent to the engine after construction."""

    def __init__(self, base_url: str) -> None:
        self.recorded = []
        super().__init__(base_url)
        self.recorded.clear()

    def _get(self, url, **kwargs):
        self.recorded.append(("GET", url))
        return super()._get(url, **kwargs)

    def _post(self, url, **kwargs):
        self.recorded.append(("POST", url))
        return super()._post(url, **kwargs)

    def _delete(self, url, **kwargs):
        self.recorded.append(("DELETE", url))
        return super()._delete(url, **kwargs)


def _labels(run, record):
    cid = record.config_id
    labels = item_labels(cid.config_type, cid.map_name, cid.config_name, cid.instance_name, CLIENT)
    labels.update(run.labels)
    if cid.config_type is ItemType.CONTAINER:
        labels.update(
            {LABEL_FINGERPRINT: record.fingerprint, LABEL_UPDATABLE: updatable_json(record.updatable)}
        )
    if cid.config_type is ItemType.VOLUME:
        labels.update(prepared_label(record))
    return labels


def _create(api, run, record, command="sleep 300", **kwargs):
    """Create the container of ``record`` (image: the local busybox) with the labels dockermap sets."""
    return api.create_container(
        record.image, command, name=record.name, labels=_labels(run, record), **kwargs
    )["Id"]


def test_exit_code_from_list_status():
    assert exit_code("Exited (137) 3 seconds ago") == 137
    assert exit_code("Exited (-1) 2 hours ago") == -1
    assert exit_code("Up 3 seconds") is None
    assert exit_code("Created") is None


@pytest.fixture
def scene(engine, base_image, cleanup):
    """A labelled network, volume and running/stopped/new containers, and one unlabelled container."""
    api, map_name, port = engine.api, cleanup.name("st"), free_port()
    net = network("net", map_name=map_name)
    data = volume("data", owner="web", map_name=map_name)
    web = container(
        "web",
        map_name=map_name,
        endpoints=[endpoint(net.name, aliases=("www",))],
        mounts={"/data": data.name},
        published=[("80/tcp", "127.0.0.1", str(port))],
        exec_commands=[exec_cmd("sleep 300", policy=KEEP), exec_cmd("sleep 301", policy=KEEP)],
    )
    job, new, legacy = (container(name, map_name=map_name) for name in ("job", "new", "legacy"))
    network_id = api.create_network(net.name, labels=_labels(cleanup, net))["Id"]
    api.create_volume(data.name, labels=_labels(cleanup, data))
    _create(
        api,
        cleanup,
        web,
        ports=[80],
        volumes=["/data"],
        host_config=api.create_host_config(
            binds=[f"{data.name}:/data:rw"], port_bindings={80: ("127.0.0.1", port)}
        ),
        networking_config=api.create_networking_config(
            {net.name: api.create_endpoint_config(aliases=["www"])}
        ),
    )
    api.start(web.name)
    _create(api, cleanup, job, command=["sh", "-c", "exit 3"])
    api.start(job.name)
    api.wait(job.name)
    _create(api, cleanup, new)
    api.create_container(base_image, "true", name=legacy.name, labels=cleanup.labels)
    records = [image(), net, data, web, job, new, legacy]
    image_id = api.inspect_image(base_image)["Id"]
    return {"records": records, "port": port, "network_id": network_id, "image_id": image_id}


def test_observe_reads_state_from_list_calls(engine, scene):
    client = CountingClient(engine.base_url)
    image_ref, net, data, web, job, new, legacy = scene["records"]
    observed = observe(CLIENT, client, scene["records"])

    running = observed.containers[web.name]
    assert (running.status, running.exit_code, running.detail) == ("running", None, None)
    assert running.image_id == scene["image_id"]
    assert running.labels[LABEL_FINGERPRINT] == web.fingerprint
    assert running.mounts == {"/data": data.name}
    assert ("80/tcp", "127.0.0.1", str(scene["port"])) in running.published
    assert running.networks[net.name]["id"] == scene["network_id"]
    assert running.networks[net.name]["endpoint_id"]
    assert ("root", "sleep 300") in running.processes

    stopped = observed.containers[job.name]
    assert (stopped.status, stopped.exit_code, stopped.processes, stopped.detail) == ("exited", 3, None, None)
    assert observed.containers[new.name].never_started
    unlabelled = observed.containers[legacy.name]
    assert unlabelled.detail["Name"] == f"/{legacy.name}"
    assert unlabelled.detail["Config"]["Cmd"] == ["true"]

    assert observed.volumes[data.name].driver == "local"
    assert observed.volumes[data.name].labels["io.dockermap.config"] == "web"
    assert (observed.networks[net.name].id, observed.networks[net.name].driver) == (
        scene["network_id"],
        "bridge",
    )
    assert observed.images["busybox:latest"] == running.image_id
    # 4 list calls, 1 name-filtered list for the unlabelled container, its inspection, 1 top
    assert len(client.recorded) == 7
    assert sum(url.endswith("/top") for _, url in client.recorded) == 1

    ordered, adopt = [key(r) for r in scene["records"]], PlanOptions(adopt_unlabelled=True)
    result = plan("update", ordered, desired_map(*scene["records"]), {CLIENT: observed}, adopt)
    assert [(a.kind, a.name) for a in result if a.name != legacy.name] == [
        ("exec", web.name),
        ("start", job.name),
        ("start", new.name),
    ]
    assert result[0].args["commands"] == [web.exec_commands[1]]


def test_observe_finds_unlabelled_volumes_and_networks_by_name(engine, cleanup):
    api, map_name = engine.api, cleanup.name("un")
    net, data = network("net", map_name=map_name), volume("data", map_name=map_name)
    api.create_network(net.name, labels=cleanup.labels)
    api.create_volume(data.name, driver_opts={"type": "tmpfs", "device": "tmpfs"}, labels=cleanup.labels)
    api.create_volume(data.name + "x", labels=cleanup.labels)
    observed = observe(CLIENT, engine.api, [net, data])
    assert observed.networks[net.name].labels == cleanup.labels
    assert observed.volumes[data.name].options == {"type": "tmpfs", "device": "tmpfs"}
    assert data.name + "x" not in observed.volumes


@pytest.mark.usefixtures("base_image")
def test_noop_observation_costs_the_same_for_5_and_50_containers(engine, cleanup):
    map_name = cleanup.name("count")
    records = [container(f"c{i}", map_name=map_name) for i in range(50)]

    def count(n):
        client = CountingClient(engine.base_url)
        observed = observe(CLIENT, client, [image(), *records[:n]])
        assert all(observed.containers[r.name].detail is None for r in records[:n])
        return [method for method, _ in client.recorded]

    for record in records[:5]:
        _create(engine.api, cleanup, record)
    five = count(5)
    for record in records[5:]:
        _create(engine.api, cleanup, record)
    fifty = count(50)
    assert five == fifty == ["GET"] * 4


@pytest.mark.usefixtures("base_image")
def test_changed_fingerprint_is_inspected_once(engine, cleanup):
    record = container("fp", map_name=cleanup.name("fp"))
    _create(engine.api, cleanup, record)
    client = CountingClient(engine.base_url)
    observed = observe(
        CLIENT, client, [container("fp", map_name=record.config_id.map_name, fingerprint="new")]
    )
    assert (
        observed.containers[record.name].detail["Config"]["Labels"][LABEL_FINGERPRINT] == record.fingerprint
    )
    # list containers, inspect the changed one, list volumes and networks (no image among the items)
    assert len(client.recorded) == 4


def _map_items(map_name, env="1", mem="64m"):
    """Desired records (dependencies first) of a small map: app with a volume and network, web linked."""
    container_map = ContainerMap(
        map_name,
        {
            "app": {
                "image": "busybox:latest",
                "attaches": "data",
                "user": 2000,
                "permissions": "u=rwX,g=rX,o=",
                "networks": ["net"],
                "exec_commands": [("sleep 601", None, KEEP)],
                "create_options": {"command": "sleep 600", "environment": {"E": env}},
                "host_config": {"mem_limit": mem, "restart_policy": "unless-stopped"},
            },
            "web": {
                "image": "busybox:latest",
                "uses": "data",
                "links": "app",
                "networks": ["net"],
                "create_options": {"command": "sleep 600"},
            },
            "volumes": {"data": "/data"},
            "networks": {"net": {}},
        },
    ).get_extended_map()
    resolver = ContainerDependencyResolver()
    resolver.update(container_map.dependency_items())
    web = MapConfigId(ItemType.CONTAINER, map_name, "web")
    return DesiredBuilder({map_name: container_map}, {}).items(resolver.get_dependencies(web) + [web])


@pytest.mark.usefixtures("base_image")
def test_update_after_startup_is_a_no_op_and_changes_are_found(engine, cleanup):
    map_name = cleanup.name("e2e")
    client = CountingClient(engine.base_url)

    def planned(action, desired):
        client.recorded.clear()
        observed = {CLIENT: observe(CLIENT, client, desired.values())}
        requests = len(client.recorded)
        return plan(action, list(desired), desired, observed), requests

    desired = _map_items(map_name)
    started, _ = planned("startup", desired)
    Runner({CLIENT: client}, desired).run(started)
    result, requests = planned("update", desired)
    assert str(result) == "nothing to do"
    assert requests == 5  # four lists and the process list of app, which has a command to keep running

    changed_desired = _map_items(map_name, env="2", mem="128m")
    result, _ = planned("update", changed_desired)
    assert [(a.kind, a.name.rsplit(".", 1)[-1]) for a in result] == [
        ("stop", "app"),
        ("remove", "app"),
        ("create", "app"),
        ("start", "app"),
        ("exec", "app"),
        ("stop", "web"),
        ("remove", "web"),
        ("create", "web"),
        ("start", "web"),
    ]
    assert result[0].cause == "recreate: configuration changed: environment E changed"
    assert result[-1].cause == f"recreate: linked container {map_name}.app is recreated"
