"""Early validation on a real engine: what the engine would refuse half-way through a ``startup`` (after
networks and volumes exist) is refused before the first engine call, with its location."""

from __future__ import annotations

import docker
import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.client.base import DockerClientWrapper
from dockermap.map.config.engine_names import network_name_problem, volume_name_problem
from dockermap.map.exceptions import MapIntegrityError
from tests.integration.map.test_client_ownership import SLEEP, app_map, engine_objects

NOTHING = {"container": {}, "volume": {}, "network": {}}


def refused_locations(build) -> list:
    """Locations of the problems ``build()`` (which makes a client and starts ``app``) is refused with."""
    with pytest.raises(MapIntegrityError) as raised:
        build()
    return [problem.location for problem in raised.value.problems]


@pytest.mark.parametrize(
    "setting, key",
    [
        ({"stop_timeout": 1.5}, "stop_timeout"),
        ({"healthcheck": {"test": "true", "interval": "500us"}}, "healthcheck"),
        ({"exposes": [(80, 70000)]}, "exposes"),
        ({"instances": ["one two"]}, "instances"),
    ],
)
def test_values_the_engine_refuses(engine, base_image, cleanup, setting, key):
    name = cleanup.name("valid")

    def build():
        container_map = app_map(name, base_image)
        container_map.merge({"app": setting})
        container_map.check_integrity()
        MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url)).startup("app")

    assert refused_locations(build) == [f"{name}.app.{key}"]
    assert engine_objects(engine.api, name) == NOTHING


def test_names_of_two_maps_that_collide(engine, base_image, cleanup):
    name = cleanup.name("valid")
    first = ContainerMap(f"{name}.a", {"b": {"image": base_image, "create_options": SLEEP}})
    second = ContainerMap(name, {"a.b": {"image": base_image, "create_options": SLEEP}})
    client = MappingDockerClient([first, second], ClientConfiguration(base_url=engine.base_url))

    assert refused_locations(lambda: client.startup("b", map_name=f"{name}.a")) == [f"{name}.a.b"]
    assert engine_objects(engine.api, name) == NOTHING


def _engine_takes(create, remove, name: str) -> bool:
    """Whether the engine creates an object named ``name`` (removed again at once)."""
    try:
        create(name)
    except docker.errors.APIError:
        return False
    remove(name)
    return True


def test_the_name_rules_of_volumes_and_networks_agree_with_the_engine(engine, cleanup):
    """What the map check refuses as a configured ``name`` is exactly what the engine refuses to create."""
    prefix = cleanup.name("")
    api = engine.api
    for name in (
        f"{prefix}data",
        f"{prefix}my data",
        f"{prefix}a/b",
        f"{prefix}ä",
        "x",
        f"-{prefix}",
        f"_{prefix}",
    ):
        refused = volume_name_problem(name)
        assert (refused is None) == _engine_takes(api.create_volume, api.remove_volume, name), (name, refused)
    for name in (
        f"{prefix}my net/1",
        f"{prefix}ä",
        f"_{prefix}",
        f"{prefix}x:y",
        " ",
        "",
        "bridge",
        "host",
        "none",
    ):
        refused = network_name_problem(name)
        assert (refused is None) == _engine_takes(api.create_network, api.remove_network, name), (
            name,
            refused,
        )


def test_unknown_client_setting(engine, base_image, cleanup):
    name = cleanup.name("valid")
    config = ClientConfiguration(base_url=engine.base_url, stop_timout=1)
    client = MappingDockerClient(app_map(name, base_image), config)

    assert refused_locations(lambda: client.startup("app")) == ["clients.__default__.stop_timout"]
    assert engine_objects(engine.api, name) == NOTHING


class DeployClient(DockerClientWrapper):
    """A client whose constructor takes a setting of its own."""

    def __init__(self, base_url=None, ssh_key=None, **kwargs):
        super().__init__(base_url, **kwargs)
        self.ssh_key = ssh_key


class DeployConfiguration(ClientConfiguration):
    init_kwargs = ClientConfiguration.init_kwargs + ("ssh_key",)
    client_constructor = DeployClient


def test_subclass_with_further_init_kwargs_runs(engine, base_image, cleanup):
    name = cleanup.name("valid")
    config = DeployConfiguration(base_url=engine.base_url, ssh_key="id_ed25519")

    MappingDockerClient(app_map(name, base_image), config).startup("app")

    assert config.client.ssh_key == "id_ed25519"
    assert engine.api.inspect_container(f"{name}.app")["State"]["Running"]
