"""The runner against a real engine: every verb, with desired records built by hand."""

from __future__ import annotations

import socket
import time

import docker
import pytest

from dockermap.client.base import DockerClientWrapper
from dockermap.exceptions import DockerStatusError
from dockermap.map.exceptions import ActionRunnerException, ActionTypeException
from dockermap.map.input import ExecPolicy, ItemType, MapConfigId
from dockermap.map.items import (
    Action,
    DesiredContainer,
    DesiredEndpoint,
    DesiredExec,
    DesiredImage,
    DesiredNetwork,
    DesiredVolume,
)
from dockermap.map.labels import LABEL_FINGERPRINT, LABEL_KIND, item_labels
from dockermap.map.runner import ActionOutput, Runner
from dockermap.map.runner import containers as containers_runner
from dockermap.map.runner.base import describe_progress
from tests.helpers import BUSYBOX_BINARY, build_image, fetch, free_port

CLIENT = "__default__"
MAP = "m"


# --------------------------------------------------------------------------------------------------
# Desired records and actions, built by hand


def container(run, config, command, **kwargs):
    """A DesiredContainer named after the test run; ``kwargs`` set create keywords or record fields."""
    fields = {key: kwargs.pop(key) for key in list(kwargs) if key in DesiredContainer.__dataclass_fields__}
    name = run.name(config)
    image = fields.pop("image", "busybox:latest")
    endpoints = fields.pop("endpoints", [])
    updatable = fields.pop("updatable", {})
    # as the desired step builds it: the first network is the network mode, limits are in the host config
    host_config = {**fields.pop("host_config", {}), **updatable}
    if endpoints:
        host_config["network_mode"] = endpoints[0].network
    labels = {
        **item_labels(ItemType.CONTAINER, MAP, config, None, CLIENT),
        **run.labels,
        LABEL_FINGERPRINT: "x",
    }
    return DesiredContainer(
        client=CLIENT,
        config_id=MapConfigId(ItemType.CONTAINER, MAP, config),
        name=name,
        image=image,
        create_kwargs={"image": image, "command": command, "labels": labels, **kwargs},
        host_config=host_config,
        endpoints=endpoints,
        updatable=updatable,
        fingerprint="x",
        mounts=fields.pop("mounts", {}),
        published=[],
        **fields,
    )


def volume(run, alias, user=None, permissions=None):
    name = run.name(alias)
    labels = {**item_labels(ItemType.VOLUME, MAP, "owner", alias, CLIENT), **run.labels}
    return DesiredVolume(
        client=CLIENT,
        config_id=MapConfigId(ItemType.VOLUME, MAP, "owner", alias),
        name=name,
        driver="local",
        driver_opts={},
        create_kwargs={"name": name, "driver": "local", "labels": labels},
        user=user,
        permissions=permissions,
    )


def network(run, config):
    name = run.name(config)
    labels = {**item_labels(ItemType.NETWORK, MAP, config, None, CLIENT), **run.labels}
    return DesiredNetwork(
        client=CLIENT,
        config_id=MapConfigId(ItemType.NETWORK, MAP, config),
        name=name,
        driver="bridge",
        options={},
        internal=False,
        create_kwargs={"name": name, "driver": "bridge", "labels": labels},
    )


def item_type_of(record):
    return record.config_id.config_type


def act(record, *kinds, **args):
    """One action per kind on a desired record (all with the same ``args``)."""
    name = record.ref if isinstance(record, DesiredImage) else record.name
    return [
        Action(CLIENT, kind, item_type_of(record), record.config_id, name, "test", args) for kind in kinds
    ]


def runner(client, *records, **options):
    return Runner({CLIENT: client}, {(CLIENT, r.config_id): r for r in records}, options)


# --------------------------------------------------------------------------------------------------
# Engine helpers


@pytest.fixture
def client(engine, base_image):  # noqa: ARG001 - the containers run the local base image
    """The client under test (the ``engine`` fixture's plain client is for setup and checks)."""
    return DockerClientWrapper(engine.base_url)


def exec_output(api, container_name, cmd):
    """Run ``cmd`` in a running container; (exit code, output)."""
    exec_id = api.exec_create(container_name, cmd)["Id"]
    output = api.exec_start(exec_id).decode()
    return api.exec_inspect(exec_id)["ExitCode"], output


def state(api, name):
    return api.inspect_container(name)["State"]


def container_names(api):
    return {n.lstrip("/") for c in api.containers(all=True) for n in c["Names"]}


