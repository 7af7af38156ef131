"""ContainerMap: reading both map forms, copies, merging, extension, images and serialisation."""

from __future__ import annotations

import pytest

from dockermap.functional import lazy_once
from dockermap.map.config.container import ContainerConfiguration
from dockermap.map.config.host_volume import HostVolumeConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.config.network import NetworkConfiguration
from dockermap.map.config.volume import VolumeConfiguration
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import NotSet, PortBinding, SharedVolume, UsedVolume

from .sample_maps import full_featured, getting_started


def test_getting_started_map_is_valid():
    c_map = ContainerMap("main", getting_started())
    nginx = c_map.containers["nginx"]
    assert nginx.binds == [SharedVolume("nginx_config", True)]
    assert nginx.exposes == [PortBinding(80, 80), PortBinding(443, 443)]
    assert c_map.containers["uwsgi"].attaches == [SharedVolume("app_log"), SharedVolume("uwsgi_socket")]
    assert c_map.volumes["app_data"].default_path == "/var/lib/app/data"
    assert c_map.host.root == "/var/lib/site"
    assert c_map.host.get_path("app_data") == "/var/lib/site/data/app"
    assert [name for name, _ in c_map] == ["nginx", "uwsgi"]


def test_getting_started_without_host_entry_names_the_alias():
    data = getting_started()
    del data["host"]["app_data"]
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap("main", data)
    assert [str(problem) for problem in info.value.problems] == [
        "main.uwsgi.binds: no host path for volume alias 'app_data'; add it to the map's 'host' section"
    ]
    assert "app_data" in str(info.value)


def test_containers_form_equals_classic_form():
    data = getting_started()
    containers = {"nginx": data.pop("nginx"), "uwsgi": data.pop("uwsgi")}
    assert ContainerMap("main", dict(data, containers=containers)) == ContainerMap("main", getting_started())


def test_kwargs_are_read_like_the_initial_dict():
    data = getting_started()
    host = data.pop("host")
    assert ContainerMap("main", data, host=host) == ContainerMap("main", getting_started())


def test_sections_have_their_types():
    c_map = ContainerMap("main", full_featured())
    assert isinstance(c_map.volumes["static"], VolumeConfiguration)
    assert isinstance(c_map.networks["front"], NetworkConfiguration)
    assert isinstance(c_map.host, HostVolumeConfiguration)
    assert c_map.host.get_path("app_data", "b") == "/srv/data/b"
    assert c_map.host.get_path("app_data") == "/srv/data/x"
    assert c_map.networks["back"].internal is True
    assert c_map.volumes["app_data"].user == "app"
    assert c_map.groups == {"frontend": ["web", "app.a"], "everything": ["web", "app", "db"]}


def test_as_dict_round_trip_of_every_feature():
    c_map = ContainerMap("full", full_featured())
    data = c_map.as_dict()
    assert list(data)[:3] == ["repository", "clients", "groups"]
    assert data["host_root"] == "/srv"
    assert data["containers"]["base"]["abstract"] is True
    assert ContainerMap("full", data) == c_map
    assert ContainerMap("full", data).as_dict() == data


def test_equality_covers_volumes_host_and_name():
    c_map = ContainerMap("main", getting_started())
    other = ContainerMap("main", getting_started())
    other.volumes["app_data"].default_path = "/elsewhere"
    other.clean()
    assert other != c_map
    assert ContainerMap("other", getting_started()) != c_map
    changed_root = ContainerMap("main", getting_started(), host_root="/x")
    assert changed_root != c_map


def test_copy_keeps_name_and_is_independent():
    c_map = ContainerMap("main", getting_started())
    duplicate = c_map.copy()
    assert duplicate.name == "main"
    assert duplicate == c_map
    duplicate.containers["nginx"].user = "x"
    duplicate.clean()
    assert c_map.containers["nginx"].user is NotSet
    assert ContainerMap("main", c_map) == c_map


def test_get_and_get_existing():
    c_map = ContainerMap("main", getting_started())
    assert c_map.get_existing("missing") is None
    assert c_map.get_existing_network("net") is None
    assert c_map.get_existing_volume("nope") is None
    assert isinstance(c_map.get("new"), ContainerConfiguration)
    assert c_map.get_existing("new") is not None
    assert isinstance(c_map.get_network("net"), NetworkConfiguration)
    assert c_map.get_volume("nginx_log").default_path == "/var/log/nginx"


