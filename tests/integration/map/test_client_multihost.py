"""Acceptance: a map with ``clients`` runs on two Docker hosts, each client with its own interfaces.

The second host is an engine in its own network namespace. On the main engine the published port is
bound to 127.0.0.1 and served to a request; on the second engine the configured address is its own
loopback address 127.0.0.2, checked in the container's port bindings (no traffic crosses namespaces).
"""

from __future__ import annotations

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.input import ItemType
from tests.helpers import exec_in, fetch, free_port, remove_test_objects

ADDRESSES = {"one": "127.0.0.1", "two": "127.0.0.2"}


@pytest.fixture
def hosts(engine, second_engine, base_image, second_base_image, cleanup):
    """The two engines by client name; this test's objects are removed from both afterwards."""
    yield {"one": engine, "two": second_engine}
    remove_test_objects(second_engine.api, cleanup)


def two_host_map(name: str, port: int) -> ContainerMap:
    """``web`` serves its host name on ``port`` of interface ``public`` and uses ``app``'s volume."""
    return ContainerMap(
        name,
        {
            "clients": ["one", "two"],
            "app": {
                "image": "/busybox",
                "attaches": "data",
                "user": 2000,
                "permissions": "u=rwX,g=rX,o=",
                "create_options": {"command": "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""},
            },
            "web": {
                "image": "/busybox",
                "uses": "data",
                "links": "app",
                "exposes": [(8080, port, "public")],
                "create_options": {
                    "command": "sh -c \"trap 'exit 0' TERM; mkdir -p /www; hostname > /www/index.html; "
                    'httpd -f -p 8080 -h /www & wait"'
                },
            },
            "volumes": {"data": "/data"},
        },
    )


@pytest.fixture
def deployment(hosts, cleanup):
    port = free_port()
    container_map = two_host_map(cleanup.name("mh"), port)
    clients = {
        name: ClientConfiguration(base_url=eng.base_url, interfaces={"public": ADDRESSES[name]})
        for name, eng in hosts.items()
    }
    return container_map, MappingDockerClient(container_map, clients=clients), port


def _names(api) -> set:
    return {n[1:] for c in api.containers(all=True) for n in c["Names"] if "/" not in n[1:]}


def test_startup_deploys_to_both_clients_in_dependency_order(hosts, deployment):
    container_map, client, _ = deployment
    results = client.startup("web")
    for name in hosts:
        created = [
            r.config_id.config_name
            for r in results
            if r.client_name == name
            and r.action_type == "create"
            and r.config_id.config_type is ItemType.CONTAINER
        ]
        assert created == ["app", "web"]
    for eng in hosts.values():
        assert {f"{container_map.name}.app", f"{container_map.name}.web"} <= _names(eng.api)
        for config in ("app", "web"):
            assert eng.api.inspect_container(f"{container_map.name}.{config}")["State"]["Running"] is True
        assert exec_in(eng.api, f"{container_map.name}.web", "stat -c '%u %a' /data") == "2000 750"
    assert str(client.plan("update", "web")) == "nothing to do"


def test_each_client_publishes_on_its_interface_address(hosts, deployment):
    container_map, client, port = deployment
    client.startup("web")
    for name, eng in hosts.items():
        bindings = eng.api.inspect_container(f"{container_map.name}.web")["HostConfig"]["PortBindings"]
        assert bindings == {"8080/tcp": [{"HostIp": ADDRESSES[name], "HostPort": str(port)}]}
    assert fetch(f"http://127.0.0.1:{port}/index.html") == f"{container_map.name}-web-one\n"


def test_host_names_carry_the_client_name(hosts, deployment):
    container_map, client, _ = deployment
    client.startup("web")
    for name, eng in hosts.items():
        for config in ("app", "web"):
            details = eng.api.inspect_container(f"{container_map.name}.{config}")
            assert details["Config"]["Hostname"] == f"{container_map.name}-{config}-{name}"


def test_shutdown_removes_from_both_and_keeps_the_volumes(hosts, deployment):
    container_map, client, _ = deployment
    client.startup("web")
    results = client.shutdown("app")
    for name, eng in hosts.items():
        removed = [
            r.config_id.config_name
            for r in results
            if r.client_name == name
            and r.action_type == "remove"
            and r.config_id.config_type is ItemType.CONTAINER
        ]
        assert removed == ["web", "app"]
        assert not {n for n in _names(eng.api) if n.startswith(container_map.name + ".")}
        volumes = {v["Name"] for v in eng.api.volumes().get("Volumes") or ()}
        assert f"{container_map.name}.data" in volumes
