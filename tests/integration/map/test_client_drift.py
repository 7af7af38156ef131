"""Acceptance: limits and restart policy changed behind dockermap's back (``docker update``) are found
and repaired in place with ``verify_containers`` (per call or as a default); the fast default compares
with what dockermap recorded and does not see them."""

from __future__ import annotations

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from tests.integration.map.test_client_orphans import SLEEPER

MB = 1024 * 1024
LIMITS = {"mem_limit": 64 * MB, "cpu_shares": 512, "restart_policy": {"Name": "unless-stopped"}}


def current(api, name: str) -> tuple:
    host = api.inspect_container(name)["HostConfig"]
    return host["Memory"], host["CpuShares"], host["RestartPolicy"]["Name"]


def test_verify_containers_repairs_limits_changed_by_hand(engine, base_image, cleanup):
    container_map = ContainerMap(cleanup.name("drift"), {"app": {**SLEEPER, "host_config": LIMITS}})
    config = ClientConfiguration(base_url=engine.base_url)
    client = MappingDockerClient(container_map, config)
    name, api = f"{container_map.name}.app", engine.api
    client.startup("app")
    container_id = api.inspect_container(name)["Id"]
    api.update_container(
        name, mem_limit=128 * MB, memswap_limit=256 * MB, cpu_shares=1024, restart_policy={"Name": "always"}
    )

    assert str(client.plan("update", "app")) == "nothing to do"
    text = str(client.plan("update", "app", verify_containers=True))
    assert text == (
        f"update container {name}: cpu_shares 1024 -> 512; mem_limit 134217728 -> 67108864; "
        "memswap_limit 268435456 -> 134217728; restart_policy always -> unless-stopped"
    )

    assert [r.action_type for r in client.update("app", verify_containers=True)] == ["update"]
    assert current(api, name) == (64 * MB, 512, "unless-stopped")
    assert api.inspect_container(name)["Id"] == container_id
    verifying = MappingDockerClient(container_map, config, option_defaults={"verify_containers": True})
    assert str(verifying.plan("update", "app")) == "nothing to do"
