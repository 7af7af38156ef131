"""Acceptance: containers and attached volumes a map no longer configures are reported and, on request,
removed (``remove_orphans``, per call or as a default; volumes only with ``remove_attached``)."""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient

SLEEPER = {
    "image": "/busybox",
    "create_options": {"command": "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""},
}


@pytest.fixture
def deploy(engine, base_image, cleanup):
    """``deploy(containers, **options)``: a client for the same map name with these configurations."""
    name = cleanup.name("orph")

    def make(containers: dict, **option_defaults) -> MappingDockerClient:
        config = {"volumes": {"data": "/data"}, **containers}
        return MappingDockerClient(
            ContainerMap(name, config),
            ClientConfiguration(base_url=engine.base_url),
            option_defaults=option_defaults,
        )

    make.map_name = name
    return make


def container_names(api, map_name: str) -> set:
    found = api.containers(all=True, filters={"name": f"{map_name}."})
    return {n.lstrip("/") for c in found for n in c["Names"] if n.lstrip("/").startswith(f"{map_name}.")}


def volume_exists(api, name: str) -> bool:
    return any(v["Name"] == name for v in api.volumes(filters={"name": name})["Volumes"] or ())


def test_a_removed_instance_is_reported_and_removed_only_with_remove_orphans(engine, deploy):
    m = deploy.map_name
    deploy({"app": {**SLEEPER, "instances": ["a", "b", "c"]}}).startup("app")
    client = deploy({"app": {**SLEEPER, "instances": ["a", "b"]}})

    plan = client.plan("update", "__all__")
    assert str(plan) == (
        f"orphan container {m}.app.c: instance 'c' of {m}.app is no longer configured "
        "(remove_orphans=True removes it)"
    )
    assert client.update("__all__") == []
    assert client.shutdown("app", instances=["a"]) and f"{m}.app.c" in container_names(engine.api, m)

    results = client.update("__all__", remove_orphans=True)
    assert [(r.config_id.instance_name, r.action_type) for r in results][:2] == [
        ("c", "stop"),
        ("c", "remove"),
    ]
    assert container_names(engine.api, m) == {f"{m}.app.a", f"{m}.app.b"}
    assert str(client.plan("update", "__all__")) == "nothing to do"


def test_a_removed_configuration_goes_with_shutdown_its_volume_only_with_remove_attached(engine, deploy):
    m = deploy.map_name
    deploy({"web": SLEEPER, "old": {**SLEEPER, "attaches": ["data"]}}).startup("__all__")
    assert volume_exists(engine.api, f"{m}.data")
    client = deploy({"web": SLEEPER}, remove_orphans=True)

    client.shutdown("__all__")
    assert container_names(engine.api, m) == set()
    assert volume_exists(engine.api, f"{m}.data")
    assert str(client.plan("shutdown", "__all__")) == (
        f"orphan volume {m}.data: attached volume 'data' of {m}.old is no longer configured "
        "(remove_orphans=True with remove_attached=True removes it)"
    )

    client.shutdown("__all__", remove_attached=True)
    assert not volume_exists(engine.api, f"{m}.data")
