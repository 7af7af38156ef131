"""Telling an unreachable engine from other errors, through the layers that wrap a socket error."""

from __future__ import annotations

import pickle

import docker.errors
import paramiko
import pytest
import requests
import requests.exceptions
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError, ReadTimeoutError

from dockermap.client.cmdline import CommandError
from dockermap.map.exceptions import UnreachableClient, UnreachableClientsError
from dockermap.map.reachability import unreachable_reason


def wrapped(inner: BaseException) -> BaseException:
    """``inner`` as ``requests`` reports it while the SDK negotiates the API version."""
    try:
        try:
            raise requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", inner))
        except requests.exceptions.ConnectionError as exc:
            raise docker.errors.DockerException(f"Error while fetching server API version: {exc}") from exc
    except docker.errors.DockerException as outer:
        return outer


def _refused_by_urllib3() -> BaseException:
    inner = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    inner.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/version", inner))


@pytest.mark.parametrize(
    "error, label",
    [
        (wrapped(FileNotFoundError(2, "No such file or directory")), "socket missing"),
        (_refused_by_urllib3(), "connection refused"),
        (wrapped(PermissionError(13, "Permission denied")), "permission denied"),
        (requests.exceptions.ReadTimeout("read timed out"), "timed out"),
        (requests.exceptions.SSLError("certificate verify failed"), "TLS failure"),
        (docker.errors.TLSParameterError("bad cert path"), "TLS failure"),
        (docker.errors.InvalidVersion("API versions below 1.24 are no longer supported"), "API version"),
        (wrapped(ConnectionResetError(104, "Connection reset by peer")), "connection lost"),
        (wrapped(paramiko.SSHException("Error reading SSH protocol banner")), "SSH failure"),
        (paramiko.ssh_exception.NoValidConnectionsError({("127.0.0.1", 22): OSError()}), "SSH failure"),
        (
            CommandError("docker ps", 1, "Cannot connect to the Docker daemon at unix:///x.sock"),
            "Docker daemon",
        ),
    ],
)
def test_connection_failures_are_named(error, label):
    assert unreachable_reason(error).startswith(label)


def test_an_old_client_version_refused_by_the_engine_is_a_reason():
    response = requests.Response()
    response.status_code = 400
    error = docker.errors.APIError(
        "400 Client Error", response, "client version 1.12 is too old. Minimum supported API version is 1.24"
    )
    assert unreachable_reason(error).startswith("API version not supported")


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad value"),
        CommandError("docker ps", 1, "permission denied while trying to read a file"),
        docker.errors.NotFound("No such container: x"),
        FileNotFoundError(2, "No such file or directory: 'script.sh'"),
        PermissionError(13, "Permission denied: '/srv/data'"),
    ],
)
def test_other_errors_are_not_connection_failures(error):
    assert unreachable_reason(error) is None


def test_time_outs_can_be_left_out_where_an_answering_engine_may_time_out():
    read_timeout = ReadTimeoutError(None, "/containers/x/wait", "Read timed out.")
    for error in (
        requests.exceptions.ReadTimeout(read_timeout),
        requests.exceptions.ConnectionError(read_timeout),
    ):
        assert unreachable_reason(error).startswith("timed out")
        assert unreachable_reason(error, timeouts=False) is None
    assert unreachable_reason(_refused_by_urllib3(), timeouts=False).startswith("connection refused")


def test_the_error_names_every_unreachable_client_and_pickles():
    error = UnreachableClientsError(
        [
            UnreachableClient("two", "unix:///run/two.sock", "socket missing (...)"),
            UnreachableClient("three", "tcp://127.0.0.1:2376", "connection refused (...)"),
        ]
    )
    copy = pickle.loads(pickle.dumps(error))
    assert copy.unreachable == error.unreachable
    assert str(copy).splitlines() == [
        "Cannot reach the Docker Engine of:",
        "  - client two (unix:///run/two.sock): socket missing (...)",
        "  - client three (tcp://127.0.0.1:2376): connection refused (...)",
        "Nothing was changed on any client. Pass skip_unreachable=True to go on with the reachable ones.",
    ]
