"""The runner with records built by the desired step from a container map: the pieces fit together."""

from __future__ import annotations

from dockermap.client.base import DockerClientWrapper
from dockermap.map.config.client import ClientConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.desired import DesiredBuilder
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action
from dockermap.map.runner import Runner
from tests.helpers import fetch, free_port
from tests.integration.map.test_runner import exec_output

CLIENT = "__default__"


def test_map_items_created_prepared_started_and_removed(engine, base_image, cleanup):
    api = engine.api
    port = free_port()
    container_map = ContainerMap(
        cleanup.name("m"),
        {
            "web": {
                "image": base_image,
                "attaches": "data",
                "user": 2000,
                "permissions": "u=rwX,g=rX,o=",
                "exposes": {8080: (port, "lo")},
                "networks": {"net": {"aliases": ["www"]}},
                "create_options": {
                    "command": ["httpd", "-f", "-p", "8080", "-h", "/data"],
                    "environment": {"ROLE": "web"},
                },
                "host_config": {"mem_limit": "64m"},
                "exec_commands": [(["sleep", "300"], 2000)],
                "stop_timeout": 2,
            },
            "volumes": {"data": "/data"},
            "networks": {"net": {}},
        },
    ).get_extended_map()
    clients = {CLIENT: ClientConfiguration(interfaces={"lo": "127.0.0.1"})}
    name = container_map.name
    ids = {
        "net": MapConfigId(ItemType.NETWORK, name, "net"),
        "data": MapConfigId(ItemType.VOLUME, name, "web", "data"),
        "web": MapConfigId(ItemType.CONTAINER, name, "web"),
    }
    desired = DesiredBuilder({name: container_map}, clients).items(ids.values())

    def actions(item, *kinds):
        record = desired[(CLIENT, ids[item])]
        return [Action(CLIENT, k, ids[item].config_type, ids[item], record.name, "test") for k in kinds]

    run = Runner({CLIENT: DockerClientWrapper(engine.base_url)}, desired)
    run.run(
        actions("net", "create")
        + actions("data", "create", "prepare")
        + actions("web", "create", "connect", "start", "exec")
    )

    web = f"{name}.web"
    assert exec_output(api, web, ["stat", "-c", "%u %a", "/data"]) == (0, "2000 750\n")
    assert exec_output(api, web, ["sh", "-c", "echo served from $ROLE > /data/index.html"])[0] == 0
    assert fetch(f"http://127.0.0.1:{port}/") == "served from web\n"
    detail = api.inspect_container(web)
    assert detail["HostConfig"]["Memory"] == 64 * 2**20
    assert "www" in detail["NetworkSettings"]["Networks"][f"{name}.net"]["Aliases"]
    assert detail["Config"]["Labels"]["io.dockermap.fingerprint"] == desired[(CLIENT, ids["web"])].fingerprint
    assert ["2000", "sleep 300"] in [[p[0], p[-1]] for p in api.top(web)["Processes"]]

    results = run.run(actions("web", "stop", "remove") + actions("data", "remove") + actions("net", "remove"))

    assert [r.action_type for r in results] == ["stop", "remove", "remove", "remove"]
    assert not api.containers(all=True, filters={"name": web})
    assert not api.volumes(filters={"name": f"{name}.data"})["Volumes"]
    assert not api.networks(names=[f"{name}.net"])
