"""``dockermap.fabric`` without a server: URLs, the remote runner's error handling, modes, the adapter."""

from __future__ import annotations

from types import SimpleNamespace

import docker
import pytest
from fabric import Connection

from dockermap.client.cmdline import CommandError
from dockermap.fabric import (
    ConnectionDockerClient,
    ConnectionSSHAdapter,
    RemoteCommandError,
    build_image,
    client_configuration,
    command_line_client,
    connection_base_url,
    docker_client,
    remote_runner,
)


class FakeConnection:
    """Records the commands given to ``run`` and ``sudo`` and answers with a prepared result."""

    host = "docker.example.com"

    def __init__(self, exited: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.result = SimpleNamespace(exited=exited, failed=exited != 0, stdout=stdout, stderr=stderr)
        self.calls = []

    def run(self, command, **kwargs):
        self.calls.append(("run", command, kwargs))
        return self.result

    def sudo(self, command, **kwargs):
        self.calls.append(("sudo", command, kwargs))
        return self.result


def test_base_url_has_user_host_and_port():
    connection = Connection("docker.example.com", user="deploy", port=2222)
    assert connection_base_url(connection) == "ssh://deploy@docker.example.com:2222"


@pytest.mark.parametrize("use_sudo, method", [(False, "run"), (True, "sudo")])
def test_remote_runner_returns_stdout_without_echo_or_stdin(use_sudo, method):
    connection = FakeConnection(stdout="output\n")
    assert remote_runner(connection, use_sudo)("docker ps") == "output\n"
    assert connection.calls == [(method, "docker ps", {"hide": True, "warn": True, "in_stream": False})]


def test_remote_runner_raises_with_exit_code_and_error_output():
    connection = FakeConnection(exited=125, stdout="partial", stderr="Error: No such container: web\n")
    with pytest.raises(CommandError) as raised:
        remote_runner(connection)("docker start web")
    error = raised.value
    assert isinstance(error, RemoteCommandError)
    assert (error.host, error.command, error.exit_code) == ("docker.example.com", "docker start web", 125)
    assert (error.stderr, error.stdout) == ("Error: No such container: web\n", "partial")
    assert str(error) == (
        "on docker.example.com: docker start web exited with status 125: Error: No such container: web"
    )


def test_command_line_client_turns_remote_errors_into_docker_errors():
    connection = FakeConnection(exited=1, stderr="Error response from daemon: No such container: web\n")
    client = command_line_client(connection, use_sudo=True)
    with pytest.raises(docker.errors.NotFound, match="No such container: web"):
        client.start("web")
    ((method, command, _),) = connection.calls
    assert (method, command) == ("sudo", "docker start web")


@pytest.mark.parametrize("factory", [docker_client, client_configuration])
def test_unknown_mode_is_refused_with_the_valid_ones(factory):
    with pytest.raises(ValueError, match="Unknown client mode 'ssh'; expected one of api, cli, sudo"):
        factory(FakeConnection(), "ssh")


def test_build_refuses_an_unknown_mode_before_connecting():
    with pytest.raises(ValueError, match="Unknown client mode 'local'"):
        build_image(FakeConnection(), None, "image:1", "local")


def test_api_client_with_a_fixed_version_does_not_connect():
    connection = Connection("docker.example.com", user="deploy", port=2222)
    client = ConnectionDockerClient(connection, version="1.41", timeout=30)
    adapter = client.get_adapter("http+docker://ssh/v1.41/version")
    assert isinstance(adapter, ConnectionSSHAdapter)
    assert adapter.connection is connection
    assert adapter.ssh_client is connection.client
    assert adapter.timeout == 30
    assert client.api_version == "1.41"
    assert not connection.is_connected
    client.close()


def test_command_line_configuration_wraps_the_client_and_settings():
    connection = Connection("docker.example.com", user="deploy")
    configuration = client_configuration(
        connection, "sudo", stop_timeout=5, interfaces={"private": "10.0.0.2"}
    )
    assert configuration.base_url == "ssh://deploy@docker.example.com:22"
    assert configuration["stop_timeout"] == 5
    assert configuration.interfaces == {"private": "10.0.0.2"}
    assert configuration.client is not None
    assert not connection.is_connected
