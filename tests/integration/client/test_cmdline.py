"""The command-line client against the real engine: same data as the API client, every call, every error.

Each test runs twice: commands run locally from argument lists, and command lines (with a prefix word,
as ``sudo`` would be) handed to ``sh -c``, as a remote shell runs them. The engine is checked with the
plain SDK client.
"""

from __future__ import annotations

import subprocess
import time
from typing import List, Optional

import docker
import pytest
import requests

from dockermap.client.cli import UnsupportedOption
from dockermap.client.cmdline import CommandError, DockerCommandLineClient
from dockermap.exceptions import DockerStatusError
from dockermap.map.runner.utils import wait_exit_code
from dockermap.map.state import _network, _volume, container_from_list
from tests.helpers import TEST_RUN_LABEL, exec_in, fetch, free_port


class ShellRun:
    """A ``run`` callable: ``sh -c`` as a remote shell, recording each command line."""

    def __init__(self) -> None:
        self.commands: List[str] = []

    def __call__(self, command: str, stdin: Optional[str] = None) -> str:
        self.commands.append(command)
        proc = subprocess.run(["sh", "-c", command], input=stdin, capture_output=True, text=True)
        if proc.returncode != 0:
            raise CommandError(command, proc.returncode, proc.stderr, proc.stdout)
        return proc.stdout


def runner_kwargs(kind: str) -> dict:
    """Constructor keywords of the client for a runner kind: ``argv`` (default) or ``shell``
    (``env`` stands in for ``sudo`` as the prefix word)."""
    return {"run": ShellRun(), "cmd_prefix": "env"} if kind == "shell" else {}


RUNNER_KINDS = ["argv", "shell"]


@pytest.fixture(params=RUNNER_KINDS)
def cli(request, engine, tmp_path) -> DockerCommandLineClient:
    """The client under test; its docker configuration (registry logins) lives in ``tmp_path``."""
    args = ["--config", str(tmp_path / "docker-config"), "-H", engine.base_url]
    return DockerCommandLineClient(cmd_args=args, **runner_kwargs(request.param))


def wait_running(api, container: str) -> None:
    for _ in range(100):
        if api.inspect_container(container)["State"]["Running"]:
            return
        time.sleep(0.05)
    raise AssertionError(f"{container} does not run")


@pytest.fixture
def sample(engine, base_image, cleanup):
    """Three labelled containers made with the API client: running (published port, user-defined network,
    named volume), exited with code 3, and only created."""
    api = engine.api
    network = cleanup.name("net")
    api.create_network(network, labels=cleanup.labels)
    volume = cleanup.name("vol")
    api.create_volume(volume, labels=cleanup.labels)
    port = free_port()
    running = api.create_container(
        base_image,
        ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /etc & wait"],
        name=cleanup.name("running"),
        labels={**cleanup.labels, "role": "web server"},
        ports=[80],
        host_config=api.create_host_config(
            port_bindings={80: ("127.0.0.1", port)}, binds=[f"{volume}:/data"]
        ),
        networking_config=api.create_networking_config(
            {network: api.create_endpoint_config(aliases=["web"])}
        ),
    )
    api.start(running)
    exited = api.create_container(
        base_image, ["sh", "-c", "exit 3"], name=cleanup.name("exited"), labels=cleanup.labels
    )
    api.start(exited)
    api.wait(exited)
    api.create_container(base_image, ["true"], name=cleanup.name("created"), labels=cleanup.labels)
    wait_running(api, running)
    return {"network": network, "volume": volume, "port": port}


# --------------------------------------------------------------------------------------------------
# Lists: the same records as the API client's


def test_container_list_gives_the_same_observed_records_as_the_api(cli, engine, sample, cleanup):
    label = {"label": [f"{TEST_RUN_LABEL}={cleanup.run_id}"]}
    ours = {c["Id"]: c for c in cli.containers(all=True, filters=label)}
    theirs = {c["Id"]: c for c in engine.api.containers(all=True, filters=label)}
    assert set(ours) == set(theirs) and len(ours) == 3
    for container_id, entry in theirs.items():
        assert observed(ours[container_id]) == observed(entry)
        for key in ("Image", "ImageID", "Command", "Created", "Labels", "State", "HostConfig"):
            assert ours[container_id][key] == entry[key], key
        assert sorted(sorted(p.items()) for p in ours[container_id]["Ports"]) == sorted(
            sorted(p.items()) for p in entry["Ports"]
        )
    states = {c["Names"][0]: (c["State"], c["Status"].split(" ")[0]) for c in ours.values()}
    assert states == {
        f"/{cleanup.name('running')}": ("running", "Up"),
        f"/{cleanup.name('exited')}": ("exited", "Exited"),
        f"/{cleanup.name('created')}": ("created", "Created"),
    }
    assert container_from_list(ours[_id_of(ours, cleanup.name("exited"))]).exit_code == 3
    web = container_from_list(ours[_id_of(ours, cleanup.name("running"))])
    assert web.networks[sample["network"]]["aliases"] == ["web"]


