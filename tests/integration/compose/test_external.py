"""External and explicitly named volumes and networks of a Compose file on the real engine."""

from __future__ import annotations

import textwrap

import pytest

from dockermap.api import ClientConfiguration, MappingDockerClient
from dockermap.compose import load_compose
from tests import helpers

STACK = """\
name: {project}
services:
  app:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3600 & wait"
    volumes: [data:/data, cache:/cache]
    networks: [outside, default]
    stop_grace_period: 1s
volumes:
  data: {{external: true, name: {data}}}
  cache: {{name: {cache}}}
networks:
  outside: {{external: true, name: {network}}}
"""


def test_external_items_are_used_never_created_or_removed(engine, base_image, cleanup, tmp_path):
    project = cleanup.name("ext")
    data, network, cache = cleanup.name("ext-data"), cleanup.name("ext-net"), cleanup.name("named-cache")
    path = tmp_path / "compose.yaml"
    text = STACK.format(project=project, image=base_image, data=data, cache=cache, network=network)
    path.write_text(textwrap.dedent(text))
    client = MappingDockerClient(
        load_compose(str(path), env={}), ClientConfiguration(base_url=engine.base_url)
    )

    with pytest.raises(ValueError) as info:
        client.startup("__all__")
    assert f"volume {data!r}" in str(info.value) and f"network {network!r}" in str(info.value)
    assert not engine.api.containers(all=True, filters={"name": project})
    assert not engine.api.volumes(filters={"name": cache}).get("Volumes")

    engine.api.create_volume(data, labels=cleanup.labels)
    engine.api.create_network(network, labels=cleanup.labels)
    client.startup("__all__")
    app = f"{project}-app-1"
    mounts = helpers.mounts(engine.api, app)
    assert (mounts["/data"]["Name"], mounts["/cache"]["Name"]) == (data, cache)
    assert set(engine.api.inspect_container(app)["NetworkSettings"]["Networks"]) == {
        network,
        f"{project}_default",
    }
    assert "com.docker.compose.project" in engine.api.inspect_volume(cache)["Labels"]
    assert list(client.plan("update", "__all__")) == []

    client.shutdown("__all__", remove_attached=True)
    assert not engine.api.containers(all=True, filters={"name": project})
    assert not engine.api.volumes(filters={"name": cache}).get("Volumes")
    # the external ones are still there, as they were made
    assert engine.api.inspect_volume(data)["Labels"] == cleanup.labels
    assert engine.api.inspect_network(network)["Labels"] == cleanup.labels
