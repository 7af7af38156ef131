"""``dockermap.fabric`` against the test sshd: the Engine API over a Fabric connection, remote command
lines (also through sudo), remote builds and client configurations for each mode."""

from __future__ import annotations

import docker
import pytest
from docker.errors import DockerException

from dockermap.api import ContainerMap, DockerFile, MappingDockerClient
from dockermap.fabric import (
    ConnectionDockerClient,
    RemoteCommandError,
    build_image,
    client_configuration,
    remote_runner,
)


def engine_id(client) -> str:
    """The daemon id: tells which engine a client reached."""
    return client.info()["ID"]


def test_api_client_uses_the_connection(ssh_server, engine):
    connection = ssh_server.connection()
    client = ConnectionDockerClient(connection)
    assert client.api_version == engine.api.api_version
    assert connection.is_connected
    assert engine_id(client) == engine_id(engine.api)
    client.close()
    assert connection.is_connected, "closing the client must leave the caller's connection open"

    connection.close()
    reopened = ConnectionDockerClient(connection, version=engine.api.api_version)
    assert reopened.version()["ApiVersion"] == engine.api.version()["ApiVersion"]
    assert connection.is_connected


def test_api_client_reconnects_after_the_connection_was_closed(ssh_server, engine):
    connection = ssh_server.connection()
    client = ConnectionDockerClient(connection)
    connection.close()
    assert engine_id(client) == engine_id(engine.api)
    assert connection.is_connected


def test_api_client_through_a_gateway(ssh_server, engine):
    gateway = ssh_server.connection()
    connection = ssh_server.connection()
    connection.gateway = gateway
    client = ConnectionDockerClient(connection)
    assert engine_id(client) == engine_id(engine.api)
    assert gateway.is_connected


def test_api_client_names_the_host_when_no_engine_answers(ssh_server):
    # The unprivileged user may not use the Docker socket, so dial-stdio fails on the host.
    connection = ssh_server.connection("sudo")
    with pytest.raises(DockerException) as raised:
        ConnectionDockerClient(connection)
    url = f"ssh://{ssh_server.account.user}@127.0.0.1:{ssh_server.port}"
    assert f"No Docker Engine answered through SSH on {url}" in str(raised.value)


def test_remote_runner_returns_output_and_raises_with_the_error_output(ssh_server, cleanup):
    run = remote_runner(ssh_server.connection())
    assert run("printf '%s\\n' one two") == "one\ntwo\n"
    missing = cleanup.name("missing")
    with pytest.raises(RemoteCommandError) as raised:
        run(f"docker inspect {missing}")
    error = raised.value
    assert (error.host, error.command, error.exit_code) == ("127.0.0.1", f"docker inspect {missing}", 1)
    assert f"No such object: {missing}" in error.stderr
    assert str(error).startswith(f"on 127.0.0.1: docker inspect {missing} exited with status 1: ")


def test_sudo_runner_reaches_the_engine_where_the_user_may_not(ssh_server, engine):
    connection = ssh_server.connection("sudo")
    with pytest.raises(RemoteCommandError, match="permission denied"):
        remote_runner(connection)("docker version --format '{{.Server.APIVersion}}'")
    output = remote_runner(connection, use_sudo=True)("docker version --format '{{.Server.APIVersion}}'")
    assert output.strip() == engine.api.version()["ApiVersion"]


@pytest.mark.parametrize("mode", ["api", "sudo"])
def test_build_image_sends_the_files_the_dockerfile_adds(
    mode, ssh_server, engine, base_image, cleanup, tmp_path
):
    # Content of this run only: no build cache layer is shared with a parallel test run.
    greeting = f"hello from {mode} in run {cleanup.run_id}\n"
    (tmp_path / "greeting.txt").write_text(greeting)
    dockerfile = DockerFile(base_image, command=["cat", "/srv/greeting.txt"], labels={"mode": mode})
    dockerfile.add_file(str(tmp_path / "greeting.txt"), "/srv/greeting.txt")
    tag = f"{cleanup.prefix}built/{mode}:1"
    login = "root" if mode == "api" else "sudo"

    image_id = build_image(ssh_server.connection(login), dockerfile, tag, mode)

    image = engine.api.inspect_image(tag)
    assert image["Id"] == image_id
    assert image["Config"]["Labels"]["mode"] == mode
    container = engine.api.create_container(tag, name=cleanup.name(f"greeting-{mode}"))
    engine.api.start(container)
    assert engine.api.wait(container)["StatusCode"] == 0
    assert engine.api.logs(container).decode() == greeting


def test_build_image_reports_the_build_error_and_removes_the_upload(ssh_server, engine, base_image, cleanup):
    dockerfile = DockerFile(base_image)
    dockerfile.run(f"exit 3 # {cleanup.run_id}")
    connection = ssh_server.connection("sudo")
    with pytest.raises(RemoteCommandError) as raised:
        build_image(connection, dockerfile, f"{cleanup.prefix}broken:1", "sudo")
    assert "returned a non-zero code: 3" in raised.value.stderr
    uploads = remote_runner(connection)("find /tmp -maxdepth 1 -user \"$(id -un)\" -name 'tmp.*'")
    assert uploads == ""
    intermediate = [c for c in engine.api.containers(all=True) if cleanup.run_id in c["Command"]]
    assert intermediate == []


@pytest.mark.parametrize("mode", ["api", "cli", "sudo"])
def test_client_configuration_drives_a_map(mode, ssh_server, engine, base_image, cleanup):
    container_map = ContainerMap(
        cleanup.name(f"conf-{mode}"),
        {"app": {"image": base_image, "create_options": {"command": ["sh", "-c", "exit 0"]}}},
    )
    login = "sudo" if mode == "sudo" else "root"
    configuration = client_configuration(ssh_server.connection(login), mode, stop_timeout=3)
    assert configuration.base_url == f"ssh://{ssh_server.login(login)}@127.0.0.1:{ssh_server.port}"
    assert configuration["stop_timeout"] == 3
    client = MappingDockerClient(container_map, configuration)

    client.create("app")

    name = f"{container_map.name}.app"
    assert engine.api.inspect_container(name)["Config"]["Cmd"] == ["sh", "-c", "exit 0"]
    client.remove("app")
    with pytest.raises(docker.errors.NotFound):
        engine.api.inspect_container(name)


def _assert_secret_not_shown(failure: Exception, secret: str) -> None:
    assert secret not in str(failure)
    assert failure.__cause__ is None or secret not in str(failure.__cause__)


def test_registry_login_keeps_the_password_off_the_command_line(ssh_server, registry):
    client = client_configuration(ssh_server.connection(), "cli").get_client()
    assert client.login(registry.username, registry.password, registry=registry.host)
    with pytest.raises(docker.errors.APIError) as raised:
        client.login(registry.username, "wrong-secret-password", registry=registry.host)
    _assert_secret_not_shown(raised.value, "wrong-secret-password")


def test_login_through_sudo_with_a_password_prompt_fails_without_showing_the_password(ssh_server, registry):
    # sudo's password prompt and docker login both read standard input: documented as unsupported.
    client = client_configuration(ssh_server.connection("sudo"), "sudo").get_client()
    with pytest.raises(docker.errors.APIError) as raised:
        client.login(registry.username, registry.password, registry=registry.host)
    _assert_secret_not_shown(raised.value, registry.password)