# --------------------------------------------------------------------------------------------------
# Containers, volumes, binds, ports, environment


def test_container_lifecycle_with_volume_bind_port_and_env(engine, client, cleanup, tmp_path):
    api = engine.api
    (tmp_path / "index.html").write_text("hello from the runner\n")
    tmp_path.chmod(0o755)
    port = free_port()
    data = volume(cleanup, "data")
    web = container(
        cleanup,
        "web",
        ["httpd", "-f", "-p", "8080", "-h", "/www"],
        ports=[8080],
        environment={"GREETING": "hi there"},
        volumes=["/data", "/www"],
        host_config={
            "binds": [f"{data.name}:/data:rw", f"{tmp_path}:/www:ro"],
            "port_bindings": {8080: ("127.0.0.1", port)},
        },
    )
    run = runner(client, data, web)

    results = run.run(act(data, "create") + act(web, "create", "start"))

    assert [(r.config_id, r.action_type) for r in results] == [
        (data.config_id, "create"),
        (web.config_id, "create"),
        (web.config_id, "start"),
    ]
    assert results[1].result["Id"] == api.inspect_container(web.name)["Id"]
    assert fetch(f"http://127.0.0.1:{port}/") == "hello from the runner\n"
    assert exec_output(api, web.name, ["sh", "-c", "echo $GREETING"]) == (0, "hi there\n")
    mounts = {m["Destination"]: m for m in api.inspect_container(web.name)["Mounts"]}
    assert mounts["/data"]["Name"] == data.name
    assert (mounts["/www"]["Source"], mounts["/www"]["RW"]) == (str(tmp_path), False)
    assert api.inspect_volume(data.name)["Labels"]["io.dockermap.map"] == MAP

    run.run(act(web, "stop", "remove"))

    assert web.name not in container_names(api)
    assert api.inspect_volume(data.name)["Name"] == data.name  # volumes outlive their containers


def test_start_delay_is_waited_for_after_the_start(client, cleanup, monkeypatch):
    web = container(cleanup, "delayed", ["sleep", "60"], start_delay=1.5)
    run = runner(client, web)
    run.run(act(web, "create"))
    events = []

    def record_sleep(seconds):
        running = client.inspect_container(web.name)["State"]["Running"]
        events.append(("sleep", seconds, "after start" if running else "before start"))

    monkeypatch.setattr(containers_runner.time, "sleep", record_sleep)
    run.run(act(web, "start"))

    assert events == [("sleep", 1.5, "after start")]


# --------------------------------------------------------------------------------------------------
# Networks


def test_network_alias_reachable_from_another_container(engine, client, cleanup):
    api = engine.api
    net = network(cleanup, "net")
    server = container(
        cleanup, "server", ["sleep", "600"], endpoints=[DesiredEndpoint(net.name, aliases=("backend",))]
    )
    probe = container(cleanup, "probe", ["sleep", "600"], endpoints=[DesiredEndpoint(net.name)])
    run = runner(client, net, server, probe)

    run.run(
        act(net, "create")
        + act(server, "create", "connect", "start")
        + act(probe, "create", "connect", "start")
    )

    assert api.inspect_network(net.name)["Labels"]["io.dockermap.kind"] == "network"
    assert api.inspect_container(server.name)["HostConfig"]["NetworkMode"] == net.name
    code, output = exec_output(api, probe.name, ["ping", "-c1", "-W5", "backend"])
    assert code == 0, output
    assert exec_output(api, probe.name, ["ping", "-c1", "-W2", "no-such-alias"])[0] != 0


def test_connect_extra_networks_and_disconnect(engine, client, cleanup):
    api = engine.api
    first, second = network(cleanup, "first"), network(cleanup, "second")
    endpoints = [DesiredEndpoint(first.name), DesiredEndpoint(second.name, aliases=("two",))]
    app = container(cleanup, "app", ["sleep", "600"], endpoints=endpoints)
    run = runner(client, first, second, app)

    results = run.run(act(first, "create") + act(second, "create") + act(app, "create", "connect", "start"))

    assert results[3].result == [second.name]  # the first network was set at create time
    networks = api.inspect_container(app.name)["NetworkSettings"]["Networks"]
    assert set(networks) == {first.name, second.name}
    assert "two" in networks[second.name]["Aliases"]

    run.run(act(app, "disconnect", networks=[second.name]))
    assert set(api.inspect_container(app.name)["NetworkSettings"]["Networks"]) == {first.name}

    run.run(act(app, "connect", endpoints=[second.name]))  # by name: the configured aliases apply
    networks = api.inspect_container(app.name)["NetworkSettings"]["Networks"]
    assert "two" in networks[second.name]["Aliases"]

    run.run(act(second, "disconnect", containers=[app.name]) + act(second, "remove"))
    assert set(api.inspect_container(app.name)["NetworkSettings"]["Networks"]) == {first.name}
    assert not api.networks(names=[second.name])


