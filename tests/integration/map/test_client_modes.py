"""Instances with per-instance host paths, and network modes (container, none, host) on a real engine."""

from __future__ import annotations

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.input import ItemType, MapConfigId
from tests.helpers import exec_in, mounts


def container_id(map_name: str, config: str, instance=None) -> MapConfigId:
    return MapConfigId(ItemType.CONTAINER, map_name, config, instance)


SLEEP = {"command": ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]}


def test_instances_and_network_modes(engine, base_image, cleanup, tmp_path):
    for instance in ("a", "b"):
        (tmp_path / instance).mkdir()
        (tmp_path / instance / "id.txt").write_text(f"instance {instance}\n")
    name = cleanup.name("modes")
    container_map = ContainerMap(
        name,
        {
            "app": {"image": base_image, "instances": ["a", "b"], "binds": ["data"], "create_options": SLEEP},
            "sidecar": {"image": base_image, "network_mode": "app.a", "create_options": SLEEP},
            "isolated": {"image": base_image, "network_mode": "none", "create_options": SLEEP},
            "hostnet": {"image": base_image, "network_mode": "host", "create_options": SLEEP},
            "volumes": {"data": "/data"},
            "host": {"data": {"a": str(tmp_path / "a"), "b": str(tmp_path / "b")}},
        },
    )
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url))
    api = engine.api

    results = client.startup(["sidecar", "isolated", "hostnet"])

    created = [r.config_id for r in results if r.action_type == "create"]
    assert created.index(container_id(name, "app", "a")) < created.index(container_id(name, "sidecar", None))
    assert container_id(name, "app", "b") not in created  # not a dependency of anything requested
    client.startup("app")
    for instance in ("a", "b"):
        container = f"{name}.app.{instance}"
        assert mounts(api, container)["/data"]["Source"] == str(tmp_path / instance)
        assert exec_in(api, container, "cat /data/id.txt") == f"instance {instance}"
    app_a = api.inspect_container(f"{name}.app.a")
    assert api.inspect_container(f"{name}.sidecar")["HostConfig"]["NetworkMode"] == f"container:{app_a['Id']}"
    assert exec_in(api, f"{name}.sidecar", "hostname") == app_a["Config"]["Hostname"]
    assert api.inspect_container(f"{name}.isolated")["HostConfig"]["NetworkMode"] == "none"
    assert exec_in(api, f"{name}.isolated", "ls /sys/class/net") == "lo"
    assert api.inspect_container(f"{name}.hostnet")["HostConfig"]["NetworkMode"] == "host"
    assert str(client.plan("update", "__all__")) == "nothing to do"

    results = client.shutdown("app", instances=["a"])

    removed = [
        r.config_id
        for r in results
        if r.action_type == "remove" and r.config_id.config_type is ItemType.CONTAINER
    ]
    assert removed == [container_id(name, "sidecar", None), container_id(name, "app", "a")]
    remaining = {
        c["Names"][0].lstrip("/") for c in api.containers(filters={"label": f"io.dockermap.map={name}"})
    }
    assert remaining == {f"{name}.app.b", f"{name}.isolated", f"{name}.hostnet"}