def test_section_setters():
    c_map = ContainerMap("main")
    c_map.volumes = {"a": "/a"}
    c_map.host = {"a": "host/a", "root": "/r"}
    c_map.containers = {"web": {"binds": "a"}}
    c_map.networks = {"net": None}
    c_map.check_integrity()
    assert c_map.host.root == "/r"
    assert c_map.host.get_path("a") == "/r/host/a"
    assert list(c_map.networks) == [("net", NetworkConfiguration())]
    with pytest.raises(MapIntegrityError, match="main.volumes: expected a mapping"):
        c_map.volumes = ["a"]
    assert c_map.volumes["a"].default_path == "/a"


def test_update_from_dict_checks_structure_before_changing_anything():
    c_map = ContainerMap("main", getting_started())
    with pytest.raises(MapIntegrityError) as info:
        c_map.update_from_dict({"nginx": {"user": "x"}, "web": {"imagee": "x"}, "volumes": 5})
    assert [problem.location for problem in info.value.problems] == ["main.web.imagee", "main.volumes"]
    assert c_map.get_existing("web") is None
    assert c_map.containers["nginx"].user is NotSet
    c_map.update_from_dict({"nginx": {"user": "x"}})
    c_map.clean()
    assert c_map.containers["nginx"].user == "x"


def test_merge_map_dict():
    c_map = ContainerMap("main", getting_started())
    c_map.merge(
        {
            "nginx": {"binds": [("nginx_config", "rw")], "links": "uwsgi"},
            "worker": {"image": "worker"},
            "volumes": {"nginx_log": "/logs"},
            "host": {"extra": "extra"},
            "host_root": "/new",
            "repository": "repo",
        }
    )
    nginx = c_map.containers["nginx"]
    assert nginx.binds == [SharedVolume("nginx_config", False)]
    assert nginx.links == [("uwsgi", None)]
    assert c_map.containers["worker"].image == "worker"
    assert c_map.volumes["nginx_log"].default_path == "/logs"
    assert c_map.host["extra"] == "extra" and c_map.host["app_data"] == "data/app"
    assert c_map.host.root == "/new"
    assert c_map.repository == "repo"


def test_merge_lists_only_keeps_scalars_and_root():
    c_map = ContainerMap("main", getting_started())
    c_map.merge(
        {"uwsgi": {"user": 1, "instances": ["a"]}, "host_root": "/new", "repository": "r"}, lists_only=True
    )
    assert c_map.containers["uwsgi"].user == 2000
    assert c_map.containers["uwsgi"].instances == ["a"]
    assert c_map.host.root == "/var/lib/site"
    assert c_map.repository is NotSet


def test_merge_bad_dict_changes_nothing():
    c_map = ContainerMap("main", getting_started())
    before = c_map.copy()
    with pytest.raises(MapIntegrityError) as info:
        c_map.merge({"nginx": {"user": "x", "links": 5}, "web": {"imgae": "x"}})
    assert {problem.location for problem in info.value.problems} == {"main.nginx.links", "main.web.imgae"}
    assert c_map == before


def test_merge_other_map():
    c_map = ContainerMap("main", getting_started())
    other = ContainerMap("main", {"nginx": {"instances": "two"}, "host_root": "/o"}, check_integrity=False)
    c_map.merge(other)
    assert c_map.containers["nginx"].instances == ["two"]
    assert c_map.host.root == "/o"


def test_multi_level_extends_and_abstract_configs():
    c_map = ContainerMap(
        "main",
        {
            "root": {"abstract": True, "user": "root", "shares": "/a", "create_options": {"a": 1}},
            "middle": {"abstract": True, "extends": "root", "shares": "/b", "create_options": {"b": 2}},
            "other": {"abstract": True, "permissions": "0700", "user": "other"},
            "leaf": {"extends": ["middle", "other"], "image": "leaf", "shares": "/c"},
            "plain": {"image": "plain"},
        },
    )
    leaf = c_map.get_extended(c_map.containers["leaf"])
    assert leaf.shares == ["/a", "/b", "/c"]
    assert leaf.user == "other"
    assert leaf.permissions == "0700"
    assert leaf.create_options == {"a": 1, "b": 2}
    assert leaf.abstract is False and leaf.extends == []
    assert c_map.get_extended("plain") is c_map.containers["plain"]
    ext = c_map.get_extended_map()
    assert ext.is_extended
    assert sorted(ext.containers.keys()) == ["leaf", "plain"]
    assert ext.containers["leaf"] == leaf
    assert ext.get_extended(ext.containers["leaf"]) is ext.containers["leaf"]
    assert [name for name, _ in c_map] == ["leaf", "plain"]