# --------------------------------------------------------------------------------------------------
# Volumes


def volume_user(run, data):
    """A container that mounts the volume ``data`` at ``/data``."""
    binds = {"binds": [f"{data.name}:/data:rw"]}
    return container(
        run, "user", ["sleep", "600"], volumes=["/data"], host_config=binds, mounts={"/data": data.name}
    )


def test_prepare_sets_owner_and_mode_seen_inside_a_container(engine, client, cleanup):
    api = engine.api
    data = volume(cleanup, "owned", user="2000", permissions="750")
    user = volume_user(cleanup, data)

    results = runner(client, data, user).run(act(data, "create", "prepare") + act(user, "create", "start"))

    assert results[1].result == {"exit_code": 0}
    assert exec_output(api, user.name, ["stat", "-c", "%u %a", "/data"]) == (0, "2000 750\n")
    # no helper container left: only the user mounts the volume
    assert [c["Id"] for c in api.containers(all=True, filters={"volume": data.name})] == [
        results[2].result["Id"]
    ]


def test_prepare_failure_reports_helper_output_and_keeps_the_labelled_helper(engine, client, cleanup):
    api = engine.api
    data = volume(cleanup, "badowner", user="no-such-user")
    run = runner(client, data)

    with pytest.raises(ActionRunnerException) as raised:
        run.run(act(data, "create", "prepare"))

    message = str(raised.value)
    assert "exit code 1" in message and "no-such-user" in message
    assert f"Already done on the volume {data.name} before this failure: create." in message
    assert [r.action_type for r in raised.value.results] == ["create"]
    # kept for inspection, and as the mark of an incomplete preparation that the next run repeats
    helpers = api.containers(all=True, filters={"volume": data.name})
    assert [h["Names"] for h in helpers] == [[f"/{data.name}.dockermap-prepare"]]
    assert helpers[0]["Labels"][LABEL_KIND] == "helper"


def test_prepare_without_owner_or_mode_does_nothing(client, cleanup):
    data = volume(cleanup, "plain")
    results = runner(client, data).run(act(data, "create", "prepare"))
    assert results[1] == ActionOutput(CLIENT, data.config_id, "prepare", None)


def test_prepare_with_a_core_image_without_passwd_file(engine, client, cleanup):
    """A core image without /etc/passwd (busybox built FROM scratch) prepares volumes too."""
    bare = f"{cleanup.name('bare-busybox')}:latest"
    dockerfile = 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
    build_image(engine.api, bare, dockerfile, {"busybox": BUSYBOX_BINARY}, cleanup.labels)
    data = volume(cleanup, "bare", user="2000", permissions="750")
    user = volume_user(cleanup, data)

    run = runner(client, data, user, core_image=bare)
    results = run.run(act(data, "create", "prepare") + act(user, "create", "start"))

    assert results[1].result == {"exit_code": 0}
    assert exec_output(engine.api, user.name, ["stat", "-c", "%u %a", "/data"]) == (0, "2000 750\n")


def test_remove_volume(engine, client, cleanup):
    data = volume(cleanup, "gone")
    run = runner(client, data)
    run.run(act(data, "create"))
    assert engine.api.inspect_volume(data.name)

    run.run(act(data, "remove"))

    with pytest.raises(docker.errors.NotFound):
        engine.api.inspect_volume(data.name)


# --------------------------------------------------------------------------------------------------
# Exec, update, signals


def test_exec_commands_run_detached(engine, client, cleanup):
    commands = [
        DesiredExec(["sleep", "300"], "2000", ExecPolicy.RESTART),
        DesiredExec(["sleep", "301"], None, ExecPolicy.INITIAL),
    ]
    app = container(cleanup, "exec", ["sleep", "600"], exec_commands=commands)
    run = runner(client, app)
    run.run(act(app, "create", "start"))

    results = run.run(act(app, "exec"))

    assert len(results[0].result) == 2 and all("Id" in r for r in results[0].result)
    # The run returned while both long-running commands still run: they were started detached.
    assert all(engine.api.exec_inspect(r["Id"])["Running"] for r in results[0].result)
    top = engine.api.top(app.name)
    user, command = top["Titles"].index("UID"), top["Titles"].index("CMD")
    processes = {(p[user], p[command]) for p in top["Processes"]}
    assert {("2000", "sleep 300"), ("root", "sleep 301")} <= processes


