"""Acceptance: ``update`` recreates exactly the containers a change affects, and the data stays.

The getting-started map runs on the test engine (stand-in images; nginx publishes on free loopback ports
instead of 80/443). Data is written into the attached volumes, then one thing changes — an image, a
container's state, the configuration — and ``update`` runs. Every container of the map is compared
before and after: the affected ones have new ids, the others keep theirs, all of them run, and the data
written before is still there.
"""

from __future__ import annotations

import copy
from typing import Dict, Iterable, Tuple

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.input import ItemType
from dockermap.map.plan.container import short_id
from tests.helpers import exec_in, fetch, free_port
from tests.integration.map.conftest import GETTING_STARTED, build_standin

#: Name of the client interface the published ports are bound to.
INTERFACE = "loopback"
#: A file written into each attached volume of uwsgi before the update: volume path -> content.
DATA = {"/var/lib/app/log": "log entry", "/var/lib/uwsgi/socket": "socket entry"}
#: The stand-in uwsgi's main loop, for configurations that set their own command.
UWSGI_LOOP = "trap 'exit 0' TERM; echo up > /var/lib/uwsgi/socket/uwsgi.sock; while true; do sleep 1; done"
NGINX_LOOP = "trap 'exit 0' TERM; httpd -f -p 80 -h /etc/nginx & wait"

Snapshot = Dict[str, Tuple[str, str]]  # container name -> (id, state)


class Stack:
    """The getting-started map on the test engine; tests edit :attr:`config` and deploy it again."""

    def __init__(self, site, engine) -> None:
        self.site = site
        self.api = engine.api
        self.base_url = engine.base_url
        self.config = copy.deepcopy(GETTING_STARTED)
        self.config.update(host_root=str(site.root), repository=site.repository)
        self.port = free_port()
        self.config["nginx"]["exposes"] = [(80, self.port, INTERFACE), (443, free_port(), INTERFACE)]

    def name(self, config: str) -> str:
        return self.site.name(config)

    def client(self, base_url: str = "") -> MappingDockerClient:
        """A client for the current :attr:`config` (a new map object each time, so edits apply)."""
        container_map = ContainerMap(self.site.map.name, copy.deepcopy(self.config))
        configuration = ClientConfiguration(
            base_url=base_url or self.base_url, interfaces={INTERFACE: "127.0.0.1"}
        )
        return MappingDockerClient(container_map, configuration)

    def containers(self) -> Snapshot:
        """Every container of the map on the engine."""
        prefix = self.site.map.name + "."
        result = {}
        for entry in self.api.containers(all=True):
            name = entry["Names"][0].lstrip("/")
            if name.startswith(prefix):
                result[name] = (entry["Id"], entry["State"])
        return result

    def start(self, names: Iterable[str] = ("nginx",)) -> Snapshot:
        """Start the map, write :data:`DATA` into uwsgi's volumes; returns the containers."""
        self.client().startup(list(names))
        script = " && ".join(f"echo '{text}' > {path}/marker" for path, text in DATA.items())
        exec_in(self.api, self.name("uwsgi"), script)
        before = self.containers()
        assert all(state == "running" for _, state in before.values()), before
        return before

    def update(self, before: Snapshot, replaced: Iterable[str], names=("nginx",), **kwargs) -> list:
        """Run ``update``; check that exactly ``replaced`` got new containers and everything runs."""
        results = self.client().update(list(names), **kwargs)
        after = self.containers()
        assert set(after) == set(before)
        changed = {name for name in before if after[name][0] != before[name][0]}
        assert changed == {self.name(config) for config in replaced}
        assert {name: state for name, (_, state) in after.items()} == {name: "running" for name in after}
        return results

    def assert_data(self, paths: Dict[str, str] = None) -> None:
        """The files written by :meth:`start` are there (``paths`` maps an old volume path to a new one)."""
        for path, text in DATA.items():
            path = (paths or {}).get(path, path)
            assert exec_in(self.api, self.name("uwsgi"), f"cat {path}/marker") == text

    def inspect(self, config: str) -> dict:
        return self.api.inspect_container(self.name(config))


@pytest.fixture
def stack(site, engine) -> Stack:
    return Stack(site, engine)


def planned(plan, kind: str) -> set:
    """Names of the containers ``plan`` applies ``kind`` to."""
    return {a.name for a in plan if a.kind == kind and a.item_type is ItemType.CONTAINER}


def cause(plan, kind: str, name: str) -> str:
    """The cause of the ``kind`` action on container ``name``."""
    (found,) = [
        a.cause for a in plan if a.kind == kind and a.item_type is ItemType.CONTAINER and a.name == name
    ]
    return found


