"""The pure parts of EngineReader: addresses, filters, HTTP bodies, and when a configuration uses it."""

from __future__ import annotations

import io
import socket
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, List

import docker.constants
import docker.utils
import pytest

from dockermap.client import SDK_POOL_SIZE, client_kwargs_from_env
from dockermap.client.direct import DirectClient
from dockermap.client.reader import (
    EngineReader,
    _filters,
    _read_body,
    _read_head,
    engine_address,
    path_part,
    query_string,
)
from dockermap.map.config.client import ClientConfiguration


@pytest.mark.parametrize(
    "base_url, address",
    [
        (None, "/var/run/docker.sock"),
        ("unix:///run/user/1/docker.sock", "/run/user/1/docker.sock"),
        ("unix://var/run/docker.sock", "/var/run/docker.sock"),
        ("http+unix:///tmp/d.sock", "/tmp/d.sock"),
        ("tcp://127.0.0.1:2375", ("127.0.0.1", 2375)),
        ("tcp://engine.example", ("engine.example", 2375)),
        ("http://10.0.0.2:4243/", ("10.0.0.2", 4243)),
        ("https://engine.example:2376", None),
        ("ssh://user@engine.example", None),
        ("tcp://engine.example:2375/prefix", None),
        ("npipe:////./pipe/docker_engine", None),
        ("unix://", None),
        ("unix:///tmp/odd?name.sock", "/tmp/odd"),  # what urllib.parse makes of it
    ],
)
def test_engine_address(base_url, address):
    assert engine_address(base_url) == address


@pytest.mark.parametrize(
    "params",
    [
        {"all": 1, "size": 0, "limit": None},
        {"filters": '{"label": ["io.dockermap.map=web app", "a=b&c"]}'},
        {"name": "ünï cöde/~_.-+%#?", "dangling": True, "since": 1.5},
    ],
)
def test_query_string_is_what_urlencode_writes(params):
    expected = urllib.parse.urlencode({key: value for key, value in params.items() if value is not None})
    assert query_string(params) == expected


@pytest.mark.parametrize("part", ["web.1", "0123abcdef", "a b/c:d", "ünï%#?&=+~_.-"])
def test_path_parts_are_quoted_as_the_sdk_quotes_them(part):
    assert path_part(part) == urllib.parse.quote(part, safe="/:")


@pytest.mark.parametrize("version", ["1.12", "1.23", "latest", "one.two"])
def test_versions_the_sdk_refuses_are_left_to_it(version):
    assert EngineReader.for_client("unix:///x.sock", version, None, lambda: None) is None


@pytest.mark.parametrize(
    "filters",
    [
        {"label": "a=b"},
        {"label": ["a=b", "c"], "dangling": True, "status": "exited"},
        {"name": ["^/x$"], "health": False, "exited": 0},
    ],
)
def test_filters_are_sent_as_the_sdk_sends_them(filters):
    assert _filters(filters) == docker.utils.convert_filters(filters)


def _response(head: bytes, body: bytes) -> io.BytesIO:
    return io.BytesIO(head + b"\r\n" + body + b"NEXT")


def test_bodies_by_length_chunks_and_close():
    stream = _response(b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n", b"[12]")
    status, headers = _read_head(stream)
    assert (status, _read_body(stream, headers), stream.read()) == (200, b"[12]", b"NEXT")

    chunked = b"3;x=y\r\n[1,\r\n9\r\n 2, 3, 4]\r\n0\r\nTrailer: t\r\n\r\n"
    stream = _response(b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n", chunked)
    status, headers = _read_head(stream)
    assert (status, _read_body(stream, headers), stream.read()) == (404, b"[1, 2, 3, 4]", b"NEXT")

    stream = _response(b"HTTP/1.0 200 OK\r\n", b"{}")
    status, headers = _read_head(stream)
    assert _read_body(stream, headers) == b"{}NEXT"
    assert headers["connection"] == "close"


@pytest.mark.parametrize(
    "cut", [b"HTTP/1.1 200 OK\r\nContent-Len", b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n[1]"]
)
def test_a_cut_response_is_a_lost_connection(cut):
    stream = io.BytesIO(cut)
    with pytest.raises(ConnectionResetError):
        _read_body(stream, _read_head(stream)[1])


@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"DOCKER_HOST": "tcp://127.0.0.1:2375"},
        {"DOCKER_HOST": ""},
        {"DOCKER_HOST": "unix:///x.sock", "DOCKER_TLS_VERIFY": "", "DOCKER_CERT_PATH": ""},
    ],
)
def test_environment_without_tls_as_the_sdk_reads_it(environ):
    assert client_kwargs_from_env(environ) == docker.utils.kwargs_from_env(environment=environ or {"X": "y"})


