"""``EngineReader``: the read-only Engine API calls that observing an engine needs, on the standard library.

Importing the Docker SDK (with ``requests`` and ``urllib3``) takes longer than a whole ``update`` that
finds nothing to do. Observation therefore reads through this small HTTP/1.1 client over the engine's
Unix socket or plain TCP port, and the SDK client is created only when a call needs it
(:class:`~dockermap.client.direct.DirectClient` adds the calls of stopping and removing). Each request
in flight has a connection of its own; idle ones are kept for the next requests.

The reader answers like ``docker.APIClient`` (same paths, parameters and decoded JSON). Whatever it does
not handle itself goes to the SDK client: an error status is asked again through it, so that errors are
the SDK's own, and engines behind TLS or SSH are never read here at all. A socket error is raised as an
:class:`~dockermap.exceptions.EngineConnectionError`: asking again would only wait for the same timeout twice.
"""

from __future__ import annotations

import json
import socket
import threading
from typing import Any, BinaryIO, Callable, Dict, List, Optional, Tuple, Union

from dockermap.exceptions import EngineConnectionError

from . import parse_api_version

#: Where the SDK looks for the engine when no address is configured.
DEFAULT_ADDRESS = "unix:///var/run/docker.sock"
#: The engine's plain-HTTP port when a ``tcp://`` address names none.
DEFAULT_TCP_PORT = 2375
#: The SDK refuses API versions below this one; the reader leaves such clients to it.
MINIMUM_API_VERSION = (1, 24)
#: Longest status or header line read.
_MAX_LINE = 65536
#: Bytes a query string keeps as they are (``urllib.parse.quote_plus``'s); others are %-escaped.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")

#: Statuses whose answers have no body (and no length saying so).
_NO_BODY = (204, 304)

#: Bytes a path part keeps as they are (the SDK's ``quote(part, safe="/:")``).
_PATH_SAFE = _UNRESERVED | frozenset(b"/:")

Address = Union[str, Tuple[str, int]]


class _Connection:
    """One keep-alive HTTP/1.1 connection to the engine, opened on first use."""

    def __init__(self, address: Address, timeout: Optional[float]) -> None:
        self._address = address
        self._timeout = timeout
        self._socket: Optional[socket.socket] = None
        self._stream: Optional[BinaryIO] = None

    def _open(self) -> BinaryIO:
        if isinstance(self._address, str):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self._timeout)
            try:
                sock.connect(self._address)
            except OSError:
                sock.close()
                raise
        else:
            sock = socket.create_connection(self._address, self._timeout)
        self._socket = sock
        self._stream = sock.makefile("rb")
        return self._stream

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._socket is not None:
            self._socket.close()
        self._socket = self._stream = None

    def request(self, method: str, target: str, timeout: Optional[float]) -> Tuple[int, bytes]:
        """Status and body of ``method target``, waiting ``timeout`` seconds per socket operation.

        A kept-alive connection that the engine closed while it was idle is opened again; a ``GET`` that
        finds it closed only when sent is sent once more (a change is never sent twice).
        """
        if self._socket is not None and _closed_while_idle(self._socket):
            self.close()
        reused = self._socket is not None
        try:
            return self._exchange(method, target, timeout)
        except ConnectionError:
            self.close()
            if not reused or method != "GET":
                raise
        return self._exchange(method, target, timeout)

    def _exchange(self, method: str, target: str, timeout: Optional[float]) -> Tuple[int, bytes]:
        stream = self._stream or self._open()
        assert self._socket is not None
        self._socket.settimeout(timeout)
        request = f"{method} {target} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dockermap\r\n"
        if method != "GET":
            request += "Content-Length: 0\r\n"
        self._socket.sendall(f"{request}\r\n".encode("ascii"))
        try:
            status, headers = _read_head(stream)
            body = b"" if status in _NO_BODY else _read_body(stream, headers)
        except BaseException:
            self.close()
            raise
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, body