def test_update_changes_limits_in_place(engine, client, cleanup):
    api = engine.api
    app = container(cleanup, "limited", ["sleep", "600"], updatable={"mem_limit": 64 * 2**20})
    run = runner(client, app)
    run.run(act(app, "create", "start"))
    container_id = api.inspect_container(app.name)["Id"]
    assert api.inspect_container(app.name)["HostConfig"]["Memory"] == 64 * 2**20

    run.run(act(app, "update", changes={"mem_limit": 96 * 2**20, "memswap_limit": 192 * 2**20}))

    detail = api.inspect_container(app.name)
    assert (detail["Id"], detail["State"]["Running"]) == (container_id, True)
    assert detail["HostConfig"]["Memory"] == 96 * 2**20


TRAP_USR1 = ["sh", "-c", "trap 'echo got-usr1; exit 7' USR1; while true; do sleep 0.2; done"]


def test_kill_with_signal(engine, client, cleanup):
    app = container(cleanup, "signalled", TRAP_USR1)
    run = runner(client, app)
    run.run(act(app, "create", "start"))
    time.sleep(0.5)  # let the shell install its trap

    run.run(act(app, "kill", signal="SIGUSR1"))

    assert engine.api.wait(app.name, timeout=20)["StatusCode"] == 7
    assert "got-usr1" in engine.api.logs(app.name).decode()


def test_stop_with_configured_stop_signal(engine, client, cleanup):
    app = container(cleanup, "stopsig", TRAP_USR1, stop_signal="SIGUSR1", stop_timeout=20)
    run = runner(client, app)
    run.run(act(app, "create", "start"))
    time.sleep(0.5)

    run.run(act(app, "stop"))

    assert state(engine.api, app.name)["ExitCode"] == 7


def test_stop_kills_after_timeout_when_signal_is_ignored(engine, client, cleanup):
    app = container(cleanup, "stubborn", ["sh", "-c", "trap '' USR2; while true; do sleep 0.2; done"])
    run = runner(client, app)
    run.run(act(app, "create", "start"))
    time.sleep(0.5)

    run.run(act(app, "stop", signal="SIGUSR2", timeout=1))

    assert state(engine.api, app.name)["Running"] is False


def test_restart(engine, client, cleanup):
    app = container(cleanup, "restarted", ["sleep", "600"], stop_timeout=1)
    run = runner(client, app)
    run.run(act(app, "create", "start"))
    first_start = state(engine.api, app.name)["StartedAt"]

    run.run(act(app, "restart"))

    assert state(engine.api, app.name)["Running"] is True
    assert state(engine.api, app.name)["StartedAt"] != first_start


# --------------------------------------------------------------------------------------------------
# Failures


def test_port_taken_fails_after_create_and_next_run_converges(engine, client, cleanup):
    api = engine.api
    port = free_port()
    web = container(
        cleanup,
        "clash",
        ["httpd", "-f", "-p", "8080"],
        ports=[8080],
        host_config={"port_bindings": {8080: ("127.0.0.1", port)}},
    )
    run = runner(client, web)
    blocker = socket.socket()
    blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    blocker.bind(("127.0.0.1", port))
    blocker.listen()
    try:
        with pytest.raises(ActionRunnerException) as raised:
            run.run(act(web, "create", "start"))
    finally:
        blocker.close()

    error = raised.value
    assert isinstance(error, ActionRunnerException)
    assert (error.client_name, error.config_id, error.action_type) == (CLIENT, web.config_id, "start")
    assert isinstance(error.__cause__, docker.errors.APIError)
    assert error.source_exception[1] is error.__cause__
    assert [(r.config_id, r.action_type) for r in error.results] == [(web.config_id, "create")]
    assert f"The container {web.name} was created but not started" in str(error)
    assert "the next update will start or recreate it" in str(error)
    assert state(api, web.name)["Status"] == "created"

    run.run(act(web, "start"))  # the port is free again

    assert state(api, web.name)["Running"] is True


def test_failure_after_remove_says_the_container_is_gone(engine, base_image, client, cleanup):
    app = container(cleanup, "recreated", ["sleep", "600"], image=cleanup.name("missing-image:latest"))
    engine.api.create_container(base_image, "true", name=app.name)
    run = runner(client, app)

    with pytest.raises(ActionRunnerException) as raised:
        run.run(act(app, "remove", "create"))

    assert isinstance(raised.value.__cause__, docker.errors.ImageNotFound)
    assert [r.action_type for r in raised.value.results] == ["remove"]
    assert f"The container {app.name} was removed and not created again" in str(raised.value)