# --------------------------------------------------------------------------------------------------
# Image


@pytest.mark.parametrize("rebuilt", ["uwsgi", "nginx"])
def test_new_image_id_recreates_the_containers_of_that_image(stack, rebuilt):
    before = stack.start()
    old_id = stack.api.inspect_image(f"{stack.site.repository}/{rebuilt}:latest")["Id"]
    new_id = build_standin(stack.api, stack.site.repository, rebuilt, extra="LABEL v=2\n")
    assert new_id != old_id

    plan = stack.client().plan("update", "nginx")
    assert planned(plan, "create") == {stack.name(rebuilt)}
    assert cause(plan, "remove", stack.name(rebuilt)) == (
        f"recreate: image {stack.site.repository}/{rebuilt}:latest is now {short_id(new_id)}, "
        f"container runs {short_id(old_id)}"
    )

    stack.update(before, replaced=[rebuilt])
    assert stack.inspect(rebuilt)["Image"] == new_id
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# Stopped containers


def test_exit_code_listed_as_nonrecoverable_recreates_the_container(stack):
    before = stack.start()
    stack.api.kill(stack.name("uwsgi"), signal="SIGKILL")
    assert stack.api.wait(stack.name("uwsgi"))["StatusCode"] == 137

    plan = stack.client().plan("update", "nginx", nonrecoverable_exit_codes=(137,))
    assert planned(plan, "create") == {stack.name("uwsgi")}
    assert "exited with code 137, listed in nonrecoverable_exit_codes" in str(plan)

    stack.update(before, replaced=["uwsgi"], nonrecoverable_exit_codes=(137,))
    stack.assert_data()


@pytest.mark.parametrize(
    "stop, code",
    [
        (lambda api, name: api.stop(name), 0),
        (lambda api, name: api.kill(name, signal="SIGKILL"), 137),  # not listed by default
    ],
    ids=["stopped", "killed"],
)
def test_plainly_stopped_container_is_started_again(stack, stop, code):
    before = stack.start()
    stop(stack.api, stack.name("uwsgi"))
    assert stack.api.wait(stack.name("uwsgi"))["StatusCode"] == code

    plan = stack.client().plan("update", "nginx")
    assert [(a.kind, a.name) for a in plan] == [("start", stack.name("uwsgi"))]
    assert f"container exited with code {code}" in str(plan)

    stack.update(before, replaced=[])
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# Links


def test_missing_linked_container_is_created_and_its_dependent_recreated(stack):
    stack.config["web"] = {"image": "nginx", "binds": {"nginx_config": "ro"}, "links": [("uwsgi", "app")]}
    before = stack.start(["nginx", "web"])
    stack.api.remove_container(stack.name("uwsgi"), force=True)  # behind dockermap's back

    plan = stack.client().plan("update", ["nginx", "web"])
    assert planned(plan, "create") == {stack.name("uwsgi"), stack.name("web")}
    text = str(plan)
    assert f"create container {stack.name('uwsgi')}: container does not exist" in text
    assert f"linked container {stack.name('uwsgi')} was missing and is created" in text

    stack.update(before, replaced=["uwsgi", "web"], names=["nginx", "web"])
    assert stack.inspect("web")["HostConfig"]["Links"] == [f"/{stack.name('uwsgi')}:/{stack.name('web')}/app"]
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# Volumes and ports


def _move_log_volume(stack: Stack) -> dict:
    stack.config["volumes"]["app_log"] = "/var/lib/app/logs"
    return {"/var/lib/app/log": "/var/lib/app/logs"}


def _change_config_bind(stack: Stack) -> dict:
    (stack.site.root / "config/nginx2").mkdir()
    (stack.site.root / "config/nginx2/index.html").write_text("second configuration\n")
    stack.config["host"]["nginx_config"] = "config/nginx2"
    return {}


@pytest.mark.parametrize(
    "change, replaced, reason",
    [
        (_move_log_volume, "uwsgi", "nothing is mounted at /var/lib/app/logs, expected {map}.app_log"),
        (
            _change_config_bind,
            "nginx",
            "/etc/nginx mounts {root}/config/nginx, expected {root}/config/nginx2",
        ),
    ],
    ids=["volume-path", "bind"],
)
def test_changed_volume_mapping_recreates_the_container(stack, change, replaced, reason):
    before = stack.start()
    moved = change(stack)

    plan = stack.client().plan("update", "nginx")
    assert planned(plan, "create") == {stack.name(replaced)}
    assert cause(plan, "remove", stack.name(replaced)).startswith(
        "recreate: " + reason.format(map=stack.site.map.name, root=stack.site.root)
    )

    stack.update(before, replaced=[replaced])
    stack.assert_data(moved)
    if replaced == "nginx":
        mount = {m["Destination"]: m for m in stack.inspect("nginx")["Mounts"]}["/etc/nginx"]
        assert mount["Source"] == str(stack.site.root / "config/nginx2")
        assert fetch(f"http://127.0.0.1:{stack.port}/index.html") == "second configuration\n"