def _closed_while_idle(sock: socket.socket) -> bool:
    """Whether an idle connection can be read from: the engine closed it (it sends nothing unasked)."""
    sock.setblocking(False)  # the next request sets its timeout again
    try:
        sock.recv(1, socket.MSG_PEEK)
    except BlockingIOError:
        return False
    except OSError:
        return True
    return True


def _read_line(stream: BinaryIO) -> bytes:
    line = stream.readline(_MAX_LINE)
    if not line.endswith(b"\n"):
        raise ConnectionResetError("the engine closed the connection in the middle of a response")
    return line


def _read_head(stream: BinaryIO) -> Tuple[int, Dict[str, str]]:
    parts = _read_line(stream).split(None, 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise ConnectionResetError("the engine's answer is not HTTP")
    headers: Dict[str, str] = {}
    while True:
        line = _read_line(stream).strip()
        if not line:
            return int(parts[1]), headers
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise ConnectionResetError("the engine closed the connection in the middle of a response")
    return data


def _read_body(stream: BinaryIO, headers: Dict[str, str]) -> bytes:
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks: List[bytes] = []
        while True:
            size = int(_read_line(stream).split(b";")[0], 16)
            if size == 0:
                while _read_line(stream).strip():  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(_read_exactly(stream, size))
            _read_line(stream)
    if "content-length" in headers:
        return _read_exactly(stream, int(headers["content-length"]))
    headers["connection"] = "close"
    return stream.read()


def _filters(filters: Dict[str, Any]) -> str:
    """Filters as the SDK sends them: every value a list of strings, booleans as ``true``/``false``."""
    result = {}
    for key, value in filters.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, list):
            value = [value]
        result[key] = [item if isinstance(item, str) else str(item) for item in value]
    return json.dumps(result)


def _escaped(value: Any, safe: frozenset, space: str) -> str:
    """``value`` as text with every byte outside ``safe`` %-escaped, a space written as ``space``."""
    return "".join(
        chr(byte) if byte in safe else space if byte == 32 else f"%{byte:02X}" for byte in str(value).encode()
    )


def path_part(value: Any) -> str:
    """An object's id or name as a part of a request path, quoted as the SDK quotes it."""
    return _escaped(value, _PATH_SAFE, "%20")


def query_string(params: Dict[str, Any]) -> str:
    """``params`` (``None`` values left out) as ``urllib.parse.urlencode`` writes them."""
    return "&".join(
        f"{_escaped(key, _UNRESERVED, '+')}={_escaped(value, _UNRESERVED, '+')}"
        for key, value in params.items()
        if value is not None
    )


def engine_address(base_url: Optional[str]) -> Optional[Address]:
    """The socket path or ``(host, port)`` of an engine the reader can talk to; ``None`` for any other
    (TLS, SSH, a URL with a path)."""
    address = base_url or DEFAULT_ADDRESS
    for prefix in ("unix://", "http+unix://"):
        if address.startswith(prefix) and not any(mark in address for mark in "?#"):
            path = address[len(prefix) :]  # the common case, without loading urllib.parse
            return (path if path.startswith("/") else f"/{path}") if path else None
    from urllib.parse import urlsplit

    url = urlsplit(address)
    if url.scheme in ("unix", "http+unix"):
        path = f"/{url.netloc}{url.path}" if url.netloc else url.path
        return path or None
    if url.scheme in ("tcp", "http") and url.hostname and url.path in ("", "/") and not url.query:
        return url.hostname, url.port or DEFAULT_TCP_PORT
    return None


