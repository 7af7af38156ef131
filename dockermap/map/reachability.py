"""Telling an engine that cannot be reached from other errors, and saying why in a few words.

A connection error reaches dockermap wrapped several times (``requests`` around ``urllib3`` around the
socket error, the SDK's version negotiation around all of them), so the whole chain of causes is looked
at and the most telling one names the reason: ``socket missing``, ``connection refused``, ``timed out``,
``TLS failure``, ``SSH failure``, ``API version not supported``, ...
"""

from __future__ import annotations

import errno
import socket
import ssl
from typing import Any, Callable, Iterator, List, Optional, Tuple

import docker.errors
import requests.exceptions
import urllib3.exceptions

from dockermap.client.reader import DEFAULT_ADDRESS
from dockermap.exceptions import EngineConnectionError

_UNREACHABLE_ERRNOS = frozenset({errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN})


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps: chained causes, exceptions among its arguments, ``reason``."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [current.__cause__, current.__context__, getattr(current, "reason", None), *current.args]
        pending.extend(item for item in inner if isinstance(item, BaseException))


def _is_ssh_error(exc: BaseException) -> bool:
    return type(exc).__module__.startswith("paramiko")


def _is_version_error(exc: BaseException) -> bool:
    if isinstance(exc, docker.errors.InvalidVersion):
        return True
    return (
        isinstance(exc, docker.errors.APIError)
        and exc.status_code == 400
        and "client version" in str(exc.explanation or "").lower()
    )


def _is_daemon_down(exc: BaseException) -> bool:
    from dockermap.client.cmdline import CommandError  # the command-line client is rarely used

    return isinstance(exc, CommandError) and "cannot connect to the docker daemon" in str(exc).lower()


def _is_unreachable_host(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS


def _is_type(*types: type) -> Callable[[BaseException], bool]:
    return lambda exc: isinstance(exc, types)


_is_timeout = _is_type(
    TimeoutError, socket.timeout, requests.exceptions.Timeout, urllib3.exceptions.ReadTimeoutError
)

#: Errors of this machine's operating system: they mean an unreachable engine only on the way to it (inside
#: a request), not, e.g., when a script file to copy is missing.
_SYSTEM_REASONS: List[Tuple[str, Callable[[BaseException], bool]]] = [
    ("socket missing", _is_type(FileNotFoundError)),
    ("connection refused", _is_type(ConnectionRefusedError)),
    ("permission denied", _is_type(PermissionError)),
    ("host not found", _is_type(socket.gaierror)),
    ("host unreachable", _is_unreachable_host),
    ("connection lost", _is_type(ConnectionError)),
]
#: Errors that say so wherever they come from, most telling first.
_REASONS: List[Tuple[str, Callable[[BaseException], bool]]] = [
    ("TLS failure", _is_type(ssl.SSLError, requests.exceptions.SSLError, docker.errors.TLSParameterError)),
    ("timed out", _is_timeout),
    ("SSH failure", _is_ssh_error),
    ("API version not supported", _is_version_error),
    ("Docker daemon not running", _is_daemon_down),
    ("connection failed", _is_type(requests.exceptions.ConnectionError, EngineConnectionError)),
]


def unreachable_reason(exc: BaseException, timeouts: bool = True) -> Optional[str]:
    """Why the engine could not be reached, if ``exc`` says so (else ``None``), with the error's own text.

    E.g. ``socket missing (FileNotFoundError: [Errno 2] No such file or directory)``. With
    ``timeouts=False`` a time-out is not taken for an unreachable engine (waiting for a container to stop
    may time out on an engine that answers).
    """
    causes = list(_causes(exc))
    if not timeouts and any(_is_timeout(cause) for cause in causes):
        return None
    in_request = any(
        isinstance(cause, (requests.exceptions.RequestException, EngineConnectionError)) for cause in causes
    )
    for label, matches in (_SYSTEM_REASONS if in_request else []) + _REASONS:
        found = [cause for cause in causes if matches(cause)]
        if found:  # the innermost one says it most plainly
            return f"{label} ({type(found[-1]).__name__}: {found[-1]})"
    return None


def client_address(config: Any) -> str:
    """Where a client configuration looks for its engine (its ``base_url``, else the SDK default)."""
    return config.base_url or DEFAULT_ADDRESS