def test_get_extended_with_unknown_base_is_an_integrity_error():
    c_map = ContainerMap("main", {"a": {"extends": "missing"}}, check_integrity=False)
    with pytest.raises(MapIntegrityError, match="main.a.extends: unknown container configuration 'missing'"):
        c_map.get_extended("a")
    with pytest.raises(MapIntegrityError):
        c_map.get_extended_map()


def test_deep_extends_chain_without_recursion():
    data = {f"c{index}": {"extends": f"c{index - 1}", "shares": f"/s{index}"} for index in range(1, 3000)}
    data["c0"] = {"shares": "/s0"}
    c_map = ContainerMap("main", data)
    assert len(c_map.get_extended("c2999").shares) == 3000


def test_get_extended_map_defaults_fill_unset_map_properties():
    c_map = ContainerMap("main", {"web": {"image": "web"}, "default_tag": "own"})
    ext = c_map.get_extended_map(
        {
            "repository": "registry.example.com",
            "default_tag": "default",
            "set_hostname": False,
            "host_root": "/defaults",
            "volumes": {"extra": "/extra"},
            "clients": ["c1"],
        }
    )
    assert ext.repository == "registry.example.com"
    assert ext.default_tag == "own"
    assert ext.set_hostname is False
    assert ext.host.root == "/defaults"
    assert ext.clients == ["c1"]
    assert ext.volumes["extra"].default_path == "/extra"
    assert ext.get_image("web") == ("registry.example.com/web", "own")


@pytest.mark.parametrize(
    "settings, image, expected",
    [
        ({}, "app-server", ("app-server", "latest")),
        ({"repository": "registry.example.com"}, "image1", ("registry.example.com/image1", "latest")),
        (
            {"repository": "registry.example.com", "default_tag": "devel"},
            "image1",
            ("registry.example.com/image1", "devel"),
        ),
        ({"repository": "registry.example.com", "default_tag": "devel"}, "/image1", ("image1", "devel")),
        ({"repository": "registry.example.com"}, "image1:one", ("registry.example.com/image1", "one")),
        ({"repository": "registry.example.com"}, "/image1:two", ("image1", "two")),
        ({"repository": "registry.example.com"}, "other/image1", ("other/image1", "latest")),
        ({}, "registry:5000/img", ("registry:5000/img", "latest")),
        ({"default_tag": "d"}, "registry:5000/img:1.0", ("registry:5000/img", "1.0")),
        ({"repository": lazy_once(lambda: "lazy.example.com")}, "x", ("lazy.example.com/x", "latest")),
    ],
)
def test_get_image(settings, image, expected):
    assert ContainerMap("main", settings).get_image(image) == expected


def test_get_persistent_items():
    c_map = ContainerMap("full", full_featured())
    attached, persistent = c_map.get_persistent_items()
    assert attached == [
        ("app", SharedVolume("app_socket")),
        ("app", UsedVolume("app_log", "/var/log/app")),
        ("db", SharedVolume("db_data")),
    ]
    assert persistent == [("app", "a"), ("app", "b"), ("db", None)]


def test_map_name_must_be_a_string():
    with pytest.raises(ValueError, match="map name"):
        ContainerMap(None)
    with pytest.raises(MapIntegrityError, match="main: expected a mapping of map keys, got list"):
        ContainerMap("main", [1, 2])


def test_check_integrity_false_defers_value_errors_to_clean():
    c_map = ContainerMap("main", {"web": {"links": 5}}, check_integrity=False)
    with pytest.raises(MapIntegrityError, match="main.web.links: Invalid"):
        c_map.clean()
    with pytest.raises(MapIntegrityError, match="main.web.imgae: unknown key"):
        ContainerMap("main", {"web": {"imgae": "x"}}, check_integrity=False)


@pytest.mark.parametrize(
    "key, place",
    [
        ("environment", "create_options.environment"),
        ("command", "create_options.command"),
        ("restart_policy", "host_config.restart_policy"),
        ("mem_limit", "host_config.mem_limit"),
        ("ports", "exposes"),
    ],
)
def test_docker_keywords_at_the_container_level_name_their_place(key, place):
    with pytest.raises(MapIntegrityError, match=f"main.web.{key}: unknown key; set it as {place}$"):
        ContainerMap("main", {"web": {"image": "nginx", key: "x"}})
