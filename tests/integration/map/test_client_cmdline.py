"""Acceptance: ``MappingDockerClient`` drives the engine through ``docker`` command lines only.

The getting-started map (stand-in images, nginx published on a free port of 127.0.0.1) runs through a
:class:`~dockermap.client.cmdline.DockerCommandLineClient`: once running the commands locally from argument
lists, once handing quoted command lines with a prefix to a shell (as over SSH with ``sudo docker``). The
engine is checked with the plain SDK client. Startup, update and shutdown must behave as with the API client.
"""

from __future__ import annotations

import copy
import dataclasses
import shlex
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

import pytest

import dockermap.client.cmdline
from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.client.cmdline import DockerCommandLineClient
from dockermap.map.input import ItemType
from tests.helpers import exec_in, fetch, free_port, mounts, remove_test_objects
from tests.integration.client.test_cmdline import RUNNER_KINDS, ShellRun, runner_kwargs
from tests.integration.map.conftest import GETTING_STARTED, build_standin

INTERFACE = "loopback"
#: A file written into each attached volume of uwsgi: volume path -> content.
DATA = {"/var/lib/app/log": "log entry", "/var/lib/uwsgi/socket": "socket entry"}
#: Docker sub-commands that change nothing.
READ_COMMANDS = {
    "ps",
    "inspect",
    "images",
    "version",
    "top",
    "volume ls",
    "volume inspect",
    "network ls",
    "network inspect",
}


def subcommand(line: str) -> str:
    """The docker sub-command of a recorded command line (after the global ``-H <url>``)."""
    words = shlex.split(line)
    rest = words[words.index("-H") + 2 :]
    return " ".join(rest[:2]) if rest[0] in ("volume", "network") else rest[0]


@dataclass
class CmdlineSite:
    """The getting-started map run through the command-line client."""

    site: object
    config: dict
    engine_url: str
    runner: dict
    port: int
    #: Every command line run by the clients of this site.
    commands: List[str] = field(default_factory=list)

    @property
    def map_name(self) -> str:
        return self.site.map.name

    def name(self, config: str) -> str:
        return f"{self.map_name}.{config}"

    def client(self) -> MappingDockerClient:
        """A client for the current :attr:`config`, through a new command-line client."""
        container_map = ContainerMap(self.map_name, copy.deepcopy(self.config))
        cli = DockerCommandLineClient(cmd_args=["-H", self.engine_url], **self.runner)
        configuration = ClientConfiguration(client=cli, interfaces={INTERFACE: "127.0.0.1"})
        return MappingDockerClient(container_map, configuration)


@pytest.fixture(params=RUNNER_KINDS)
def cmdline(request, site, engine, monkeypatch) -> CmdlineSite:
    config = copy.deepcopy(GETTING_STARTED)
    config.update(host_root=str(site.root), repository=site.repository)
    port = free_port()
    config["nginx"]["exposes"] = [(80, port, INTERFACE)]
    runner = runner_kwargs(request.param)
    result = CmdlineSite(site, config, engine.base_url, runner, port)
    if isinstance(runner.get("run"), ShellRun):
        result.commands = runner["run"].commands
    else:
        run_local = dockermap.client.cmdline.run_local

        def recording(args, *more, **kwargs):
            result.commands.append(shlex.join(args))
            return run_local(args, *more, **kwargs)

        monkeypatch.setattr(dockermap.client.cmdline, "run_local", recording)
    return result


def containers(api, cmdline: CmdlineSite) -> Dict[str, Tuple[str, str]]:
    """``{container name: (id, state)}`` of the map on the engine."""
    found = api.containers(all=True, filters={"name": f"^/{cmdline.map_name}\\."})
    return {c["Names"][0].lstrip("/"): (c["Id"], c["State"]) for c in found}


def container_actions(results) -> list:
    return [
        (r.config_id.config_name, r.action_type)
        for r in results
        if r.config_id.config_type is ItemType.CONTAINER
    ]


