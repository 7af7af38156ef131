"""The order of a call's actions across maps, dependencies and clients, without an engine.

``MappingDockerClient`` observes through its clients' list calls; here every client is a fake engine
that holds nothing, so the plan of ``startup`` is the full ordered list of what the call creates.
"""

from __future__ import annotations

import docker.errors
import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.config.utils import ALL
from dockermap.map.input import ItemType, MapConfigId


class EmptyEngine:
    """Answers the list calls of observing as an engine with no containers, volumes, networks or images."""

    api_version = "1.41"

    def version(self):
        return {"ApiVersion": self.api_version}

    def containers(self, **kwargs):
        return []

    def volumes(self, **kwargs):
        return {"Volumes": None}

    def networks(self, **kwargs):
        return []

    def images(self, **kwargs):
        return []

    def inspect_image(self, image):
        raise docker.errors.ImageNotFound(f"No such image: {image}")


def clients(*names):
    return {name: ClientConfiguration(client=EmptyEngine()) for name in names}


def steps(plan):
    return [(action.client, action.kind, action.name) for action in plan]


MAP = {
    "clients": ["one", "two"],
    "web": {"image": "web", "uses": "socket", "links": "db"},
    "app": {"image": "app", "attaches": "socket"},
    "db": {"image": "db"},
    "volumes": {"socket": "/run/app"},
}


def test_startup_orders_dependencies_first_and_every_item_per_client():
    client = MappingDockerClient(ContainerMap("m", MAP), clients=clients("one", "two"))
    order = steps(client.plan("startup", "web"))

    for host in ("one", "two"):
        mine = [(verb, name) for c, verb, name in order if c == host]
        created = [name for verb, name in mine if verb == "create"]
        assert created.index("m.socket") < created.index("m.app") < created.index("m.web")
        assert created.index("m.db") < created.index("m.web")
        started = [name for verb, name in mine if verb == "start"]
        assert started.index("m.app") < started.index("m.web")
        assert started.index("m.db") < started.index("m.web")
        assert (
            mine.index(("create", "m.app")) < mine.index(("start", "m.app")) < mine.index(("create", "m.web"))
        )
        for name in ("app", "db", "web"):
            assert mine.index(("pull", f"{name}:latest")) < mine.index(("create", f"m.{name}"))
    assert {c for c, _, _ in order} == {"one", "two"}


def test_the_same_call_gives_the_same_order():
    first = steps(
        MappingDockerClient(ContainerMap("m", MAP), clients=clients("one", "two")).plan("startup", "web")
    )
    again = steps(
        MappingDockerClient(ContainerMap("m", MAP), clients=clients("one", "two")).plan("startup", "web")
    )
    assert first == again


def test_pull_images_checks_the_instances_it_is_given():
    config = {"clients": ["one"], "web": {"image": "web", "instances": ["a", "b"]}, "db": {"image": "db"}}
    client = MappingDockerClient(ContainerMap("m", config), clients=clients("one"))

    assert steps(client.plan("pull_images", "web", instances=["a"])) == [("one", "pull", "web:latest")]
    for name, instances in (("web", ["zz"]), ("db", ["a"])):
        with pytest.raises(ValueError, match=f"m.{name} has no instance {instances[0]!r}"):
            client.plan("pull_images", name, instances=instances)


def test_removing_calls_act_on_containers_before_volumes_and_networks():
    # The call decides the whole order; the plan walks the items in that order.
    container_map = ContainerMap(
        "m",
        {
            "web": {"image": "web", "attaches": "data", "networks": "net"},
            "volumes": {"data": "/data"},
            "networks": {"net": {}, "other": {}},
        },
    )
    client = MappingDockerClient(container_map, clients=clients("__default__"))
    ids = [MapConfigId(ItemType.NETWORK, "m", "other"), MapConfigId(ItemType.CONTAINER, "m", "web")]
    for action in ("remove", "shutdown"):
        order = [state.config_id.config_type for state in client.get_states(action, ids)]
        assert order == [ItemType.CONTAINER, ItemType.NETWORK]


class ImageCountingEngine(EmptyEngine):
    def __init__(self):
        self.image_reads = []

    def images(self, **kwargs):
        self.image_reads.append("list")
        return []

    def inspect_image(self, image):
        self.image_reads.append(image)
        return super().inspect_image(image)


def test_only_calls_that_handle_images_or_volumes_read_images_and_only_those_they_use():
    plain = {"clients": ["one"], "web": {"image": "web", "links": "db"}, "db": {"image": "db"}}
    with_volume = {**plain, "web": {"image": "web", "attaches": "data"}, "volumes": {"data": "/data"}}
    for config, action, reads in (
        (plain, "startup", ["db:latest", "web:latest"]),
        (plain, "update", ["db:latest", "web:latest"]),
        (plain, "stop", []),
        (plain, "shutdown", []),
        (with_volume, "shutdown", ["busybox:latest"]),
    ):
        engine = ImageCountingEngine()
        client = MappingDockerClient(
            ContainerMap("m", config), clients={"one": ClientConfiguration(client=engine)}
        )
        client.plan(action, "web")
        assert sorted(engine.image_reads) == reads, (action, config)


class BulkReadingEngine(ImageCountingEngine):
    reads_in_bulk = True  # as the command-line client


def test_a_client_reading_in_bulk_lists_the_images_only_for_calls_that_handle_images_or_volumes():
    config = {"clients": ["one"], "web": {"image": "web", "links": "db"}, "db": {"image": "db"}}
    for action, reads in (("update", ["list"]), ("stop", [])):
        engine = BulkReadingEngine()
        client = MappingDockerClient(
            ContainerMap("m", config), clients={"one": ClientConfiguration(client=engine)}
        )
        client.plan(action, "web")
        assert engine.image_reads == reads, action


def test_many_images_are_read_with_one_list():
    config = {"clients": ["one"], **{f"c{i}": {"image": f"image{i}"} for i in range(12)}}
    engine = ImageCountingEngine()
    client = MappingDockerClient(
        ContainerMap("m", config), clients={"one": ClientConfiguration(client=engine)}
    )
    client.plan("startup", "c0")
    client.plan("startup", ALL)
    assert engine.image_reads == ["image0:latest", "list"]