def observed(entry: dict):
    """The observed record of a list entry, without network aliases and links: the engine's own list leaves
    them out, ours has the configured ones."""
    record = container_from_list(entry)
    for connection in record.networks.values():
        connection.update(aliases=None, links=None)
    return record


def _id_of(entries: dict, name: str) -> str:
    (found,) = [i for i, entry in entries.items() if entry["Names"] == [f"/{name}"]]
    return found


def test_container_list_filters_and_quiet(cli, sample, cleanup):
    name = cleanup.name("exited")
    found = cli.containers(all=True, filters={"name": [f"^/?{name}$"]})
    assert [c["Names"] for c in found] == [[f"/{name}"]]
    running = cli.containers(filters={"label": [f"{TEST_RUN_LABEL}={cleanup.run_id}"]}, quiet=True)
    assert [set(entry) for entry in running] == [{"Id"}]
    assert cli.containers(all=True, filters={"name": [f"^/{cleanup.name('none')}$"]}) == []


def test_volume_and_network_lists_give_the_same_records_as_the_api(cli, engine, sample, cleanup):
    label = {"label": [f"{TEST_RUN_LABEL}={cleanup.run_id}"]}
    volumes = cli.volumes(filters=label)["Volumes"]
    assert [_volume(v) for v in volumes] == [_volume(v) for v in engine.api.volumes(filters=label)["Volumes"]]
    assert [v["Name"] for v in volumes] == [sample["volume"]]
    networks = cli.networks(names=[sample["network"]])
    assert [_network(n) for n in networks] == [
        _network(n) for n in engine.api.networks(names=[sample["network"]])
    ]
    assert cli.networks(filters=label)[0]["Containers"] == {}
    assert cli.volumes(filters={"name": [cleanup.name("none")]}) == {"Volumes": [], "Warnings": None}


def test_image_list_gives_ids_and_tags(cli, engine, base_image):
    ours = {i["Id"]: i["RepoTags"] for i in cli.images(name=base_image)}
    theirs = {i["Id"]: i["RepoTags"] for i in engine.api.images(name=base_image)}
    assert ours == theirs
    assert cli.images(name=base_image, quiet=True) == list(theirs)
    assert cli.inspect_image(base_image)["Id"] in theirs


# --------------------------------------------------------------------------------------------------
# A container's life through the command line