def test_cli_client_reports_the_engine_api_version(cmdline, engine):
    cli = cmdline.client().clients["__default__"].get_client()
    assert isinstance(cli, DockerCommandLineClient)
    assert cli.api_version == engine.api.version()["ApiVersion"]


def test_startup_creates_and_starts_uwsgi_before_nginx(cmdline, engine):
    results = cmdline.client().startup("nginx")
    assert [subcommand(c) for c in cmdline.commands].count("create") == 4  # 2 containers, 2 volume helpers
    # the two prepared volumes are created with their preparation helpers, the third on its own
    assert [subcommand(c) for c in cmdline.commands].count("volume create") == 1
    assert container_actions(results) == [
        ("uwsgi", "create"),
        ("uwsgi", "start"),
        ("nginx", "create"),
        ("nginx", "start"),
    ]
    assert {name: state for name, (_, state) in containers(engine.api, cmdline).items()} == {
        cmdline.name("uwsgi"): "running",
        cmdline.name("nginx"): "running",
    }


def test_attached_volumes_get_owner_and_mode(cmdline, engine):
    cmdline.client().startup("nginx")
    seen = exec_in(
        engine.api, cmdline.name("uwsgi"), "stat -c '%u %a' /var/lib/app/log /var/lib/uwsgi/socket"
    )
    assert seen.splitlines() == ["2000 750", "2000 750"]
    assert exec_in(engine.api, cmdline.name("uwsgi"), "id -u") == "2000"


def test_nginx_sees_exactly_its_volumes(cmdline, engine):
    cmdline.client().startup("nginx")
    nginx = mounts(engine.api, cmdline.name("nginx"))
    uwsgi = mounts(engine.api, cmdline.name("uwsgi"))
    assert set(nginx) == {"/etc/nginx", "/var/lib/uwsgi/socket", "/var/log/nginx"}
    assert nginx["/var/lib/uwsgi/socket"]["Name"] == uwsgi["/var/lib/uwsgi/socket"]["Name"]
    assert nginx["/var/lib/uwsgi/socket"]["Name"] == f"{cmdline.map_name}.uwsgi_socket"
    assert nginx["/etc/nginx"]["Source"] == str(cmdline.site.root / "config/nginx")
    assert nginx["/etc/nginx"]["RW"] is False
    assert nginx["/var/log/nginx"]["Name"] == f"{cmdline.map_name}.nginx_log"
    assert nginx["/var/log/nginx"]["RW"] is True
    assert exec_in(engine.api, cmdline.name("nginx"), "cat /var/lib/uwsgi/socket/uwsgi.sock") == "up"


def test_port_is_published_on_loopback(cmdline, engine):
    cmdline.client().startup("nginx")
    bindings = engine.api.inspect_container(cmdline.name("nginx"))["HostConfig"]["PortBindings"]
    assert bindings == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(cmdline.port)}]}
    assert fetch(f"http://127.0.0.1:{cmdline.port}/index.html") == "served by the nginx stand-in\n"


def test_update_with_nothing_changed_plans_and_does_nothing(cmdline, engine):
    cmdline.client().startup("nginx")
    before = containers(engine.api, cmdline)

    client = cmdline.client()
    del cmdline.commands[:]
    assert str(client.plan("update", "nginx")) == "nothing to do"
    assert client.update("nginx") == []
    assert client.startup("nginx") == []
    assert containers(engine.api, cmdline) == before
    assert cmdline.commands, "no command went through the command-line client"
    assert {subcommand(c) for c in cmdline.commands} <= READ_COMMANDS


