"""Images from a registry: startup pulls what is missing, ``update(pull_before_update=True)`` pulls and then
recreates the containers whose image changed, in one call (a local registry; nothing else is reachable)."""

from __future__ import annotations

import pytest

import dockermap.map.client
import dockermap.map.plan.generate
import dockermap.map.runner.base
from dockermap.api import ClientConfiguration, ContainerMap, DockerClientWrapper, MappingDockerClient
from tests.helpers import build_image

COMMAND = 'FROM busybox:latest\nCMD ["sh", "-c", "trap \'exit 0\' TERM; sleep 3600 & wait"]\n'


@pytest.fixture
def pushed(engine, base_image, cleanup, registry):
    """``(repository, push(extra) -> image id)``: builds an image, pushes it as ``repository:latest``."""
    repository = f"{registry.host}/{cleanup.name('repo')}/app"
    wrapper = DockerClientWrapper(engine.base_url)
    assert wrapper.login(registry.username, registry.password, registry=registry.host)

    def push(extra: str = "") -> str:
        image_id = build_image(engine.api, f"{repository}:latest", COMMAND + extra, labels=cleanup.labels)
        assert wrapper.push(repository, tag="latest")
        return image_id

    yield repository, push
    wrapper.close()


def mapping_client(engine, cleanup, registry, repository) -> MappingDockerClient:
    container_map = ContainerMap(cleanup.name("pull"), {"app": {"image": repository}})
    auth = {registry.host: {"username": registry.username, "password": registry.password}}
    configuration = ClientConfiguration(base_url=engine.base_url, auth_configs=auth)
    return MappingDockerClient(container_map, configuration)


def test_startup_pulls_a_missing_image(engine, cleanup, registry, pushed):
    repository, push = pushed
    image_id = push()
    engine.api.remove_image(f"{repository}:latest")
    client = mapping_client(engine, cleanup, registry, repository)

    assert [a.kind for a in client.plan("startup", "app")] == ["pull", "create", "start"]
    client.startup("app")

    container = engine.api.inspect_container(f"{client.default_map}.app")
    assert container["Image"] == image_id
    assert container["State"]["Running"]


def counting(monkeypatch, module, name: str) -> list:
    """Replace ``module.name`` by a wrapper that records each call; returns the list of calls."""
    calls = []
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_update_pulls_first_and_recreates_on_the_new_image(engine, cleanup, registry, pushed, monkeypatch):
    repository, push = pushed
    old_id = push()
    client = mapping_client(engine, cleanup, registry, repository)
    client.startup("app")
    name = f"{client.default_map}.app"
    old_container = engine.api.inspect_container(name)["Id"]
    new_id = push("LABEL version=2\n")
    engine.api.tag(old_id, repository, "latest")  # the engine still has the old image under the tag

    observed = counting(monkeypatch, dockermap.map.client, "observe")
    planned = counting(monkeypatch, dockermap.map.client, "plan")
    ordered = counting(monkeypatch, dockermap.map.plan.generate, "action_dependencies")
    reordered = counting(monkeypatch, dockermap.map.runner.base, "action_dependencies")
    results = client.update("app", pull_before_update=True)

    assert [r.action_type for r in results] == ["pull", "stop", "remove", "create", "start"]
    # observed and planned once: the plan is made after the pull, against the pulled image; the order of
    # its actions is decided by the plan alone
    assert (len(observed), len(planned), len(ordered), len(reordered)) == (1, 1, 1, 0)
    container = engine.api.inspect_container(name)
    assert container["Id"] != old_container
    assert container["Image"] == new_id
    assert str(client.plan("update", "app")) == "nothing to do"