def test_create_with_the_options_the_orchestrator_passes(cli, engine, base_image, cleanup, tmp_path):
    api = engine.api
    network = cleanup.name("net")
    cli.create_network(network, driver="bridge", labels=cleanup.labels)
    peer = api.create_container(base_image, ["sleep", "60"], name=cleanup.name("peer"), labels=cleanup.labels)
    api.connect_container_to_network(peer, network)
    (tmp_path / "conf").mkdir()
    port = free_port()
    host_config = cli.create_host_config(
        binds=[f"{tmp_path / 'conf'}:/etc/app:ro"],
        port_bindings={80: ("127.0.0.1", port)},
        restart_policy={"Name": "on-failure", "MaximumRetryCount": 2},
        mem_limit="64m",
        cap_add=["SYS_TIME"],
        dns=["127.0.0.1"],
        tmpfs={"/run/cache": "size=1m"},
        ulimits=[{"name": "nofile", "soft": 1024, "hard": 2048}],
        network_mode=network,
    )
    endpoint = cli.create_endpoint_config(aliases=["web"], links=[(cleanup.name("peer"), "db")])
    created = cli.create_container(
        base_image,
        ["-c", "trap 'exit 0' TERM; httpd -f -p 80 -h /etc/app & wait"],
        entrypoint=["sh"],
        name=cleanup.name("web"),
        hostname="web-host",
        domainname="example.com",
        user="0",
        working_dir="/etc",
        environment={"MODE": "it's prod"},
        volumes=["/etc/app", "/scratch"],
        ports=[80],
        labels={**cleanup.labels, "tier": "web $(not run)"},
        stop_signal="SIGTERM",
        stop_timeout=5,
        healthcheck={"test": ["CMD-SHELL", "true"], "interval": 30_000_000_000, "retries": 2},
        host_config=host_config,
        networking_config=cli.create_networking_config({network: endpoint}),
    )
    info = api.inspect_container(created["Id"])
    config, host = info["Config"], info["HostConfig"]
    assert info["Name"] == f"/{cleanup.name('web')}"
    assert (config["Hostname"], config["Domainname"], config["User"], config["WorkingDir"]) == (
        "web-host",
        "example.com",
        "0",
        "/etc",
    )
    assert "MODE=it's prod" in config["Env"]
    assert config["Labels"]["tier"] == "web $(not run)"
    assert (config["StopSignal"], config["StopTimeout"]) == ("SIGTERM", 5)
    assert config["Healthcheck"] == {"Test": ["CMD-SHELL", "true"], "Interval": 30_000_000_000, "Retries": 2}
    assert config["Entrypoint"] == ["sh"] and config["Cmd"][0] == "-c"
    assert host["Binds"] == [f"{tmp_path / 'conf'}:/etc/app:ro"]
    assert "/scratch" in config["Volumes"]
    assert host["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert host["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 2}
    assert host["Memory"] == 64 * 1024 * 1024
    assert [c.replace("CAP_", "") for c in host["CapAdd"]] == ["SYS_TIME"]
    assert (host["Dns"], host["Tmpfs"]) == (["127.0.0.1"], {"/run/cache": "size=1m"})
    assert host["Ulimits"] == [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]
    settings = info["NetworkSettings"]["Networks"][network]
    assert "web" in settings["Aliases"]
    assert settings["Links"] == [f"{cleanup.name('peer')}:db"]

    (tmp_path / "conf" / "index.html").write_text("via the command line\n")
    api.start(peer)
    cli.start(cleanup.name("web"))
    assert fetch(f"http://127.0.0.1:{port}/index.html") == "via the command line\n"


def test_start_top_exec_logs_update_stop_and_remove(cli, engine, base_image, cleanup):
    api = engine.api
    name = cleanup.name("life")
    cli.create_container(
        base_image,
        ["sh", "-c", "echo to-stdout; echo to-stderr >&2; trap 'exit 0' TERM; while true; do sleep 1; done"],
        name=name,
        labels=cleanup.labels,
    )
    cli.start(name)
    wait_running(api, name)

    top = cli.top(name, ps_args="-eo pid,user,args")
    assert top["Titles"][1:] == ["USER", "COMMAND"]
    assert any(row[2].startswith("sh -c echo to-stdout") for row in top["Processes"])

    listing = cli.exec_create(name, ["sh", "-c", "echo out; echo err >&2"])
    assert sorted(cli.exec_start(listing).decode().split()) == ["err", "out"]
    assert cli.exec_inspect(listing)["ExitCode"] == 0
    failing = cli.exec_create(name, "sh -c 'exit 7'")
    cli.exec_start(failing)
    assert cli.exec_inspect(failing)["ExitCode"] == 7
    detached = cli.exec_create(name, ["sh", "-c", "echo $(id -u) > /tmp/marker"], user="0")
    assert cli.exec_start(detached, detach=True) == b""
    for _ in range(50):
        if exec_in(api, name, "cat /tmp/marker 2>/dev/null") == "0":
            break
        time.sleep(0.05)
    assert exec_in(api, name, "cat /tmp/marker") == "0"

    logs = cli.logs(name, tail="all").decode()
    assert sorted(logs.split()) == ["to-stderr", "to-stdout"]
    assert cli.logs(name, stderr=False).decode().split() == ["to-stdout"]

    cli.update_container(
        name, mem_limit="128m", memswap_limit="256m", restart_policy={"Name": "unless-stopped"}
    )
    host = api.inspect_container(name)["HostConfig"]
    assert (host["Memory"], host["MemorySwap"]) == (128 * 1024 * 1024, 256 * 1024 * 1024)
    assert host["RestartPolicy"]["Name"] == "unless-stopped"

    cli.restart(name, timeout=5)
    wait_running(api, name)
    cli.kill(name, signal="SIGTERM")
    assert cli.wait(name, timeout=30) == {"StatusCode": 0, "Error": None}
    cli.remove_container(name, v=True)
    with pytest.raises(docker.errors.NotFound):
        cli.inspect_container(name)