def test_environment_with_tls_is_read_by_the_sdk(tmp_path):
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (tmp_path / name).write_text("")
    environ = {
        "DOCKER_HOST": "tcp://engine:2376",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(tmp_path),
    }
    kwargs = client_kwargs_from_env(environ)
    assert kwargs["base_url"] == "tcp://engine:2376"
    assert isinstance(kwargs["tls"], docker.tls.TLSConfig)


def test_pool_size_is_the_sdks():
    assert SDK_POOL_SIZE == docker.constants.DEFAULT_MAX_POOL_SIZE


def test_configurations_use_the_direct_client_where_they_can():
    config = ClientConfiguration(base_url="unix:///tmp/none.sock", timeout=5)
    direct = config.get_direct_client()
    assert isinstance(direct, DirectClient) and config.get_direct_client() is direct
    config.timeout = 7
    assert config.get_direct_client() is not direct
    config.base_url = "https://engine.example:2376"
    config.version = "1.41"
    assert not isinstance(config.get_direct_client(), EngineReader)

    given = type("GivenClient", (), {})()
    assert ClientConfiguration(base_url="unix:///tmp/none.sock", client=given).get_direct_client() is given
    with_tls = ClientConfiguration(base_url="tcp://engine.example:2376", version="1.41", tls=True)
    assert not isinstance(with_tls.get_direct_client(), EngineReader)


class _Engine:
    """A one-connection-at-a-time HTTP server on a Unix socket that answers each request with the next of
    ``answers`` and records the request lines; ``close_after`` closes each connection after so many."""

    def __init__(self, directory: Path, answers: List[bytes], close_after: int = 0) -> None:
        self.address = str(directory / "engine.sock")
        self.answers = list(answers)
        self.requests: List[str] = []
        self.connections = 0
        self._close_after = close_after
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.address)
        self._server.listen(4)
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while self.answers:
            connection, _ = self._server.accept()
            self.connections += 1
            with connection, connection.makefile("rb") as stream:
                served = 0
                while self.answers and (not self._close_after or served < self._close_after):
                    line = stream.readline()
                    if not line:
                        break
                    self.requests.append(line.decode().strip())
                    while stream.readline().strip():  # headers
                        pass
                    connection.sendall(self.answers.pop(0))
                    served += 1


def _client(engine: _Engine, sdk: Any = None) -> DirectClient:
    return DirectClient(engine.address, None, 5, lambda: sdk)


def test_answers_without_a_body_end_at_their_head(tmp_path):
    engine = _Engine(
        tmp_path,
        [
            b"HTTP/1.1 204 No Content\r\n\r\n",
            b"HTTP/1.1 304 Not Modified\r\n\r\n",
            b"HTTP/1.1 204 No Content\r\n\r\n",
        ],
    )
    client = _client(engine)
    client.remove_container("web.1", v=True)
    client.stop("web.1", timeout=2)
    client.remove_volume("data", force=True)
    assert engine.requests == [
        "DELETE /containers/web.1?v=True&link=False&force=False HTTP/1.1",
        "POST /containers/web.1/stop?t=2 HTTP/1.1",
        "DELETE /volumes/data?force=True HTTP/1.1",
    ]
    assert engine.connections == 1


def test_a_connection_the_engine_closed_while_idle_is_opened_again(tmp_path):
    ok = b"HTTP/1.1 204 No Content\r\n\r\n"
    engine = _Engine(tmp_path, [ok, ok, ok], close_after=1)
    client = _client(engine)
    for _ in range(3):
        client.start("web.1")
        time.sleep(0.05)  # the engine closes the connection meanwhile
    assert engine.connections == 3 and len(engine.requests) == 3


def test_an_error_status_is_handed_to_the_sdk_client(tmp_path):
    engine = _Engine(tmp_path, [b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}"])
    calls = []
    sdk = type("Sdk", (), {"kill": lambda self, *args, **kwargs: calls.append((args, kwargs))})()
    _client(engine, sdk).kill("web.1", signal=15)
    assert engine.requests == ["POST /containers/web.1/kill?signal=15 HTTP/1.1"]
    assert calls == [(("web.1",), {"signal": 15})]


def test_other_attributes_are_the_sdk_clients(tmp_path):
    sdk = type("Sdk", (), {"create_container": "the SDK's", "_private": 1})()
    client = DirectClient(str(tmp_path / "none.sock"), None, 5, lambda: sdk)
    assert client.create_container == "the SDK's"
    with pytest.raises(AttributeError):
        assert client._private
