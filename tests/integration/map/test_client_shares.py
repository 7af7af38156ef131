"""Acceptance: the anonymous volumes of ``shares`` keep their data when their container is recreated and
go with it under ``remove_attached``; containers bound to a recreated one say how they are bound."""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from tests.helpers import exec_in, mounts
from tests.integration.map.test_client_orphans import SLEEPER


@pytest.fixture
def shared(engine, base_image, cleanup):
    """``cache`` shares a path; ``side`` shares its network stack, ``web`` uses its volumes."""
    container_map = ContainerMap(
        cleanup.name("sh"),
        {
            "cache": {**SLEEPER, "shares": ["/var/cache/app"]},
            "side": {**SLEEPER, "network_mode": "cache"},
            "web": {**SLEEPER, "uses": ["cache"]},
        },
    )
    return container_map.name, MappingDockerClient(
        container_map, ClientConfiguration(base_url=engine.base_url)
    )


def volume_exists(api, name: str) -> bool:
    return any(v["Name"] == name for v in api.volumes(filters={"name": name})["Volumes"] or ())


def test_recreating_keeps_shared_data_and_remove_attached_removes_it(engine, shared):
    m, client = shared
    api, cache = engine.api, f"{m}.cache"
    client.startup("cache")
    exec_in(api, cache, "echo kept > /var/cache/app/mark")
    volume, first_id = mounts(api, cache)["/var/cache/app"]["Name"], api.inspect_container(cache)["Id"]

    client.update("cache", force_update="cache")

    assert api.inspect_container(cache)["Id"] != first_id
    assert mounts(api, cache)["/var/cache/app"]["Name"] == volume
    assert exec_in(api, cache, "cat /var/cache/app/mark") == "kept"
    assert str(client.plan("update", "cache")) == "nothing to do"

    client.shutdown("cache")
    assert volume_exists(api, volume)
    api.remove_volume(volume)  # anonymous: no name or label of the run that the cleanup would find
    client.startup("cache")
    fresh = mounts(api, cache)["/var/cache/app"]["Name"]
    client.shutdown("cache", remove_attached=True)
    assert not volume_exists(api, fresh)

    # A recreated container mounts the volume again by name, which the engine's removal leaves.
    client.startup("cache")
    fresh = mounts(api, cache)["/var/cache/app"]["Name"]
    client.update("cache", force_update="cache")
    assert mounts(api, cache)["/var/cache/app"]["Name"] == fresh
    client.shutdown("cache", remove_attached=True)
    assert not volume_exists(api, fresh)


def test_a_recreated_container_names_how_the_others_are_bound_to_it(shared):
    m, client = shared
    client.startup("__all__")

    text = str(client.plan("update", "__all__", force_update="cache"))

    recreate = f"recreate: container {m}.cache, whose"
    assert f"create container {m}.side: {recreate} network stack it shares, is recreated" in text
    assert f"create container {m}.web: {recreate} volumes it uses, is recreated" in text
    assert "linked container" not in text