def test_wait_timeout_is_a_requests_timeout(cli, engine, base_image, cleanup):
    name = cleanup.name("sleeper")
    engine.api.create_container(base_image, ["sleep", "60"], name=name, labels=cleanup.labels)
    engine.api.start(name)
    with pytest.raises(requests.exceptions.ReadTimeout):
        cli.wait(name, timeout=1)
    assert wait_exit_code(cli, name, 1) is None
    cli.stop(name, timeout=0)
    assert wait_exit_code(cli, name, 30) == 137


def test_volumes_and_networks(cli, engine, base_image, cleanup):
    volume = cleanup.name("data")
    created = cli.create_volume(name=volume, driver="local", labels=cleanup.labels)
    assert created["Name"] == volume and created["Labels"] == cleanup.labels
    assert cli.inspect_volume(volume)["Mountpoint"] == engine.api.inspect_volume(volume)["Mountpoint"]

    network = cleanup.name("inner")
    result = cli.create_network(
        network, internal=True, labels=cleanup.labels, options={"com.docker.network.mtu": "1400"}
    )
    info = engine.api.inspect_network(network)
    assert (result["Id"], info["Internal"], info["Options"]) == (
        info["Id"],
        True,
        {"com.docker.network.mtu": "1400"},
    )
    container = engine.api.create_container(
        base_image, ["sleep", "60"], name=cleanup.name("member"), labels=cleanup.labels
    )
    cli.connect_container_to_network(container["Id"], network, aliases=["member"], ipv4_address=None)
    connected = engine.api.inspect_container(container)["NetworkSettings"]["Networks"][network]
    assert "member" in connected["Aliases"]
    cli.disconnect_container_from_network(container["Id"], network)
    assert network not in engine.api.inspect_container(container)["NetworkSettings"]["Networks"]

    cli.remove_network(network)
    cli.remove_volume(volume)
    with pytest.raises(docker.errors.NotFound):
        cli.inspect_network(network)
    with pytest.raises(docker.errors.NotFound):
        cli.inspect_volume(volume)


# --------------------------------------------------------------------------------------------------
# Errors


def test_missing_objects_raise_not_found(cli, cleanup):
    missing = cleanup.name("missing")
    for call in (
        lambda: cli.start(missing),
        lambda: cli.stop(missing),
        lambda: cli.remove_container(missing, raise_not_found=True),
        lambda: cli.top(missing),
        lambda: cli.remove_volume(missing),
        lambda: cli.remove_network(missing),
    ):
        with pytest.raises(docker.errors.NotFound):
            call()
    with pytest.raises(docker.errors.ImageNotFound):
        cli.inspect_image(f"{missing}:1")
    with pytest.raises(docker.errors.ImageNotFound):  # as through the API: not pulled
        cli.create_container(f"{missing}:1", name=missing)


def test_conflicts_are_409(cli, engine, base_image, cleanup):
    name = cleanup.name("twice")
    cli.create_container(base_image, ["true"], name=name, labels=cleanup.labels)
    with pytest.raises(docker.errors.APIError) as caught:
        cli.create_container(base_image, ["true"], name=name, labels=cleanup.labels)
    assert caught.value.status_code == 409
    assert "already in use" in str(caught.value)
    with pytest.raises(docker.errors.APIError) as caught:
        cli.top(name)
    assert caught.value.status_code == 409


def test_hostile_values_are_stored_literally_and_run_nothing(cli, engine, base_image, cleanup, tmp_path):
    canary = tmp_path / "canary"
    evil = f'x\'; touch {canary}; echo "$(touch {canary})" `touch {canary}`\n|| touch {canary}'
    name = cleanup.name("evil")
    cli.create_container(
        base_image,
        ["sh", "-c", 'printf "%s" "$VALUE"'],
        name=name,
        labels={**cleanup.labels, "evil": evil},
        environment={"VALUE": evil},
    )
    cli.start(name)
    cli.wait(name, timeout=30)
    assert engine.api.inspect_container(name)["Config"]["Labels"]["evil"] == evil
    assert cli.logs(name).decode() == evil
    with pytest.raises(docker.errors.NotFound):
        cli.inspect_container(evil)
    assert not canary.exists()


