"""Desired records built from container maps and client configurations (no engine)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any, Dict, Optional

import pytest

from dockermap import DEFAULT_COREIMAGE
from dockermap.functional import lazy, lazy_once, lazy_type
from dockermap.map.config.client import ClientConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.desired import DesiredBuilder, desired_state
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import ExecPolicy, ItemType, MapConfigId
from dockermap.map.items import DesiredContainer, DesiredEndpoint, DesiredExec, DesiredImage
from dockermap.records import asdict, is_record
from tests.helpers import REPO_ROOT
from tests.unit.map.config.sample_maps import getting_started

DEFAULT = "__default__"


def builder(
    map_dict: Dict[str, Any],
    clients: Optional[Dict[str, Any]] = None,
    options: Optional[Dict[str, Any]] = None,
    check_integrity: bool = True,
) -> DesiredBuilder:
    """A builder over the map ``main`` made from ``map_dict``."""
    ext = ContainerMap("main", map_dict, check_integrity=check_integrity).get_extended_map()
    return DesiredBuilder({"main": ext}, clients or {}, options)


def container_id(config: str, instance: Optional[str] = None) -> MapConfigId:
    return MapConfigId(ItemType.CONTAINER, "main", config, instance)


def container(
    map_dict: Dict[str, Any], config: str, instance: Optional[str] = None, **kwargs: Any
) -> DesiredContainer:
    """The record of ``main.config[.instance]`` on ``client`` (default: the default client)."""
    client = kwargs.pop("client", DEFAULT)
    return builder(map_dict, **kwargs).container(client, container_id(config, instance))


def own_labels(
    config: str, record: DesiredContainer, instance: str = "", client: str = DEFAULT
) -> Dict[str, str]:
    return {
        "io.dockermap.map": "main",
        "io.dockermap.config": config,
        "io.dockermap.instance": instance,
        "io.dockermap.client": client,
        "io.dockermap.kind": "container",
        "io.dockermap.fingerprint": record.fingerprint,
        "io.dockermap.updatable": "{}",
        "io.dockermap.settings": record.create_kwargs["labels"]["io.dockermap.settings"],
    }


# --------------------------------------------------------------------------------------------------
# The getting-started map


def test_getting_started_nginx() -> None:
    nginx = container(getting_started(), "nginx")
    assert nginx.name == "main.nginx"
    assert nginx.image == "nginx:latest"
    assert nginx.create_kwargs == {
        "name": "main.nginx",
        "image": "nginx:latest",
        "volumes": ["/etc/nginx", "/var/log/nginx", "/var/lib/uwsgi/socket"],
        "ports": [80, 443],
        "hostname": "main-nginx",
        "labels": own_labels("nginx", nginx),
    }
    assert nginx.host_config == {
        "binds": [
            "/var/lib/site/config/nginx:/etc/nginx:ro",
            "main.nginx_log:/var/log/nginx:rw",
            "main.uwsgi_socket:/var/lib/uwsgi/socket:rw",
        ],
        "port_bindings": {80: 80, 443: 443},
    }
    assert nginx.mounts == {
        "/etc/nginx": "/var/lib/site/config/nginx",
        "/var/log/nginx": "main.nginx_log",
        "/var/lib/uwsgi/socket": "main.uwsgi_socket",
    }
    assert nginx.published == [("80/tcp", "0.0.0.0", "80"), ("443/tcp", "0.0.0.0", "443")]
    assert (nginx.endpoints, nginx.updatable, nginx.bound_to, nginx.exec_commands) == ([], {}, [], [])
    assert (nginx.persistent, nginx.start_delay, nginx.stop_timeout, nginx.stop_signal) == (
        False,
        None,
        None,
        None,
    )


def test_getting_started_uwsgi() -> None:
    uwsgi = container(getting_started(), "uwsgi")
    assert uwsgi.create_kwargs == {
        "name": "main.uwsgi",
        "image": "uwsgi:latest",
        "volumes": ["/var/lib/app/config", "/var/lib/app/data", "/var/lib/app/log", "/var/lib/uwsgi/socket"],
        "user": "2000",
        "hostname": "main-uwsgi",
        "labels": {
            **own_labels("uwsgi", uwsgi),
            "io.dockermap.prepared": (
                '{"main.app_log":"owner=2000 mode=u=rwX,g=rX,o=",'
                '"main.uwsgi_socket":"owner=2000 mode=u=rwX,g=rX,o="}'
            ),
        },
    }
    assert uwsgi.host_config == {
        "binds": [
            "/var/lib/site/config/app:/var/lib/app/config:ro",
            "/var/lib/site/data/app:/var/lib/app/data:rw",
            "main.app_log:/var/lib/app/log:rw",
            "main.uwsgi_socket:/var/lib/uwsgi/socket:rw",
        ]
    }
    assert uwsgi.published == []


def test_getting_started_volumes() -> None:
    build = builder(getting_started())
    socket = build.volume(DEFAULT, MapConfigId(ItemType.VOLUME, "main", "uwsgi", "uwsgi_socket"))
    assert (socket.name, socket.driver, socket.driver_opts) == ("main.uwsgi_socket", "local", {})
    assert (socket.user, socket.permissions) == ("2000", "u=rwX,g=rX,o=")
    assert socket.create_kwargs == {
        "name": "main.uwsgi_socket",
        "driver": "local",
        "labels": {
            "io.dockermap.map": "main",
            "io.dockermap.config": "uwsgi",
            "io.dockermap.instance": "uwsgi_socket",
            "io.dockermap.client": DEFAULT,
            "io.dockermap.kind": "volume",
            "io.dockermap.prepared": "owner=2000 mode=u=rwX,g=rX,o=",
        },
    }
    log = build.volume(DEFAULT, MapConfigId(ItemType.VOLUME, "main", "nginx", "nginx_log"))
    assert (log.name, log.user, log.permissions) == ("main.nginx_log", None, None)


def test_getting_started_all_items_in_dependency_order() -> None:
    ext = ContainerMap("main", getting_started()).get_extended_map()
    ids = [item for config_id, deps in ext.dependency_items() for item in [*deps, config_id]]
    records = desired_state({"main": ext}, {}, ids)
    assert [
        (client, record.config_id.config_type.value, getattr(record, "name", None))
        for (client, _), record in records.items()
    ] == [
        (DEFAULT, "container", "main.uwsgi"),
        (DEFAULT, "volume", "main.nginx_log"),
        (DEFAULT, "image", None),
        (DEFAULT, "container", "main.nginx"),
        (DEFAULT, "volume", "main.app_log"),
        (DEFAULT, "volume", "main.uwsgi_socket"),
        (DEFAULT, "image", None),
    ]
    assert records[(DEFAULT, MapConfigId(ItemType.IMAGE, "main", "nginx", "latest"))] == DesiredImage(
        DEFAULT, MapConfigId(ItemType.IMAGE, "main", "nginx", "latest"), "nginx:latest"
    )


# --------------------------------------------------------------------------------------------------
# Volumes: instances, parent names, uses


def instance_map(**app: Any) -> Dict[str, Any]:
    return {
        "host_root": "/srv",
        "host": {"data": {"a": "data/a", "b": "/abs/b"}, "conf": "conf"},
        "volumes": {"data": "/data", "conf": "/etc/app", "cache": "/cache"},
        "app": {"instances": ["a", "b"], "binds": ["data", {"conf": "ro"}], "attaches": "cache", **app},
        "web": {"uses": "cache", "binds": [("/etc/web", ("/etc/host-web", "ro"))], "links": "app.a"},
    }


def test_instances_with_per_instance_host_paths() -> None:
    build = builder(instance_map())
    app_a = build.container(DEFAULT, container_id("app", "a"))
    app_b = build.container(DEFAULT, container_id("app", "b"))
    assert app_a.name == "main.app.a"
    assert app_a.host_config["binds"] == [
        "/srv/data/a:/data:rw",
        "/srv/conf:/etc/app:ro",
        "main.cache:/cache:rw",
    ]
    assert app_b.host_config["binds"] == ["/abs/b:/data:rw", "/srv/conf:/etc/app:ro", "main.cache:/cache:rw"]
    assert (app_a.create_kwargs["hostname"], app_b.create_kwargs["hostname"]) == ("main-app-a", "main-app-b")
    assert app_a.create_kwargs["labels"]["io.dockermap.instance"] == "a"


def test_direct_host_bind_and_used_attached_volume() -> None:
    web = container(instance_map(), "web")
    assert web.create_kwargs["volumes"] == ["/etc/web", "/cache"]
    assert web.host_config["binds"] == ["/etc/host-web:/etc/web:ro", "main.cache:/cache:rw"]
    assert web.mounts == {"/etc/web": "/etc/host-web", "/cache": "main.cache"}


def test_used_volume_with_own_path_and_read_only() -> None:
    map_dict = instance_map()
    map_dict["web"]["uses"] = [("cache", "/var/cache", "ro")]
    web = container(map_dict, "web")
    assert web.host_config["binds"][-1] == "main.cache:/var/cache:ro"
    assert web.mounts["/var/cache"] == "main.cache"


def test_attached_volume_with_own_path() -> None:
    map_dict = instance_map(attaches={"cache": "/var/app-cache"})
    record = container(map_dict, "app", "a")
    assert record.host_config["binds"][-1] == "main.cache:/var/app-cache:rw"
    assert container(map_dict, "web").host_config["binds"][-1] == "main.cache:/var/app-cache:rw"


def test_parent_name_mode() -> None:
    map_dict = getting_started()
    map_dict["use_attached_parent_name"] = True
    map_dict["nginx"]["uses"] = "uwsgi.uwsgi_socket"
    build = builder(map_dict)
    nginx = build.container(DEFAULT, container_id("nginx"))
    assert nginx.host_config["binds"][1:] == [
        "main.nginx.nginx_log:/var/log/nginx:rw",
        "main.uwsgi.uwsgi_socket:/var/lib/uwsgi/socket:rw",
    ]
    volume = build.volume(DEFAULT, MapConfigId(ItemType.VOLUME, "main", "uwsgi", "uwsgi_socket"))
    assert volume.name == volume.create_kwargs["name"] == "main.uwsgi.uwsgi_socket"


def test_uses_a_whole_container() -> None:
    map_dict = getting_started()
    map_dict["nginx"]["uses"] = ["uwsgi_socket", ("uwsgi", "ro")]
    nginx = container(map_dict, "nginx")
    assert nginx.host_config["volumes_from"] == ["main.uwsgi:ro"]
    assert nginx.bound_to == ["main.uwsgi"]


def test_uses_all_instances_of_a_container() -> None:
    map_dict = instance_map()
    map_dict["web"]["uses"] = ["app", "cache"]  # the integrity check asks for one instance; all are taken
    web = container(map_dict, "web", check_integrity=False)
    assert web.host_config["volumes_from"] == ["main.app.a", "main.app.b"]
    assert web.bound_to == ["main.app.a", "main.app.b"]


def test_volume_configuration_is_looked_up_by_alias() -> None:
    map_dict = getting_started()
    map_dict["volumes"]["uwsgi_socket"] = {
        "default_path": "/var/lib/uwsgi/socket",
        "driver": "local",
        "driver_options": {"type": "tmpfs", "device": "tmpfs"},
        "create_options": {"labels": {"team": "web", "io.dockermap.map": "other"}},
        "user": lazy(lambda: ("app", "app")),
        "permissions": 0o750,
    }
    volume = builder(map_dict).volume(DEFAULT, MapConfigId(ItemType.VOLUME, "main", "uwsgi", "uwsgi_socket"))
    assert volume.driver_opts == {"type": "tmpfs", "device": "tmpfs"}
    assert volume.create_kwargs["driver_opts"] == {"type": "tmpfs", "device": "tmpfs"}
    assert volume.create_kwargs["labels"]["team"] == "web"
    assert volume.create_kwargs["labels"]["io.dockermap.map"] == "main"
    assert (volume.user, volume.permissions) == ("app:app", "750")


# --------------------------------------------------------------------------------------------------
# Links, host names, domain names


def test_links_and_hostnames() -> None:
    map_dict = instance_map()
    map_dict["web"]["links"] = ["app.a", ("app.b", "backend")]
    web = container(map_dict, "web")
    assert web.host_config["links"] == [("main.app.a", "app-a"), ("main.app.b", "backend")]
    assert web.bound_to == ["main.app.a", "main.app.b"]
    assert web.create_kwargs["hostname"] == "main-web"


def test_hostname_on_other_client_and_domain_name() -> None:
    map_dict = dict(getting_started(), clients=["host_1"], default_domain="example.com")
    clients = {"host_1": ClientConfiguration()}
    nginx = container(map_dict, "nginx", client="host_1", clients=clients)
    assert (nginx.create_kwargs["hostname"], nginx.create_kwargs["domainname"]) == (
        "main-nginx-host-1",
        "example.com",
    )
    clients = {"host_1": ClientConfiguration(domainname="one.example.com")}
    assert container(map_dict, "nginx", client="host_1", clients=clients).create_kwargs["domainname"] == (
        "one.example.com"
    )


def test_set_hostname_false_and_custom_replacements() -> None:
    assert "hostname" not in container(dict(getting_started(), set_hostname=False), "nginx").create_kwargs
    nginx = container(getting_started(), "nginx", options={"hostname_replace": [(".", "_")]})
    assert nginx.create_kwargs["hostname"] == "main_nginx"


# --------------------------------------------------------------------------------------------------
# Networks, endpoints, network mode


def network_map(**web: Any) -> Dict[str, Any]:
    return {
        "networks": {
            "front": {},
            "back": {"driver": "overlay", "internal": True, "driver_options": {"mtu": "1400"}},
        },
        "db": {"networks": "back"},
        "web": {"links": "db", **web},
    }


def test_endpoints_in_configured_order() -> None:
    web = container(
        network_map(
            networks=[
                "front",
                {"back": {"aliases": ["www"], "ipv4_address": "10.1.0.5", "links": [("db", "database")]}},
                "bridge",
            ]
        ),
        "web",
    )
    assert web.endpoints == [
        DesiredEndpoint("main.front", links=(("main.db", "db"),)),
        DesiredEndpoint(
            "main.back", aliases=("www",), links=(("main.db", "database"),), ipv4_address="10.1.0.5"
        ),
        DesiredEndpoint("bridge"),
    ]
    # legacy links do not work on a user-defined network: they move to its endpoint
    assert "links" not in web.host_config
    assert web.host_config["network_mode"] == "main.front"
    assert web.bound_to == ["main.db"]


def test_legacy_links_stay_on_the_default_bridge() -> None:
    web = container(network_map(networks=["bridge", "front"]), "web")
    assert web.host_config["links"] == [("main.db", "db")]
    assert web.host_config["network_mode"] == "bridge"
    assert web.endpoints == [DesiredEndpoint("bridge"), DesiredEndpoint("main.front")]


def test_no_networks_means_the_default_network() -> None:
    web = container(network_map(), "web")
    assert web.endpoints == []
    assert "network_mode" not in web.host_config
    assert web.host_config["links"] == [("main.db", "db")]


def test_network_record() -> None:
    build = builder(network_map())
    back = build.network(DEFAULT, MapConfigId(ItemType.NETWORK, "main", "back"))
    assert (back.name, back.driver, back.options, back.internal) == (
        "main.back",
        "overlay",
        {"mtu": "1400"},
        True,
    )
    assert back.create_kwargs == {
        "name": "main.back",
        "driver": "overlay",
        "options": {"mtu": "1400"},
        "internal": True,
        "labels": {
            "io.dockermap.map": "main",
            "io.dockermap.config": "back",
            "io.dockermap.instance": "",
            "io.dockermap.client": DEFAULT,
            "io.dockermap.kind": "network",
        },
    }
    front = build.network(DEFAULT, MapConfigId(ItemType.NETWORK, "main", "front"))
    assert (front.driver, front.internal, set(front.create_kwargs)) == (
        "bridge",
        False,
        {"name", "driver", "labels"},
    )


def test_named_and_external_networks_and_volumes() -> None:
    map_dict = network_map(networks=["front", "back"])
    map_dict["networks"]["front"] = {"name": "edge", "external": True}
    map_dict["networks"]["back"]["name"] = "backend"
    map_dict["volumes"] = {"media": {"default_path": "/media", "name": "shared-media", "external": True}}
    map_dict["web"]["attaches"] = "media"
    build = builder(map_dict)
    web = build.container(DEFAULT, container_id("web"))
    assert [endpoint.network for endpoint in web.endpoints] == ["edge", "backend"]
    assert web.mounts == {"/media": "shared-media"}
    front = build.network(DEFAULT, MapConfigId(ItemType.NETWORK, "main", "front"))
    back = build.network(DEFAULT, MapConfigId(ItemType.NETWORK, "main", "back"))
    assert (front.name, front.external, back.name, back.external) == ("edge", True, "backend", False)
    assert back.create_kwargs["name"] == "backend"
    media = build.volume(DEFAULT, MapConfigId(ItemType.VOLUME, "main", "web", "media"))
    assert (media.name, media.external) == ("shared-media", True)


def test_container_name_is_the_engine_name_wherever_the_container_is_named() -> None:
    map_dict = network_map(networks=["back"], links=[], depends_on=["db"])
    map_dict["db"].update(container_name="database", shares="/data", persistent=True)
    map_dict["worker"] = {"links": "db", "uses": "db", "network_mode": "db"}
    map_dict["proxy"] = {"networks": [{"back": {"links": "db"}}]}
    build = builder(map_dict)
    db = build.container(DEFAULT, container_id("db"))
    assert (db.name, db.create_kwargs["name"], db.create_kwargs["hostname"]) == (
        "database",
        "database",
        "database",
    )
    assert own_labels("db", db).items() <= db.create_kwargs["labels"].items()
    web = build.container(DEFAULT, container_id("web"))
    assert (web.name, web.after) == ("main.web", ["database"])
    worker = build.container(DEFAULT, container_id("worker"))
    assert worker.host_config["links"] == [("database", "db")]
    assert worker.host_config["volumes_from"] == ["database"]
    assert worker.host_config["network_mode"] == "container:database"
    proxy = build.container(DEFAULT, container_id("proxy"))
    assert proxy.endpoints[0].links == (("database", "db"),)


def test_network_mode_container_reference() -> None:
    sidecar = container(dict(instance_map(), sidecar={"network_mode": "app.b", "links": "web"}), "sidecar")
    assert sidecar.host_config["network_mode"] == "container:main.app.b"
    assert "hostname" not in sidecar.create_kwargs
    assert sidecar.bound_to == ["main.web", "main.app.b"]


def test_network_mode_external_container() -> None:
    sidecar = container(dict(getting_started(), sidecar={"network_mode": "/proxy"}), "sidecar")
    assert sidecar.host_config["network_mode"] == "container:proxy"
    assert sidecar.bound_to == ["proxy"]


@pytest.mark.parametrize("mode", ["none", "disabled"])
def test_network_mode_none_disables_networking(mode: str) -> None:
    record = container(dict(getting_started(), job={"network_mode": mode}), "job")
    assert record.create_kwargs["network_disabled"] is True
    assert record.host_config == {"network_mode": "none"}


def test_network_mode_host() -> None:
    record = container(dict(getting_started(), job={"network_mode": "host"}), "job")
    assert record.host_config == {"network_mode": "host"}
    assert "network_disabled" not in record.create_kwargs


def test_network_mode_and_networks_conflict() -> None:
    with pytest.raises(ValueError, match=r"main.web: network_mode 'host' cannot be combined with 'networks'"):
        container(network_map(network_mode="host", networks="front"), "web")


def test_network_mode_needs_an_instance_of_a_multi_instance_config() -> None:
    map_dict = dict(instance_map(), sidecar={"network_mode": "app"})
    with pytest.raises(ValueError, match=r"main.sidecar.network_mode: .*instances a, b; name one of them"):
        container(map_dict, "sidecar", check_integrity=False)


# --------------------------------------------------------------------------------------------------
# Exec commands, health check, stop settings


def test_exec_commands() -> None:
    map_dict = dict(
        getting_started(),
        job={
            "user": "app:staff",
            "exec_commands": [
                "echo hello",
                (["touch", "/ready"], "root"),
                ("run-once", None, "initial"),
                (lazy(lambda: "lazy cmd"), lazy(lambda: 1000)),
            ],
        },
    )
    assert container(map_dict, "job").exec_commands == [
        DesiredExec("echo hello", "app", ExecPolicy.RESTART),
        DesiredExec(("touch", "/ready"), "root", ExecPolicy.RESTART),
        DesiredExec("run-once", "app", ExecPolicy.INITIAL),
        DesiredExec("lazy cmd", "1000", ExecPolicy.RESTART),
    ]


def test_exec_command_user_unset() -> None:
    assert container(dict(getting_started(), job={"exec_commands": "x"}), "job").exec_commands == [
        DesiredExec("x", None, ExecPolicy.RESTART)
    ]


def test_healthcheck_stop_settings_and_persistence() -> None:
    job = {
        "healthcheck": {"test": ["curl", "-f", "http://localhost/"], "interval": "30s", "start_period": "5s"},
        "stop_signal": "SIGQUIT",
        "stop_timeout": 20,
        "start_delay": 1.5,
        "persistent": True,
    }
    record = container(dict(getting_started(), job=job), "job")
    assert record.create_kwargs["healthcheck"] == {
        "test": ["CMD", "curl", "-f", "http://localhost/"],
        "interval": 30_000_000_000,
        "start_period": 5_000_000_000,
    }
    assert (record.create_kwargs["stop_signal"], record.create_kwargs["stop_timeout"]) == ("SIGQUIT", 20)
    assert (record.stop_signal, record.stop_timeout, record.start_delay, record.persistent) == (
        "SIGQUIT",
        20,
        1.5,
        True,
    )


def test_disabled_healthcheck() -> None:
    record = container(dict(getting_started(), job={"healthcheck": "NONE"}), "job")
    assert record.create_kwargs["healthcheck"] == {"test": ["NONE"]}


def test_stop_timeout_from_the_client_configuration() -> None:
    map_dict = dict(getting_started(), clients=["c1"], job={})
    clients = {"c1": ClientConfiguration(stop_timeout=30)}
    record = container(map_dict, "job", client="c1", clients=clients)
    assert record.stop_timeout == 30
    assert "stop_timeout" not in record.create_kwargs
    map_dict["job"] = {"stop_timeout": 5}
    assert container(map_dict, "job", client="c1", clients=clients).stop_timeout == 5


# --------------------------------------------------------------------------------------------------
# create_options and host_config


def test_create_options_are_merged() -> None:
    job = {
        "shares": "/tmp/shared",
        "create_options": {
            "environment": {"A": "1", "B": lazy(lambda: "2")},
            "command": "serve --port 80",
            "entrypoint": ["/init"],
            "volumes": ["/extra", "/tmp/shared"],
            "labels": {"team": "ops", "io.dockermap.config": "forged"},
            "working_dir": "/srv",
            "mem_limit": "64m",
            "cpu_shares": 512,
            "host_config": {"dns": ["1.1.1.1"]},
        },
        "host_config": {"dns": ["8.8.8.8"], "cap_add": ["NET_ADMIN"], "restart_policy": "always"},
    }
    record = container(dict(getting_started(), job=job), "job")
    kwargs = record.create_kwargs
    assert kwargs["environment"] == {"A": "1", "B": "2"}
    assert (kwargs["command"], kwargs["entrypoint"], kwargs["working_dir"]) == (
        "serve --port 80",
        ["/init"],
        "/srv",
    )
    assert kwargs["volumes"] == ["/tmp/shared", "/extra"]
    assert kwargs["labels"]["team"] == "ops"
    assert kwargs["labels"]["io.dockermap.config"] == "job"
    # resource limits are host-config keywords since SDK 7; they are moved there and normalised
    assert "mem_limit" not in kwargs and "cpu_shares" not in kwargs
    assert record.host_config == {
        "dns": ["1.1.1.1", "8.8.8.8"],
        "cap_add": ["NET_ADMIN"],
        "mem_limit": 64 * 1024**2,
        "cpu_shares": 512,
        "restart_policy": {"Name": "always", "MaximumRetryCount": 0},
    }
    assert record.updatable == {
        "mem_limit": 64 * 1024**2,
        "cpu_shares": 512,
        "restart_policy": {"Name": "always", "MaximumRetryCount": 0},
    }
    assert kwargs["labels"]["io.dockermap.updatable"] == (
        '{"cpu_shares":512,"mem_limit":67108864,"restart_policy":{"MaximumRetryCount":0,"Name":"always"}}'
    )


def test_host_config_options_merge_with_generated_values() -> None:
    map_dict = getting_started()
    map_dict["nginx"]["host_config"] = {"binds": ["/tmp/x:/x:ro"], "port_bindings": {8080: 8080, 80: 81}}
    nginx = container(map_dict, "nginx")
    assert nginx.host_config["binds"][-1] == "/tmp/x:/x:ro"
    assert len(nginx.host_config["binds"]) == 4
    assert nginx.host_config["port_bindings"] == {80: 81, 443: 443, 8080: 8080}


@pytest.mark.parametrize("key", ["name", "networking_config"])
def test_create_options_cannot_override_reserved_keys(key: str) -> None:
    map_dict = dict(getting_started(), job={"create_options": {key: "x"}})
    with pytest.raises(ValueError, match=rf"main.job.create_options: '{key}' cannot be set"):
        container(map_dict, "job")


def test_malformed_limit_names_its_location() -> None:
    map_dict = dict(getting_started(), job={"host_config": {"mem_limit": "lots"}})
    with pytest.raises(ValueError, match=r"main.job.host_config: Invalid byte size 'lots'"):
        container(map_dict, "job")


# --------------------------------------------------------------------------------------------------
# Ports and clients


def test_mixed_int_and_string_ports() -> None:
    job = {"exposes": [80, "53/udp", (8080, 9090), ("53/udp", 5353), "8443"]}
    record = container(dict(getting_started(), job=job), "job")
    assert record.create_kwargs["ports"] == [80, ("53", "udp"), 8080, "8443"]
    assert record.host_config["port_bindings"] == {8080: 9090, "53/udp": 5353}
    assert record.published == [("8080/tcp", "0.0.0.0", "9090"), ("53/udp", "0.0.0.0", "5353")]


def multi_client_map() -> Dict[str, Any]:
    map_dict = getting_started()
    map_dict["clients"] = ["one", "two"]
    map_dict["nginx"]["exposes"] = [(80, 80, "public"), (443, 443, "public", True), (8080, 8080)]
    return map_dict


MULTI_CLIENTS = {
    "one": ClientConfiguration(interfaces={"public": "10.0.0.1"}, interfaces_ipv6={"public": "fd00::1"}),
    "two": ClientConfiguration(
        interfaces={"public": lazy(lambda: "10.0.0.2")}, interfaces_ipv6={"public": "fd00::2"}
    ),
}


def test_multiple_clients_with_interfaces() -> None:
    build = builder(multi_client_map(), MULTI_CLIENTS)
    assert build.clients_of("main") == ["one", "two"]
    records = build.items([container_id("nginx")])
    assert list(records) == [("one", container_id("nginx")), ("two", container_id("nginx"))]
    one, two = records.values()
    assert one.host_config["port_bindings"] == {80: ("10.0.0.1", 80), 443: ("fd00::1", 443), 8080: 8080}
    assert two.host_config["port_bindings"] == {80: ("10.0.0.2", 80), 443: ("fd00::2", 443), 8080: 8080}
    assert two.published == [
        ("80/tcp", "10.0.0.2", "80"),
        ("443/tcp", "fd00::2", "443"),
        ("8080/tcp", "0.0.0.0", "8080"),
    ]
    assert (one.create_kwargs["hostname"], two.create_kwargs["hostname"]) == (
        "main-nginx-one",
        "main-nginx-two",
    )
    assert two.create_kwargs["labels"]["io.dockermap.client"] == "two"
    assert one.fingerprint != two.fingerprint


def test_several_bindings_of_one_port() -> None:
    map_dict = multi_client_map()
    map_dict["nginx"]["exposes"] = [(80, 80, "public"), (80, 8080, "public", True)]
    one = container(map_dict, "nginx", client="one", clients=MULTI_CLIENTS)
    assert one.host_config["port_bindings"] == {80: [("10.0.0.1", 80), ("fd00::1", 8080)]}


def test_missing_interface_is_a_clear_error() -> None:
    clients = {"one": ClientConfiguration(interfaces={"private": "10.0.0.1"}), "two": ClientConfiguration()}
    with pytest.raises(
        ValueError,
        match=r"main.nginx.exposes: address for interface 'public' not found in interfaces of client 'one' "
        r"\(configured: private\)",
    ):
        container(multi_client_map(), "nginx", client="one", clients=clients)


def test_interface_given_as_an_address_stands_for_itself() -> None:
    map_dict = multi_client_map()
    map_dict["nginx"]["exposes"] = [(80, 8080, "127.0.0.1"), (81, 8081, "::1", True)]
    one = container(map_dict, "nginx", client="one", clients=MULTI_CLIENTS)
    assert one.host_config["port_bindings"] == {80: ("127.0.0.1", 8080), 81: ("::1", 8081)}
    assert ("80/tcp", "127.0.0.1", "8080") in one.published


# --------------------------------------------------------------------------------------------------
# Lazy values


def walk(value: Any) -> list:
    """Every leaf value of a record, to check that nothing lazy is left."""
    if is_record(value):
        return walk(asdict(value))
    if isinstance(value, dict):
        return walk(list(value)) + walk(list(value.values()))
    if isinstance(value, (list, tuple)):
        return [leaf for item in value for leaf in walk(item)]
    return [value]


def test_lazy_values_are_resolved() -> None:
    map_dict = {
        "repository": lazy_once(lambda: "registry.example.com"),
        "default_tag": lazy(lambda: "v1"),
        "host_root": lazy(lambda: "/srv"),
        "host": {"conf": lazy(lambda: "conf"), "data": {"a": lazy(lambda: "/d/a")}},
        "volumes": {
            "conf": lazy(lambda: "/etc/app"),
            "data": "/data",
            "log": {"default_path": "/log", "user": lazy(lambda: 33), "permissions": lazy(lambda: "0750")},
        },
        "networks": {"net": {"driver_options": {"mtu": lazy(lambda: "1400")}}},
        "app": {
            "instances": ["a"],
            "user": lazy(lambda: "app:app"),
            "shares": [lazy(lambda: "/tmp/s")],
            "binds": ["conf", "data", ("/x", lazy(lambda: "/host/x"))],
            "attaches": "log",
            "exposes": [(80, lazy(lambda: 8080), "public")],
            "networks": {
                "net": {"aliases": [lazy(lambda: "alias")], "ipv4_address": lazy(lambda: "10.0.0.9")}
            },
            "exec_commands": [(lazy(lambda: "echo hi"), lazy(lambda: "root"))],
            "create_options": {"environment": {"A": lazy(lambda: "1")}, "command": [lazy(lambda: "run")]},
            "host_config": {"dns": [lazy(lambda: "1.1.1.1")], "mem_limit": lazy(lambda: "1m")},
        },
    }
    clients = {DEFAULT: ClientConfiguration(interfaces={"public": lazy(lambda: "127.0.0.1")})}
    build = builder(map_dict, clients)
    ext = build._map("main")
    ids = [item for config_id, deps in ext.dependency_items() for item in [*deps, config_id]]
    records = build.items(ids)
    assert not [leaf for record in records.values() for leaf in walk(record) if isinstance(leaf, lazy_type)]
    app = records[(DEFAULT, container_id("app", "a"))]
    assert app.image == "registry.example.com/app:v1"
    assert app.create_kwargs["user"] == "app"
    assert app.create_kwargs["volumes"] == ["/tmp/s", "/etc/app", "/data", "/x", "/log"]
    assert app.host_config["binds"][:3] == ["/srv/conf:/etc/app:rw", "/d/a:/data:rw", "/host/x:/x:rw"]
    assert app.host_config["port_bindings"] == {80: ("127.0.0.1", 8080)}
    assert app.endpoints == [DesiredEndpoint("main.net", aliases=("alias",), ipv4_address="10.0.0.9")]
    assert app.exec_commands == [DesiredExec("echo hi", "root", ExecPolicy.RESTART)]
    assert (app.create_kwargs["environment"], app.create_kwargs["command"]) == ({"A": "1"}, ["run"])
    assert app.updatable == {"mem_limit": 1024**2}
    log = records[(DEFAULT, MapConfigId(ItemType.VOLUME, "main", "app", "log"))]
    assert (log.user, log.permissions) == ("33", "0750")
    net = records[(DEFAULT, MapConfigId(ItemType.NETWORK, "main", "net"))]
    assert net.options == {"mtu": "1400"}


# --------------------------------------------------------------------------------------------------
# Builder behaviour and errors


def test_records_are_memoised_per_client_and_id() -> None:
    build = builder(getting_started())
    assert build.container(DEFAULT, container_id("nginx")) is build.get(DEFAULT, container_id("nginx"))


def test_core_image() -> None:
    clients = {"c1": ClientConfiguration(core_image="local/busybox:1"), DEFAULT: ClientConfiguration()}
    build = builder(getting_started(), clients, options={"core_image": "tools:latest"})
    assert (build.core_image("c1"), build.core_image(DEFAULT)) == ("local/busybox:1", "tools:latest")
    assert builder(getting_started()).core_image(DEFAULT) == DEFAULT_COREIMAGE


@pytest.mark.parametrize(
    ("client", "config_id", "message"),
    [
        (
            DEFAULT,
            MapConfigId(ItemType.CONTAINER, "other", "nginx"),
            r"Unknown map 'other'; maps are: main\.",
        ),
        (
            DEFAULT,
            container_id("nope"),
            r"Map 'main' has no container configuration 'nope'; configurations are: "
            r"nginx, uwsgi\.",
        ),
        (DEFAULT, container_id("nginx", "x"), r"main.nginx has no instance 'x'"),
        (
            "c9",
            container_id("nginx"),
            r"Map 'main' is not deployed to client 'c9'; its clients are: __default__\.",
        ),
        (
            DEFAULT,
            MapConfigId(ItemType.VOLUME, "main", "nginx", "nope"),
            r"main.nginx attaches no volume 'nope'",
        ),
        (
            DEFAULT,
            MapConfigId(ItemType.NETWORK, "main", "nope"),
            r"Map 'main' has no network configuration 'nope'",
        ),
        (
            DEFAULT,
            MapConfigId(ItemType.NETWORK, "main", "bridge"),
            r"Network 'bridge' exists on every engine",
        ),
    ],
)
def test_bad_ids_are_refused(client: str, config_id: MapConfigId, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        builder(getting_started()).get(client, config_id)


def test_unconfigured_client_is_refused() -> None:
    map_dict = dict(getting_started(), clients=["one", "two"])
    with pytest.raises(
        ValueError, match=r"deployed to client 'two', which is not configured; clients are: one\."
    ):
        container(map_dict, "nginx", client="two", clients={"one": ClientConfiguration()})


def test_wrong_id_type_for_the_record_kind() -> None:
    with pytest.raises(ValueError, match="Expected a container id"):
        builder(getting_started()).container(
            DEFAULT, MapConfigId(ItemType.VOLUME, "main", "nginx", "nginx_log")
        )


@pytest.mark.parametrize(
    ("change", "config", "message"),
    [
        (
            lambda m: m["host"].pop("app_data"),
            "uwsgi",
            r"main.uwsgi.binds: no host path for volume alias 'app_data'",
        ),
        (
            lambda m: m["volumes"].pop("app_log"),
            "uwsgi",
            r"main.uwsgi.attaches: no container path for volume alias 'app_log'",
        ),
        (lambda m: m.pop("host_root"), "uwsgi", r"main.uwsgi.binds: host path 'config/app' .* is relative"),
        (
            lambda m: m["host"].update(app_data={"x": "/d"}),
            "uwsgi",
            r"main.uwsgi.binds: No path defined for instance",
        ),
        (
            lambda m: m["nginx"].update(uses="nothing"),
            "nginx",
            r"main.nginx.uses: 'nothing' is neither an attached volume",
        ),
    ],
)
def test_configuration_errors_name_the_location(change: Any, config: str, message: str) -> None:
    map_dict = getting_started()
    change(map_dict)
    with pytest.raises(ValueError, match=message):
        container(map_dict, config, check_integrity=False)


def test_desired_layer_does_not_import_docker() -> None:
    code = (
        "import sys, dockermap.map.desired, dockermap.map.labels, dockermap.map.names; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docker', 'requests')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_compose_naming_names_containers_volumes_networks_and_references() -> None:
    map_dict = {
        "naming": "compose",
        "networks": {"back": {}},
        "db": {"instances": ["1", "2"], "attaches": {"data": "/data"}, "networks": ["back"]},
        "web": {"links": "db.2", "uses": "data", "networks": ["back"]},
        "side": {"network_mode": "web"},
    }
    ext = ContainerMap("shop", map_dict).get_extended_map()
    build = DesiredBuilder({"shop": ext}, {})
    db = build.container(DEFAULT, MapConfigId(ItemType.CONTAINER, "shop", "db", "2"))
    web = build.container(DEFAULT, MapConfigId(ItemType.CONTAINER, "shop", "web"))
    side = build.container(DEFAULT, MapConfigId(ItemType.CONTAINER, "shop", "side"))
    volume = build.volume(DEFAULT, MapConfigId(ItemType.VOLUME, "shop", "db", "data"))
    network = build.network(DEFAULT, MapConfigId(ItemType.NETWORK, "shop", "back"))
    assert (db.name, web.name, volume.name, network.name) == (
        "shop-db-2",
        "shop-web-1",
        "shop_data",
        "shop_back",
    )
    assert web.mounts == {"/data": "shop_data"}
    assert [endpoint.network for endpoint in web.endpoints] == ["shop_back"]
    assert web.endpoints[0].links == (("shop-db-2", "db-2"),)
    assert side.host_config["network_mode"] == "container:shop-web-1"


def test_naming_accepts_only_compose() -> None:
    with pytest.raises(MapIntegrityError, match=r"main.naming: Invalid naming 'other': expected 'compose'"):
        ContainerMap("main", {"naming": "other"})
