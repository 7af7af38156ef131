"""The classic import paths (``dockermap.compat`` and its aliases): every name imports, the aliases behave
like the classic ones or say what replaces them, and the core never loads the compatibility package."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
import textwrap

import pytest

from dockermap.compat import CLASSIC_NAMES, classic_name
from dockermap.compat.action import Action, ContainerUtilAction, DerivedAction, ImageAction, VolumeUtilAction
from dockermap.compat.policy import BasePolicy, check_policy_class
from dockermap.compat.policy_utils import get_instance_volumes, get_shared_volume_path, init_options
from dockermap.map.client import MappingDockerClient
from dockermap.map.config.main import ContainerMap
from dockermap.map.input import HostVolume, ItemType, MapConfigId, SharedVolume
from dockermap.map.names import container_name, hostname, network_name, volume_name
from tests.helpers import REPO_ROOT

#: Classic import paths downstream code uses, and the names it takes from them.
CLASSIC_IMPORTS = {
    "dockermap.map.action": [
        "Action", "ActionEnum", "ContainerUtilAction", "VolumeUtilAction", "NetworkUtilAction", "ImageAction",
        "DerivedAction", "ItemAction",
    ],
    "dockermap.map.policy": ["ConfigFlags"],
    "dockermap.map.policy.base": ["BasePolicy"],
    "dockermap.map.policy.utils": [
        "extract_user", "update_kwargs", "init_options", "get_shared_volume_path", "get_instance_volumes",
        "INITIAL_START_TIME",
    ],
    "dockermap.map.runner": ["AbstractRunner", "ActionConfig", "ActionOutput"],
    "dockermap.map.state": ["State", "StateFlags", "ConfigFlags", "ConfigState"],
    "dockermap.map.base": ["DockerClientWrapper"],
    "dockermap.docker_api": [
        "APIClient", "HostConfig", "NetworkingConfig", "EndpointConfig", "IPAMPool", "IPAMConfig",
    ],
}  # fmt: skip


@pytest.mark.parametrize("module, names", sorted(CLASSIC_IMPORTS.items()))
def test_classic_paths_import(module, names):
    imported = importlib.import_module(module)
    for name in names:
        assert getattr(imported, name) is not None, f"{module}.{name}"


def test_policy_class_is_the_classic_policy():
    assert MappingDockerClient.policy_class is BasePolicy
    assert MappingDockerClient().policy_class is BasePolicy


def test_the_core_never_loads_the_compatibility_package():
    # In a fresh interpreter: import the core, build and plan-free-use a client, read core names.
    code = textwrap.dedent(
        """
        import sys
        import dockermap.api, dockermap.fabric, dockermap.shortcuts, dockermap.map.yaml
        import dockermap.map.runner, dockermap.map.state, dockermap.map.policy, dockermap.map.plan
        from dockermap.api import ContainerMap, MappingDockerClient
        client = MappingDockerClient(ContainerMap("m", {"web": {"image": "nginx"}}))
        client.list_persistent_containers()
        assert hasattr(dockermap.map.runner, "Runner")
        loaded = [name for name in sys.modules if name.startswith("dockermap.compat")]
        assert not loaded, loaded
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_classic_names_of_core_modules():
    for module, names in CLASSIC_NAMES.items():
        for name in names:
            assert classic_name(module, name) is getattr(importlib.import_module(module), name)
    with pytest.raises(AttributeError, match="module 'dockermap.map.runner' has no attribute 'Nothing'"):
        importlib.import_module("dockermap.map.runner").Nothing  # noqa: B018


def test_name_helpers_follow_the_engine_name_rules():
    assert BasePolicy.cname("m", "web") == container_name("m", "web") == "m.web"
    assert BasePolicy.cname("m", "web", "1") == "m.web.1"
    assert BasePolicy.aname("m", "data", "web") == volume_name("m", "data", "web") == "m.web.data"
    assert BasePolicy.nname("m", "back") == network_name("m", "back") == "m.back"
    assert BasePolicy.nname("m", "host") == "host"
    assert BasePolicy.get_hostname("m.app_server.x", "client_1") == "m-app-server-x-client-1"
    assert BasePolicy.get_hostname("m.web") == hostname("m.web")
    assert BasePolicy.resolve_cname("m.web.1") == ("m", "web", "1")
    assert BasePolicy.resolve_cname("web", includes_map=False) == ("web", None)
    assert BasePolicy.get_default_client_name() == "__default__"
    with pytest.raises(ValueError, match="Invalid container name: web"):
        BasePolicy.resolve_cname("web")


