"""Engine names and host names of map items."""

from __future__ import annotations

import pytest

from dockermap.functional import lazy_once
from dockermap.map.config.main import ContainerMap
from dockermap.map.names import (
    DEFAULT_CLIENT_NAME,
    container_name,
    engine_network_name,
    engine_volume_name,
    hostname,
    network_name,
    volume_name,
)


def test_default_client_name() -> None:
    assert DEFAULT_CLIENT_NAME == "__default__"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("main", "web"), "main.web"),
        (("main", "web", "a"), "main.web.a"),
        (("main", "web", None), "main.web"),
        (("shop", "web", None, "compose"), "shop-web-1"),
        (("shop", "web", "3", "compose"), "shop-web-3"),
    ],
)
def test_container_name(args: tuple, expected: str) -> None:
    assert container_name(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("main", "log"), "main.log"),
        (("main", "log", "web"), "main.web.log"),
        (("main", "log", None), "main.log"),
        (("shop", "log", "web", "compose"), "shop_log"),
    ],
)
def test_volume_name(args: tuple, expected: str) -> None:
    assert volume_name(*args) == expected


@pytest.mark.parametrize(
    ("network", "expected"),
    [("front", "main.front"), ("host", "host"), ("bridge", "bridge"), ("none", "none")],
)
def test_network_name_keeps_preset_networks(network: str, expected: str) -> None:
    assert network_name("main", network) == expected
    assert network_name("main", network, "compose") == expected.replace("main.", "main_")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("m.app_server.x",), "m-app-server-x"),
        (("m.app_server.x", DEFAULT_CLIENT_NAME), "m-app-server-x"),
        (("m.app_server.x", "client_1"), "m-app-server-x-client-1"),
        (("m.web", "host.example"), "m-web-host-example"),
    ],
)
def test_hostname(args: tuple, expected: str) -> None:
    assert hostname(*args) == expected


def test_hostname_with_own_replacements() -> None:
    assert hostname("m.app_x", "c_1", replacements=[(".", "")]) == "mapp_x-c_1"
    assert hostname("m.app_x", replacements=[]) == "m.app_x"


def test_engine_names_of_volumes_and_networks_prefer_the_configured_name() -> None:
    data = {
        "web": {"attaches": ["data", "log"], "networks": ["front", "back"]},
        "volumes": {"data": {"default_path": "/d", "name": lazy_once(lambda: "web-data")}, "log": "/l"},
        "networks": {"front": {"name": "edge"}, "back": {}},
    }
    classic = ContainerMap("main", data).get_extended_map()
    assert engine_volume_name(classic, "data", "web") == "web-data"
    assert engine_volume_name(classic, "log", "web") == "main.log"
    assert engine_network_name(classic, "front") == "edge"
    assert engine_network_name(classic, "back") == "main.back"
    parent = ContainerMap("main", {**data, "use_attached_parent_name": True}).get_extended_map()
    assert engine_volume_name(parent, "log", "web") == "main.web.log"
    compose = ContainerMap("shop", {**data, "naming": "compose"}).get_extended_map()
    assert (engine_volume_name(compose, "log", "web"), engine_network_name(compose, "back")) == (
        "shop_log",
        "shop_back",
    )