def test_unknown_verb_and_missing_record_fail_clearly(client, cleanup):
    data = volume(cleanup, "neverused")
    bad_verb = Action(CLIENT, "start", ItemType.VOLUME, data.config_id, data.name, "test")
    with pytest.raises(ActionRunnerException) as raised:
        runner(client, data).run([bad_verb])
    assert isinstance(raised.value.__cause__, ActionTypeException)
    assert raised.value.results == []

    with pytest.raises(ActionRunnerException) as raised:
        runner(client).run(act(data, "create"))
    assert "no DesiredVolume record for volume m.owner.neverused" in str(raised.value)


# --------------------------------------------------------------------------------------------------
# Images


class RecordingClient(DockerClientWrapper):
    """Records logins instead of contacting a registry (there is none in the test environment)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.logins = []

    def login(self, username, password=None, email=None, registry=None, reauth=False, **kwargs):
        self.logins.append((registry, username, password))
        return True


@pytest.mark.usefixtures("base_image")
def test_pull_logs_in_once_per_registry_and_reports_failure(engine):
    client = RecordingClient(engine.base_url)
    image = DesiredImage(
        CLIENT, MapConfigId(ItemType.IMAGE, MAP, "localhost:1/nothing", "v1"), "localhost:1/nothing:v1"
    )
    auth = {CLIENT: {"localhost:1": {"username": "u", "password": "p"}}}
    run = Runner({CLIENT: client}, {(CLIENT, image.config_id): image}, {"auth_configs": auth, "other": 1})

    for _ in range(2):
        with pytest.raises(ActionRunnerException) as raised:
            run.run(act(image, "pull"))
        assert isinstance(raised.value.__cause__, DockerStatusError)
        assert "localhost:1/nothing:v1" in str(raised.value)

    assert client.logins == [("localhost:1", "u", "p")]


# --------------------------------------------------------------------------------------------------
# Script runner


def test_script_runs_with_mounted_script_and_is_removed(engine, client, cleanup, tmp_path):
    script_file = tmp_path / "run.sh"
    script_file.write_text("echo hello-$1 from $0; exit 3\n")
    tmp_path.chmod(0o755)
    app = container(cleanup, "scripted", ["sleep", "600"])

    results = runner(client, app).run(
        act(app, "script", script_path=str(script_file), command_format=["sh", "{script_path}", "x"])
    )

    result = results[0].result
    assert result["exit_code"] == 3
    assert result["log"] == b"hello-x from /tmp/script_run/run.sh\n"
    assert result["client"] == CLIENT
    assert app.name not in container_names(engine.api)


def test_script_timeout_is_reported_and_container_kept_when_asked(engine, client, cleanup):
    app = container(cleanup, "slowscript", ["sleep", "600"])

    results = runner(client, app, remove_created_after=False).run(act(app, "script", wait_timeout=1))

    result = results[0].result
    assert result["error"] == "Timed out while waiting for the container to finish."
    detail = engine.api.inspect_container(app.name)
    assert detail["Id"] == result["id"]
    assert LABEL_FINGERPRINT not in detail["Config"]["Labels"]


def test_core_image_per_client(client, cleanup):
    data = volume(cleanup, "coreimage", user="2000")
    missing = cleanup.name("no-core-image:latest")

    with pytest.raises(ActionRunnerException) as raised:
        runner(client, data, core_images={CLIENT: missing}).run(act(data, "create", "prepare"))

    assert isinstance(raised.value.__cause__, docker.errors.ImageNotFound)
    assert missing in str(raised.value)


# --------------------------------------------------------------------------------------------------
# Pure helpers (no engine)


@pytest.mark.parametrize(
    "done, expected",
    [
        ([], "Nothing was done on the container m.web on client two before this failure."),
        (["create", "connect"], "The container m.web on client two was created but not started; "),
        (["stop", "remove"], "The container m.web on client two was removed and not created again; "),
        (
            ["create", "start"],
            "Already done on the container m.web on client two before this failure: create, start.",
        ),
    ],
)
def test_describe_progress(done, expected):
    action = Action(
        "two", "exec", ItemType.CONTAINER, MapConfigId(ItemType.CONTAINER, MAP, "web"), "m.web", "x"
    )
    assert describe_progress(action, done).startswith(expected)
