"""A configuration's ``container_name`` on the real engine: the container is created, found, updated and
removed under that name; a renamed configuration's container under its old name is replaced, with the
data of its ``shares`` (a persistent one is kept by a shutdown without ``remove_persistent``), and
stopped or signalled by ``stop`` and ``signal``; a name taken by another container is refused before
anything changes."""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import MapIntegrityError
from tests.helpers import exec_in

SLEEPER = {
    "image": "/busybox",
    "create_options": {"command": "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""},
    "stop_timeout": 1,
}


@pytest.fixture
def deploy(engine, base_image, cleanup):
    """``deploy(web_settings)``: a client of one map (``web`` depends on and links ``db``)."""
    name = cleanup.name("cname")

    def container_map(**web) -> ContainerMap:
        return ContainerMap(
            name, {"db": dict(SLEEPER), "web": {**SLEEPER, "links": "db", "depends_on": ["db"], **web}}
        )

    def make(**web) -> MappingDockerClient:
        return MappingDockerClient(container_map(**web), ClientConfiguration(base_url=engine.base_url))

    make.map_name = name
    make.map = container_map
    return make


def containers(api, map_name: str) -> dict:
    """Name → (state, environment) of every container of the map (found by its labels)."""
    found = api.containers(all=True, filters={"label": f"io.dockermap.map={map_name}"})
    result = {}
    for entry in found:
        info = api.inspect_container(entry["Id"])
        result[info["Name"].lstrip("/")] = (info["State"]["Status"], info["Config"]["Env"] or [])
    return result


def test_startup_update_and_shutdown_under_the_configured_name(engine, deploy, cleanup):
    m, www = deploy.map_name, cleanup.name("www")
    client = deploy(container_name=www)

    client.startup("web")
    found = containers(engine.api, m)
    assert {name: state for name, (state, _) in found.items()} == {www: "running", f"{m}.db": "running"}
    web = engine.api.inspect_container(www)
    assert web["Config"]["Labels"]["io.dockermap.config"] == "web"
    assert web["Config"]["Hostname"] == www
    assert web["HostConfig"]["Links"] == [f"/{m}.db:/{www}/db"]
    assert list(client.plan("update", "web")) == []

    changed = deploy(
        container_name=www, create_options={**SLEEPER["create_options"], "environment": {"V": "2"}}
    )
    plan = changed.plan("update", "web")
    assert [(action.kind, action.name) for action in plan] == [
        ("stop", www),
        ("remove", www),
        ("create", www),
        ("start", www),
    ]
    changed.update("web")
    assert engine.api.inspect_container(www)["Id"] != web["Id"]
    assert "V=2" in containers(engine.api, m)[www][1]
    assert changed.list_persistent_containers() == []

    changed.shutdown("__all__")
    assert containers(engine.api, m) == {}


def test_a_renamed_configuration_replaces_its_container(engine, deploy, cleanup):
    m, www = deploy.map_name, cleanup.name("www")
    deploy().startup("web")
    old_id = engine.api.inspect_container(f"{m}.web")["Id"]

    renamed = deploy(container_name=www)
    plan = renamed.plan("update", "web")
    assert [(action.kind, action.name, action.cause) for action in plan][:2] == [
        ("stop", f"{m}.web", f"container configuration {m}.web is named {www!r} now"),
        ("remove", f"{m}.web", f"container configuration {m}.web is named {www!r} now"),
    ]
    renamed.update("web")
    assert {name: state for name, (state, _) in containers(engine.api, m).items()} == {
        www: "running",
        f"{m}.db": "running",
    }
    assert engine.api.inspect_container(www)["Id"] != old_id
    assert list(renamed.plan("update", "web")) == []

    # back to the derived name: shutdown removes the configuration's container under its old name too
    deploy().shutdown("__all__")
    assert containers(engine.api, m) == {}


def test_a_renamed_configuration_keeps_the_data_of_its_shares(engine, deploy, cleanup):
    m, www = deploy.map_name, cleanup.name("www")
    deploy(shares=["/cache"]).startup("web")
    exec_in(engine.api, f"{m}.web", "echo kept > /cache/file")
    volume = [mount["Name"] for mount in engine.api.inspect_container(f"{m}.web")["Mounts"]]

    renamed = deploy(container_name=www, shares=["/cache"])
    renamed.update("web")
    assert exec_in(engine.api, www, "cat /cache/file") == "kept"
    assert [mount["Name"] for mount in engine.api.inspect_container(www)["Mounts"]] == volume

    renamed.shutdown("__all__", remove_attached=True)
    assert containers(engine.api, m) == {}
    assert engine.api.volumes(filters={"name": volume[0]})["Volumes"] in (None, [])


def test_a_renamed_persistent_container_is_kept_without_remove_persistent(engine, deploy, cleanup):
    m, www = deploy.map_name, cleanup.name("www")
    deploy(persistent=True).startup("web")
    old_id = engine.api.inspect_container(f"{m}.web")["Id"]

    renamed = deploy(container_name=www, persistent=True)
    renamed.shutdown("web", remove_persistent=False)
    assert engine.api.inspect_container(f"{m}.web")["Id"] == old_id
    assert containers(engine.api, m)[f"{m}.web"][0] == "exited"

    renamed.shutdown("__all__")  # remove_persistent is the default
    assert containers(engine.api, m) == {}


def test_stop_and_signal_reach_a_renamed_configuration_container_under_its_old_name(engine, deploy, cleanup):
    m, www = deploy.map_name, cleanup.name("www")
    deploy().startup("web")
    renamed = deploy(container_name=www)

    renamed.signal("web", signal="SIGTERM")  # the sleeper exits on TERM
    engine.api.wait(f"{m}.web", timeout=30)
    assert containers(engine.api, m)[f"{m}.web"][0] == "exited"

    engine.api.start(f"{m}.web")
    renamed.stop("web")
    assert {name: state for name, (state, _) in containers(engine.api, m).items()} == {
        f"{m}.web": "exited",
        f"{m}.db": "running",
    }
    renamed.shutdown("__all__")
    assert containers(engine.api, m) == {}


def test_a_name_taken_by_a_container_of_another_map_is_refused_first(engine, deploy, cleanup):
    other = ContainerMap(
        cleanup.name("other"), {"admin": {**SLEEPER, "container_name": f"{deploy.map_name}.db"}}
    )
    client = MappingDockerClient([deploy.map(), other], ClientConfiguration(base_url=engine.base_url))
    with pytest.raises(MapIntegrityError) as info:
        client.startup("__all__", map_name=other.name)
    assert [str(problem) for problem in info.value.problems] == [
        f"{other.name}.admin: the container 'admin' of map {other.name!r} would get the container name "
        f"'{deploy.map_name}.db', the same as the container 'db' of map {deploy.map_name!r} of "
        f"{deploy.map_name}.db; rename one of them"
    ]
    assert containers(engine.api, deploy.map_name) == containers(engine.api, other.name) == {}