class EngineReader:
    """The engine reads of observation: containers, their details and processes, volumes, networks and
    images, answered as ``docker.APIClient`` answers them.

    :param address: What :func:`engine_address` returns.
    :param version: Engine API version; ``None`` or ``'auto'`` use the engine's own (as the SDK would
      after asking the engine for it).
    :param timeout: Seconds per socket operation; ``None`` waits as long as it takes.
    :param full_client: Returns the SDK client that answers whatever the reader leaves to it.
    """

    def __init__(
        self,
        address: Address,
        version: Optional[str],
        timeout: Optional[float],
        full_client: Callable[[], Any],
    ) -> None:
        self._prefix = "" if version in (None, "auto") else f"/v{version}"
        self._address = address
        self._timeout = timeout
        self._idle: List[_Connection] = []  # one per request in flight at most, kept for the next ones
        self._lock = threading.Lock()
        self._full_client = full_client
        self._full_client_lock = threading.Lock()

    @classmethod
    def for_client(
        cls, base_url: Optional[str], version: Optional[str], timeout: Any, full_client: Callable[[], Any]
    ) -> Optional[EngineReader]:
        """A reader for a client configuration, or ``None`` when only the SDK can talk to its engine."""
        address = engine_address(base_url)
        if address is None:
            return None
        if version not in (None, "auto"):
            try:
                if parse_api_version(version) < MINIMUM_API_VERSION:
                    return None
            except ValueError:
                return None
        return cls(address, version, timeout, full_client)

    def close(self) -> None:
        """Close the idle connections (the next request opens a new one)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _sdk(self) -> Any:
        """The SDK client, created once even when several threads ask at the same time."""
        with self._full_client_lock:
            return self._full_client()

    def _request(
        self, method: str, path: str, params: Dict[str, Any], timeout: Optional[float]
    ) -> Tuple[int, bytes]:
        """Status and body of a request on an idle connection (or a new one)."""
        query = query_string(params)
        target = f"{self._prefix}{path}" + (f"?{query}" if query else "")
        with self._lock:
            connection = self._idle.pop() if self._idle else _Connection(self._address, self._timeout)
        try:
            answer = connection.request(method, target, timeout)
        except OSError as exc:
            connection.close()
            raise EngineConnectionError(f"no answer from the engine to {method} {path}: {exc}") from exc
        with self._lock:
            self._idle.append(connection)
        return answer

    def _get(self, method: str, path: str, params: Dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        status, body = self._request("GET", path, params, self._timeout)
        return self._decoded(status, body, method, *args, **kwargs)

    def _decoded(self, status: int, body: bytes, method: str, *args: Any, **kwargs: Any) -> Any:
        """The JSON of a successful answer; otherwise the SDK client's ``method(*args, **kwargs)``."""
        if 200 <= status < 300:
            try:
                return json.loads(body)
            except ValueError:
                pass
        return getattr(self._sdk(), method)(*args, **kwargs)

    def containers(self, all: bool = False, filters: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        params: Dict[str, Any] = {"limit": -1, "all": 1 if all else 0, "size": 0, "trunc_cmd": 0}
        if filters:
            params["filters"] = _filters(filters)
        return self._get("containers", "/containers/json", params, all=all, filters=filters)

    def inspect_container(self, container: str) -> Dict[str, Any]:
        return self._get("inspect_container", f"/containers/{path_part(container)}/json", {}, container)

    def top(self, container: str, ps_args: Optional[str] = None) -> Dict[str, Any]:
        return self._get(
            "top", f"/containers/{path_part(container)}/top", {"ps_args": ps_args}, container, ps_args=ps_args
        )

    def volumes(self, filters: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        params = {"filters": _filters(filters)} if filters else {}
        return self._get("volumes", "/volumes", params, filters=filters)

    def networks(
        self, names: Optional[List[str]] = None, filters: Optional[Dict[str, Any]] = None
    ) -> List[Dict[str, Any]]:
        combined = dict(filters or {})
        if names:
            combined["name"] = names
        return self._get(
            "networks", "/networks", {"filters": _filters(combined)}, names=names, filters=filters
        )

    def image_id(self, image: str) -> Optional[str]:
        """The id of the image ``image`` names, or ``None`` when the engine has none: a missing image is
        told here, without the SDK (other errors are the SDK's, as for every call)."""
        status, body = self._request("GET", f"/images/{path_part(image)}/json", {}, self._timeout)
        if status == 404:
            return None
        return str(self._decoded(status, body, "inspect_image", image)["Id"])

    def images(self, all: bool = False, filters: Optional[Dict[str, Any]] = None) -> List[Any]:
        params: Dict[str, Any] = {"only_ids": 0, "all": 1 if all else 0}
        if filters:
            params["filters"] = _filters(filters)
        return self._get("images", "/images/json", params, all=all, filters=filters)