def test_changed_published_port_recreates_the_container(stack):
    before = stack.start()
    new_port = free_port()
    stack.config["nginx"]["exposes"][0] = (80, new_port, INTERFACE)

    plan = stack.client().plan("update", "nginx")
    assert planned(plan, "create") == {stack.name("nginx")}
    assert cause(plan, "remove", stack.name("nginx")) == (
        f"recreate: port 80/tcp is not published on 127.0.0.1:{new_port}; configuration changed: "
        f"port_bindings 80 is ['127.0.0.1', {stack.port}], expected ['127.0.0.1', {new_port}]"
    )

    stack.update(before, replaced=["nginx"])
    bindings = stack.inspect("nginx")["HostConfig"]["PortBindings"]["80/tcp"]
    assert bindings == [{"HostIp": "127.0.0.1", "HostPort": str(new_port)}]
    assert fetch(f"http://127.0.0.1:{new_port}/index.html") == "served by the nginx stand-in\n"
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# create_options: the classic rules (environment, command, entrypoint)


NGINX_COMMAND = ["sh", "-c", NGINX_LOOP]
NGINX_VERBOSE = ["sh", "-c", NGINX_LOOP.replace("httpd -f", "httpd -f -v")]


def _uwsgi_entrypoint(entrypoint):
    return {"entrypoint": entrypoint, "command": [UWSGI_LOOP]}


@pytest.mark.parametrize(
    "config, old, new, reason, check",
    [
        (
            "uwsgi",
            {"environment": {"APP_MODE": "one", "APP_NAME": "site"}},
            {"environment": {"APP_MODE": "two", "APP_NAME": "site"}},
            "environment APP_MODE changed",
            lambda stack: exec_in(stack.api, stack.name("uwsgi"), "echo $APP_MODE-$APP_NAME") == "two-site",
        ),
        (
            "nginx",
            {"command": NGINX_COMMAND},
            {"command": NGINX_VERBOSE},
            f"command is {NGINX_COMMAND!r}, expected {NGINX_VERBOSE!r}",
            lambda stack: stack.inspect("nginx")["Config"]["Cmd"] == NGINX_VERBOSE,
        ),
        (
            "uwsgi",
            _uwsgi_entrypoint(["sh", "-c"]),
            _uwsgi_entrypoint(["/bin/sh", "-c"]),
            "entrypoint is ['sh', '-c'], expected ['/bin/sh', '-c']",
            lambda stack: stack.inspect("uwsgi")["Config"]["Entrypoint"] == ["/bin/sh", "-c"],
        ),
    ],
    ids=["environment", "command", "entrypoint"],
)
def test_changed_classic_create_option_recreates_the_container(stack, config, old, new, reason, check):
    stack.config[config]["create_options"] = old
    before = stack.start()
    stack.config[config]["create_options"] = new

    plan = stack.client().plan("update", "nginx")
    assert planned(plan, "create") == {stack.name(config)}
    assert cause(plan, "remove", stack.name(config)) == f"recreate: configuration changed: {reason}"

    stack.update(before, replaced=[config])
    assert check(stack)
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# Any other create or host-config option: caught by the fingerprint

HEALTHCHECK_OLD = {"test": ["CMD", "true"], "interval": 30_000_000_000}
HEALTHCHECK_NEW = {"test": ["CMD", "sh", "-c", "true"], "interval": 30_000_000_000}

