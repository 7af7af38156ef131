"""A map network whose driver options change in the map is recreated by ``update``, removal included."""

from __future__ import annotations

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient

MTU = "com.docker.network.driver.mtu"
SLEEP = {"command": "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""}


def client_for(engine, name: str, base_image: str, options: dict) -> MappingDockerClient:
    container_map = ContainerMap(
        name,
        {
            "app": {"image": base_image, "networks": ["back"], "create_options": SLEEP, "stop_timeout": 1},
            "networks": {"back": {"driver_options": options}},
        },
    )
    return MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url))


def test_removed_driver_option_recreates_the_network(engine, base_image, cleanup):
    name = cleanup.name("netopts")
    client_for(engine, name, base_image, {MTU: "1400"}).startup("app")
    assert engine.api.inspect_network(f"{name}.back")["Options"] == {MTU: "1400"}

    changed = client_for(engine, name, base_image, {})
    plan = str(changed.plan("update", "app"))
    assert f"remove network {name}.back: recreate: driver option {MTU} is '1400', expected none" in plan
    changed.update("app")

    assert engine.api.inspect_network(f"{name}.back")["Options"] == {}
    assert str(changed.plan("update", "app")) == "nothing to do"
    changed.shutdown("app", remove_attached=True)
