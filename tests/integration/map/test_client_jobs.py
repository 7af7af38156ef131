"""Acceptance: ``persistent`` jobs run once under ``startup`` and ``update`` alike, and per-instance host
paths fall back to their ``default`` entry (a missing one is an integrity problem)."""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import MapIntegrityError
from tests.helpers import mounts
from tests.integration.map.test_client_orphans import SLEEPER


def client_for(engine, container_map: ContainerMap) -> MappingDockerClient:
    return MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url))


def test_startup_does_not_run_a_finished_persistent_job_again(engine, base_image, cleanup):
    job = {"image": "/busybox", "create_options": {"command": "true"}, "persistent": True}
    container_map = ContainerMap(cleanup.name("job"), {"job": job})
    client, name = client_for(engine, container_map), f"{container_map.name}.job"
    client.startup("job")
    assert engine.api.wait(name)["StatusCode"] == 0
    finished = engine.api.inspect_container(name)["State"]["FinishedAt"]

    assert str(client.plan("startup", "job")) == "nothing to do"
    assert client.startup("job") == []
    assert str(client.plan("update", "job")) == "nothing to do"
    assert engine.api.inspect_container(name)["State"]["FinishedAt"] == finished
    assert [r.action_type for r in client.remove("job")] == ["remove"]  # remove_persistent defaults to True


def test_instances_without_their_own_host_path_use_the_default(engine, base_image, cleanup, tmp_path):
    for path in ("one", "shared"):
        (tmp_path / path).mkdir()
    config = {
        "host_root": str(tmp_path),
        "volumes": {"data": "/data"},
        "host": {"data": {"a": "one", "default": "shared"}},
        "app": {**SLEEPER, "instances": ["a", "b", "c"], "binds": ["data"]},
    }
    container_map = ContainerMap(cleanup.name("hp"), config)
    client_for(engine, container_map).startup("app")

    sources = {i: mounts(engine.api, f"{container_map.name}.app.{i}")["/data"]["Source"] for i in "abc"}
    assert sources == {
        "a": str(tmp_path / "one"),
        "b": str(tmp_path / "shared"),
        "c": str(tmp_path / "shared"),
    }

    del config["host"]["data"]["default"]
    with pytest.raises(
        MapIntegrityError, match=r"app\.binds.*no host path for instance 'b' of volume 'data'"
    ):
        ContainerMap(cleanup.name("hp2"), config)
