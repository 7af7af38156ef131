"""Volume, host-volume and network configurations."""

from __future__ import annotations

import pytest

from dockermap.functional import lazy_once
from dockermap.map.config.host_volume import HostVolumeConfiguration, get_host_path
from dockermap.map.config.network import NetworkConfiguration
from dockermap.map.config.volume import VolumeConfiguration, VolumeConfigurationMap
from dockermap.map.input import NotSet


def test_volume_from_path_and_dict():
    assert VolumeConfiguration("/data").default_path == "/data"
    volume = VolumeConfiguration({"default_path": "/d", "driver": "nfs", "user": 1000})
    volume.clean()
    assert (volume.default_path, volume.driver, volume.user, volume.permissions) == (
        "/d",
        "nfs",
        1000,
        NotSet,
    )


def test_volume_update_with_path_resets_other_settings():
    volume = VolumeConfiguration(
        {"default_path": "/d", "driver": "nfs", "user": "u", "driver_options": {"o": 1}}
    )
    volume.update_from_dict("/new")
    volume.clean()
    assert volume == VolumeConfiguration("/new")
    assert (volume.driver, volume.user, volume.driver_options) == ("local", NotSet, {})


def test_volume_merge_with_path():
    volume = VolumeConfiguration({"default_path": "/d", "user": "u"})
    volume.merge_from_dict("/new")
    assert (volume.default_path, volume.user) == ("/new", "u")
    volume.merge_from_dict("/other", lists_only=True)
    assert volume.default_path == "/new"
    volume.merge({"driver_options": {"a": 1}})
    assert volume.driver_options == {"a": 1}


def test_volume_map_wraps_paths():
    volumes = VolumeConfigurationMap({"a": "/a"}, b={"default_path": "/b"})
    volumes["c"] = lazy_once(lambda: "/c")
    volumes.update({"d": "/d"})
    assert all(isinstance(config, VolumeConfiguration) for config in volumes.values())
    for config in volumes.values():
        config.clean()
    volumes["a"].user = "x"
    volumes["a"].clean()
    assert volumes.get_default_paths() == {"a": "/a", "b": "/b", "c": "/c", "d": "/d"}
    assert volumes.get_users() == {"a": "x", "b": NotSet, "c": NotSet, "d": NotSet}
    assert volumes.get_permissions()["a"] is NotSet
    assert isinstance(volumes["missing"], VolumeConfiguration)


def test_network_defaults_and_conversion():
    network = NetworkConfiguration(internal=1, driver_options={"mtu": "1400"})
    network.clean()
    assert (network.driver, network.internal, network.driver_options) == ("bridge", True, {"mtu": "1400"})
    assert NetworkConfiguration().as_dict() == {"driver": "bridge", "internal": False}


@pytest.mark.parametrize(
    "root, path, instance, expected",
    [
        (NotSet, "rel/path", None, "rel/path"),
        ("/root", "rel/path", None, "/root/rel/path"),
        ("/root", "/abs", None, "/abs"),
        ("/root", {"a": "inst-a", "default": "dflt"}, "a", "/root/inst-a"),
        ("/root", {"a": "inst-a", "default": "dflt"}, None, "/root/dflt"),
        (lazy_once(lambda: "/lazy"), lazy_once(lambda: "p"), None, "/lazy/p"),
    ],
)
def test_get_host_path(root, path, instance, expected):
    assert get_host_path(root, path, instance) == expected


def test_get_host_path_without_instance_entry():
    with pytest.raises(ValueError, match="No path defined for instance 'b'"):
        get_host_path("/r", {"a": "x"}, "b")


def test_host_volume_configuration_root():
    host = HostVolumeConfiguration({"a": "x"}, root="/r")
    assert host.get_path("a") == "/r/x"
    assert host != HostVolumeConfiguration({"a": "x"})
    host.update({"root": "/other", "b": "y"})
    assert (host.root, host.get_path("b")) == ("/other", "/other/y")
    with pytest.raises(KeyError):
        host.get_path("missing")