FINGERPRINTED = {
    # key: (section, old value, new value, reason, inspect section and key, the new value as inspected)
    "labels": (
        "create_options",
        {"tier": "web"},
        {"tier": "edge"},
        "label tier is 'web', expected 'edge'",
        ("Config", "Labels"),
        lambda labels: labels["tier"] == "edge",
    ),
    "cap_add": (
        "host_config",
        ["NET_ADMIN"],
        ["SYS_TIME"],
        "cap_add is ['NET_ADMIN'], expected ['SYS_TIME']",
        ("HostConfig", "CapAdd"),
        lambda value: value == ["SYS_TIME"],
    ),
    "dns": (
        "host_config",
        ["127.0.0.1"],
        ["127.0.0.2"],
        "dns is ['127.0.0.1'], expected ['127.0.0.2']",
        ("HostConfig", "Dns"),
        lambda value: value == ["127.0.0.2"],
    ),
    "tmpfs": (
        "host_config",
        {"/run/cache": "size=1m"},
        {"/run/cache": "size=2m"},
        "tmpfs /run/cache is 'size=1m', expected 'size=2m'",
        ("HostConfig", "Tmpfs"),
        lambda value: value == {"/run/cache": "size=2m"},
    ),
    "ulimits": (
        "host_config",
        [{"name": "nofile", "soft": 1024, "hard": 2048}],
        [{"name": "nofile", "soft": 512, "hard": 2048}],
        "ulimits is [{'hard': 2048, 'name': 'nofile', 'soft': 1024}], "
        "expected [{'name': 'nofile', 'soft': 512, 'hard': 2048}]",
        ("HostConfig", "Ulimits"),
        lambda value: value == [{"Name": "nofile", "Soft": 512, "Hard": 2048}],
    ),
    "healthcheck": (
        "create_options",
        HEALTHCHECK_OLD,
        HEALTHCHECK_NEW,
        f"healthcheck test is {HEALTHCHECK_OLD['test']}, expected {HEALTHCHECK_NEW['test']}",
        ("Config", "Healthcheck"),
        lambda value: value["Test"] == HEALTHCHECK_NEW["test"],
    ),
    "user": (
        "create_options",
        "0",
        "65534",
        "user is '0', expected '65534'",
        ("Config", "User"),
        lambda value: value == "65534",
    ),
    "working_dir": (
        "create_options",
        "/tmp",
        "/etc",
        "working_dir is '/tmp', expected '/etc'",
        ("Config", "WorkingDir"),
        lambda value: value == "/etc",
    ),
}


@pytest.mark.parametrize("key", list(FINGERPRINTED))
def test_any_other_option_change_recreates_the_container(stack, key):
    section, old, new, reason, (inspect_section, inspect_key), applied = FINGERPRINTED[key]
    stack.config["nginx"][section] = {key: old}
    before = stack.start()
    stack.config["nginx"][section] = {key: new}

    plan = stack.client().plan("update", "nginx")
    assert planned(plan, "create") == {stack.name("nginx")}
    assert cause(plan, "remove", stack.name("nginx")) == f"recreate: configuration changed: {reason}"
    assert f"remove container {stack.name('nginx')}: recreate: configuration changed: {reason}" in str(plan)

    stack.update(before, replaced=["nginx"])
    assert applied(stack.inspect("nginx")[inspect_section][inspect_key])
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# In place: limits and restart policy


@pytest.mark.parametrize(
    "key, old, new, cause, inspect_key, expected",
    [
        ("mem_limit", "64m", "128m", "mem_limit 67108864 -> 134217728", "Memory", 134217728),
        (
            "restart_policy",
            {"Name": "unless-stopped"},
            {"Name": "on-failure", "MaximumRetryCount": 2},
            "restart_policy unless-stopped -> on-failure:2",
            "RestartPolicy",
            {"Name": "on-failure", "MaximumRetryCount": 2},
        ),
    ],
    ids=["mem_limit", "restart_policy"],
)
def test_updatable_host_config_change_is_applied_in_place(stack, key, old, new, cause, inspect_key, expected):
    stack.config["uwsgi"]["host_config"] = {key: old}
    before = stack.start()
    stack.config["uwsgi"]["host_config"] = {key: new}

    plan = stack.client().plan("update", "nginx")
    assert [(a.kind, a.name) for a in plan] == [("update", stack.name("uwsgi"))]
    assert str(plan).startswith(f"update container {stack.name('uwsgi')}: {cause}")

    stack.update(before, replaced=[])
    assert stack.inspect("uwsgi")["HostConfig"][inspect_key] == expected
    stack.assert_data()


# --------------------------------------------------------------------------------------------------
# Nothing changed


def test_update_with_nothing_changed_makes_no_mutating_call(stack, request_proxy):
    before = stack.start()
    client = stack.client(request_proxy.base_url)

    assert str(client.plan("update", "nginx")) == "nothing to do"
    request_proxy.reset()
    assert client.update("nginx") == []

    assert request_proxy.requests, "the update went past the proxy"
    assert request_proxy.mutating() == []
    assert stack.containers() == before
    stack.assert_data()