# --------------------------------------------------------------------------------------------------
# Registry


def test_login_push_and_pull_through_the_command_line(cli, engine, base_image, registry, cleanup):
    repository = f"{registry.host}/{cleanup.name('cli-pushed')}"
    with pytest.raises(docker.errors.APIError) as caught:
        cli.login(registry.username, "wrong password", registry=registry.host)
    assert caught.value.status_code == 401
    assert cli.login(registry.username, registry.password, registry=registry.host) is True
    try:
        assert cli.tag(base_image, repository, "v1") is True
        assert cli.push(repository, "v1") is True
        cli.remove_image(f"{repository}:v1")
        assert engine.api.images(name=repository) == []
        assert cli.pull(repository, tag="v1") is True
        assert [i["Id"] for i in engine.api.images(name=repository)] == [
            engine.api.inspect_image(base_image)["Id"]
        ]
    finally:
        for image in engine.api.images(name=repository):
            for tag in image["RepoTags"] or ():
                engine.api.remove_image(tag)
    with pytest.raises(DockerStatusError) as caught:
        cli.pull(repository, tag="no-such-tag")
    assert isinstance(caught.value.__cause__, docker.errors.ImageNotFound)


def _chain(error: BaseException) -> List[BaseException]:
    """The error and every error chained to it (cause or context)."""
    found = []
    while error is not None and error not in found:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def test_login_keeps_the_password_off_command_lines_and_out_of_errors(engine, registry, tmp_path):
    shell = ShellRun()
    args = ["--config", str(tmp_path / "docker-config"), "-H", engine.base_url]
    cli = DockerCommandLineClient(shell, cmd_prefix="env", cmd_args=args)
    wrong = "wrong-Pa55word"
    with pytest.raises(docker.errors.APIError) as caught:
        cli.login(registry.username, wrong, registry=registry.host)
    assert cli.login(registry.username, registry.password, registry=registry.host) is True

    assert len(shell.commands) == 2
    assert not any(wrong in command or registry.password in command for command in shell.commands)
    for error in _chain(caught.value):
        assert wrong not in f"{error} {error!r} {error.args}"
    assert caught.value.__context__ is None and caught.value.__cause__ is None

    no_stdin = DockerCommandLineClient(lambda command: shell(command), cmd_args=args)
    with pytest.raises(UnsupportedOption, match="takes no 'stdin' keyword"):
        no_stdin.login(registry.username, registry.password, registry=registry.host)
    assert len(shell.commands) == 2  # nothing ran


def test_engine_version_and_info(cli, engine):
    assert cli.version()["ApiVersion"] == engine.api.version()["ApiVersion"]
    assert cli.api_version == engine.api.version()["ApiVersion"]
    assert cli.info()["ID"] == engine.api.info()["ID"]
    assert cli.ping() is True


class RemovingAfterList(ShellRun):
    """Runs commands in ``sh``; right after the first ``ps``, removes ``victim`` from the engine."""

    def __init__(self, api, victim: str) -> None:
        super().__init__()
        self.api, self.victim = api, victim

    def __call__(self, command: str) -> str:
        output = super().__call__(command)
        if " ps " in command and self.victim:
            self.api.remove_container(self.victim, force=True)
            self.victim = ""
        return output


def test_container_list_survives_a_container_removed_meanwhile(engine, base_image, cleanup):
    labels = {**cleanup.labels, "dockermap.test.listing": cleanup.run_id}
    kept = [
        engine.api.create_container(base_image, "true", name=cleanup.name(f"kept{i}"), labels=labels)
        for i in range(3)
    ]
    victim = engine.api.create_container(base_image, "true", name=cleanup.name("gone"), labels=labels)["Id"]
    run = RemovingAfterList(engine.api, victim)
    client = DockerCommandLineClient(cmd_args=["-H", engine.base_url], run=run, cmd_prefix="env")

    listed = client.containers(all=True, filters={"label": f"dockermap.test.listing={cleanup.run_id}"})

    assert sorted(c["Id"] for c in listed) == sorted(c["Id"] for c in kept)
    inspects = [c for c in run.commands if " inspect " in c]
    assert len(inspects) == 2  # all of them, then all but the one that went away