def test_environment_change_recreates_exactly_uwsgi_and_data_survives(cmdline, engine):
    cmdline.config["uwsgi"]["create_options"] = {"environment": {"APP_MODE": "one"}}
    cmdline.client().startup("nginx")
    script = " && ".join(f"echo '{text}' > {path}/marker" for path, text in DATA.items())
    exec_in(engine.api, cmdline.name("uwsgi"), script)
    before = containers(engine.api, cmdline)

    cmdline.config["uwsgi"]["create_options"] = {"environment": {"APP_MODE": "two"}}
    client = cmdline.client()
    plan = client.plan("update", "nginx")
    assert {a.name for a in plan if a.kind == "create"} == {cmdline.name("uwsgi")}
    assert "environment APP_MODE changed" in str(plan) and "'two'" not in str(plan)
    client.update("nginx")

    after = containers(engine.api, cmdline)
    assert {name for name in before if after[name][0] != before[name][0]} == {cmdline.name("uwsgi")}
    assert {state for _, state in after.values()} == {"running"}
    assert exec_in(engine.api, cmdline.name("uwsgi"), "echo $APP_MODE") == "two"
    for path, text in DATA.items():
        assert exec_in(engine.api, cmdline.name("uwsgi"), f"cat {path}/marker") == text
    assert str(cmdline.client().plan("update", "nginx")) == "nothing to do"


def _volumes(api, cmdline: CmdlineSite) -> set:
    prefix = f"{cmdline.map_name}."
    found = api.volumes(filters={"name": prefix})["Volumes"] or ()
    return {v["Name"][len(prefix) :] for v in found if v["Name"].startswith(prefix)}


def test_shutdown_removes_dependents_first_and_keeps_volumes_unless_asked(cmdline, engine):
    client = cmdline.client()
    client.startup("nginx")

    results = client.shutdown("uwsgi")
    assert container_actions(results) == [
        ("nginx", "stop"),
        ("nginx", "remove"),
        ("uwsgi", "stop"),
        ("uwsgi", "remove"),
    ]
    assert containers(engine.api, cmdline) == {}
    assert _volumes(engine.api, cmdline) == {"app_log", "nginx_log", "uwsgi_socket"}

    client.startup("nginx")
    client.shutdown("uwsgi", remove_attached=True)
    assert containers(engine.api, cmdline) == {}
    assert _volumes(engine.api, cmdline) == set()


def test_noop_update_runs_one_read_command_per_kind_of_object(cmdline, private_engine, cleanup):
    # An engine of its own: on a shared one, objects of other runs come and go between two commands.
    for name in ("nginx", "uwsgi"):
        build_standin(private_engine.api, cmdline.site.repository, name)
    own = dataclasses.replace(cmdline, engine_url=private_engine.base_url)
    own.client().startup("nginx")
    client = own.client()
    del cmdline.commands[:]
    try:
        assert client.update("nginx") == []
    finally:
        remove_test_objects(private_engine.api, cleanup)

    # A fixed number of commands whatever the map's size: one list command per kind of object, and
    # the objects of a kind inspected in one command, never one command per object.
    assert [subcommand(c) for c in cmdline.commands] == [
        "version",
        "ps",
        "inspect",
        "volume ls",
        "volume inspect",
        "network ls",
        "images",
    ]


def inspections(commands: List[str], ids: Dict[str, str]) -> Dict[str, int]:
    """How many ``docker inspect`` commands named each container (``ids``: name -> id)."""
    lines = [shlex.split(c) for c in commands if subcommand(c) == "inspect"]
    return {name: sum(cid in words or name in words for words in lines) for name, cid in ids.items()}


@pytest.mark.parametrize("changed", [False, True], ids=["no-op", "changed"])
def test_update_inspects_each_container_once(cmdline, private_engine, cleanup, changed):
    # An engine of its own: on a shared one, a container of another run that goes away between the list
    # and the inspect command makes the client inspect the others again.
    for name in ("nginx", "uwsgi"):
        build_standin(private_engine.api, cmdline.site.repository, name)
    own = dataclasses.replace(cmdline, engine_url=private_engine.base_url)
    try:
        own.client().startup("nginx")
        ids = {name: cid for name, (cid, _) in containers(private_engine.api, own).items()}
        if changed:  # the changed container is inspected to say what changed: with the listing's inspect
            own.config["uwsgi"]["create_options"] = {"environment": {"APP_MODE": "two"}}
        client = own.client()
        del cmdline.commands[:]
        results = client.update("nginx")
    finally:
        remove_test_objects(private_engine.api, cleanup)

    assert bool(results) is changed
    assert inspections(cmdline.commands, ids) == {name: 1 for name in ids}, "\n".join(cmdline.commands)
