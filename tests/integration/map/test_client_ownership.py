"""Ownership on a real engine: objects under the map's names that dockermap did not create are refused
before anything changes, adopted only on request, and never removed by ``remove``/``shutdown``."""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import ForeignObjectError
from dockermap.map.input import ItemType
from dockermap.map.labels import item_labels
from tests.helpers import exec_in

SLEEP = {"command": ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]}


def app_map(name: str, base_image: str, **properties) -> ContainerMap:
    """One container ``app`` attaching the volume ``data`` and connected to the network ``net``."""
    return ContainerMap(
        name,
        {
            "app": {"image": base_image, "attaches": "data", "networks": "net", "create_options": SLEEP},
            "volumes": {"data": "/data"},
            "networks": {"net": {}},
            **properties,
        },
    )


def mapping_client(container_map, engine, **kwargs) -> MappingDockerClient:
    return MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url), **kwargs)


def engine_objects(api, name: str) -> dict:
    """Ids of the containers, volumes and networks whose names start with ``name.``."""
    prefix = f"{name}."
    containers = {c["Names"][0].lstrip("/"): c["Id"] for c in api.containers(all=True)}
    volumes = {v["Name"]: v["Name"] for v in api.volumes().get("Volumes") or ()}
    networks = {n["Name"]: n["Id"] for n in api.networks()}
    return {
        kind: {key: value for key, value in found.items() if key.startswith(prefix)}
        for kind, found in (("container", containers), ("volume", volumes), ("network", networks))
    }


def test_unlabelled_container_is_refused_before_anything_changes(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("own")
    by_hand = api.create_container(base_image, name=f"{name}.app", labels=cleanup.labels, **SLEEP)["Id"]
    api.start(by_hand)
    client = mapping_client(app_map(name, base_image), engine)
    before = engine_objects(api, name)

    for action in ("startup", "update", "shutdown"):
        with pytest.raises(ForeignObjectError) as raised:
            client.call(action, "app")
        assert f"container {name}.app has no dockermap labels" in str(raised.value)
        assert "adopt_unlabelled=True" in str(raised.value)
        assert engine_objects(api, name) == before
    assert api.inspect_container(by_hand)["State"]["Running"]
    with pytest.raises(ForeignObjectError):
        client.plan("stop", "app")


def test_objects_of_another_client_are_refused(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("own")
    first = MappingDockerClient(
        app_map(name, base_image, clients=["one"]),
        clients={"one": ClientConfiguration(base_url=engine.base_url)},
    )
    first.startup("app")
    before = engine_objects(api, name)
    second = MappingDockerClient(
        app_map(name, base_image, clients=["two"]),
        clients={"two": ClientConfiguration(base_url=engine.base_url)},
    )

    with pytest.raises(ForeignObjectError) as raised:
        second.update("app")

    message = str(raised.value)
    for kind, item in (("container", "app"), ("volume", "data"), ("network", "net")):
        assert f"{kind} {name}.{item} on client two belongs to map '{name}'" in message
    assert "client 'one'" in message
    assert "adopt_unlabelled" not in message  # labelled objects cannot be adopted
    with pytest.raises(ForeignObjectError):
        second.update("app", adopt_unlabelled=True)
    assert engine_objects(api, name) == before


def test_adopted_volume_is_used_and_never_removed(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("own")
    volume = f"{name}.data"
    api.create_volume(volume, labels=cleanup.labels)
    seed = api.create_container(
        base_image,
        ["sh", "-c", "echo kept > /data/file"],
        host_config=api.create_host_config(binds=[f"{volume}:/data"]),
        labels=cleanup.labels,
    )
    api.start(seed)
    api.wait(seed)
    api.remove_container(seed)
    client = mapping_client(app_map(name, base_image), engine)

    client.startup("app", adopt_unlabelled=True)

    assert exec_in(api, f"{name}.app", "cat /data/file") == "kept"
    results = client.shutdown("app", remove_attached=True, adopt_unlabelled=True)
    skipped = [(r.config_id.config_type, r.action_type) for r in results if r.action_type == "skip"]
    assert skipped == [(ItemType.VOLUME, "skip")]
    assert api.inspect_volume(volume)["Name"] == volume
    assert engine_objects(api, name)["container"] == {}


def test_adoption_as_map_and_client_default(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("own")
    api.create_network(f"{name}.net", labels=cleanup.labels)

    with pytest.raises(ForeignObjectError):
        mapping_client(app_map(name, base_image), engine).plan("startup", "app")
    by_map = mapping_client(app_map(name, base_image, adopt_unlabelled=True), engine)
    by_default = mapping_client(app_map(name, base_image), engine, option_defaults={"adopt_unlabelled": True})
    for client in (by_map, by_default):
        plan = client.plan("startup", "app")
        assert [(a.kind, a.name) for a in plan if a.item_type is ItemType.NETWORK] == []
    with pytest.raises(ForeignObjectError):
        by_map.plan("startup", "app", adopt_unlabelled=False)  # the call wins over the map


def test_shutdown_keeps_volumes_and_networks_of_another_owner(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("own")
    owner = item_labels(ItemType.VOLUME, "other-map", "db", "data", "__default__")
    api.create_volume(f"{name}.data", labels={**owner, **cleanup.labels})
    client = mapping_client(app_map(name, base_image), engine)

    with pytest.raises(ForeignObjectError) as raised:
        client.startup("app")
    assert f"volume {name}.data belongs to map 'other-map', config 'db', instance 'data'" in str(raised.value)

    results = client.shutdown("app", remove_attached=True)

    assert [(r.config_id.instance_name, r.action_type) for r in results] == [("data", "skip")]
    assert str(client.plan("shutdown", "app", remove_attached=True)) == (
        f"skip volume {name}.data: kept, not removed: it belongs to map 'other-map', config 'db', "
        "instance 'data', client '__default__', kind 'volume'"
    )
    assert api.inspect_volume(f"{name}.data")["Labels"]["io.dockermap.map"] == "other-map"


def test_adopted_volume_is_never_recreated(engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("own")
    api.create_volume(f"{name}.data", labels=cleanup.labels)
    tmpfs = {"default_path": "/data", "driver_options": {"type": "tmpfs", "device": "tmpfs"}}
    client = mapping_client(app_map(name, base_image, volumes={"data": tmpfs}), engine)
    before = engine_objects(api, name)

    with pytest.raises(ForeignObjectError) as raised:
        client.update("app", adopt_unlabelled=True, recreate_volumes="discard")

    assert f"volume {name}.data has no dockermap labels" in str(raised.value)
    assert "adopted, it is never removed (asked for: recreate: driver option" in str(raised.value)
    assert engine_objects(api, name) == before