def test_name_helpers_of_a_policy_give_the_names_of_its_maps():
    c_map = ContainerMap(
        "m",
        {
            "web": {"container_name": "www", "attaches": "data", "networks": "front"},
            "db": {"attaches": "log"},
            "volumes": {"data": {"default_path": "/d", "name": "web-data"}, "log": "/l"},
            "networks": {"front": {"name": "edge"}},
            "naming": "compose",
        },
    )
    policy = BasePolicy({"m": c_map}, {})
    assert (policy.cname("m", "web"), policy.cname("m", "db")) == ("www", "m-db-1")
    assert (policy.aname("m", "data", "web"), policy.aname("m", "log", "db")) == ("web-data", "m_log")
    assert (policy.nname("m", "front"), policy.nname("m", "host")) == ("edge", "host")
    assert (policy.cname("other", "web"), BasePolicy.cname("m", "web")) == (
        "other.web",
        "m.web",
    )  # fixed rules
    check_policy_class(BasePolicy)


def test_policy_dependencies_and_removed_members():
    c_map = ContainerMap("m", {"web": {"image": "nginx", "links": "db"}, "db": {"image": "postgres"}})
    policy = BasePolicy({"m": c_map}, {}, option_defaults={"core_image": "busybox"})
    web, db = (MapConfigId(ItemType.CONTAINER, "m", name) for name in ("web", "db"))
    assert db in policy.get_dependencies(web)
    assert web in policy.get_dependents(db)
    assert policy.container_maps["m"].get_existing("web").links == [("db", None)]
    assert policy.option_defaults == {"core_image": "busybox"}
    with pytest.raises(AttributeError, match="BasePolicy.container_names is gone; use MappingDockerClient"):
        policy.container_names  # noqa: B018


def test_policy_subclasses_that_change_names_are_refused():
    class Renaming(BasePolicy):
        @classmethod
        def cname(cls, map_name, container, instance=None):
            return f"{container}-{map_name}"

    class OwnCoreImage(BasePolicy):
        core_image = "alpine:3"

    class Plain(BasePolicy):
        pass

    check_policy_class(Plain)
    with pytest.raises(TypeError, match="Renaming.cname changes a name rule"):
        check_policy_class(Renaming)
    with pytest.raises(
        TypeError, match=r"OwnCoreImage.core_image is not read any more; pass option_defaults"
    ):
        check_policy_class(OwnCoreImage)

    class Client(MappingDockerClient):
        policy_class = Renaming

    with pytest.raises(TypeError, match="Renaming.cname changes a name rule"):
        Client()


def test_gone_classes_say_what_replaces_them():
    from dockermap.map.action import ItemAction
    from dockermap.map.runner import AbstractRunner

    class FabricRunner(AbstractRunner):  # declaring a subclass still works
        pass

    with pytest.raises(TypeError, match="FabricRunner: AbstractRunner is gone; plans run with"):
        FabricRunner()
    with pytest.raises(TypeError, match="ItemAction is gone: plans are lists of dockermap.map.items.Action"):
        ItemAction(None, Action.CREATE)


def test_action_names_carry_todays_kinds():
    assert Action.CREATE.kind == "create"
    assert ContainerUtilAction.EXEC_ALL.kind == "exec"
    assert ContainerUtilAction.SIGNAL_STOP.kind == "stop"
    assert VolumeUtilAction.PREPARE.kind == "prepare"
    assert ImageAction.PULL.kind == "pull"
    assert [a.kind for a in DerivedAction.RESET_CONTAINER] == ["stop", "remove", "create", "connect", "start"]


def test_policy_utils():
    c_map = ContainerMap(
        "m", {"volumes": {"data": "/var/data"}, "host": {"data": "/srv/data"}, "web": {"binds": ["data"]}}
    )
    assert get_shared_volume_path(c_map, SharedVolume("data")) == ("/var/data", "/srv/data")
    assert get_shared_volume_path(c_map, HostVolume("/etc/x", "/srv/x")) == ("/etc/x", "/srv/x")
    assert init_options(lambda: {"a": 1}) == {"a": 1}
    options = {"b": 2}
    assert init_options(options) == options and init_options(options) is not options
    assert init_options(None) == {}
    detail = {"Mounts": [{"Destination": "/d", "Source": "/var/lib/docker/volumes/v/_data", "Name": "v"}]}
    assert get_instance_volumes(detail) == {"/d": "/var/lib/docker/volumes/v/_data"}
    assert get_instance_volumes(detail, check_names=True) == {"/d": "v"}


def test_migration_guide_examples():
    result = doctest.testfile(str(REPO_ROOT / "docs" / "guide-migration.rst"), module_relative=False)
    assert result.attempted >= 4
    assert result.failed == 0
