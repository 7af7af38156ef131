"""The root of dockermap's errors, and the errors of the client utilities (``dockermap.client``), the
build helpers (``dockermap.build``), dependency resolution (``dockermap.dep``) and ``dockermap.fabric``.

Every error dockermap raises on purpose is a :class:`DockerMapError`; those that were ``ValueError``
or ``KeyError`` before keep that base too, so existing ``except`` clauses still catch them. Errors of
the Engine API itself are the Docker SDK's (``docker.errors``), from either client.

Hierarchy::

    DockerMapError
    ├── PartialResultsError (SourceExceptionMixin, PartialResultsMixin)
    │       an operation on several items failed part-way; ``results`` holds what was done,
    │       ``source_exception`` the original error (also chained as ``__cause__``)
    ├── DockerStatusError
    │       a build, pull or push failed (from either client); ``message`` says what failed with
    │       the engine's text, ``engine_message`` is that text alone, ``detail`` its structured
    │       details (``{'status_code': 404}`` when the engine refused the request), or ``None``
    ├── CircularDependency
    │       an item depends on itself, directly or through others; ``cycle`` lists the loop
    ├── FinalizedError
    │       a Dockerfile or build context buffer was changed after it was finalized
    ├── CommandError
    │   │   a command run by the command-line client exited with an error; ``command``,
    │   │   ``exit_code``, ``stderr``, ``stdout``
    │   └── RemoteCommandError
    │           the same on the host of a Fabric connection; ``host`` names it
    ├── UnsupportedOption (ValueError)
    │       an argument of a client call that has no ``docker`` command-line equivalent
    ├── EngineConnectionError (OSError)
    │       observing an engine failed on the way to it (the socket error is the cause)
    ├── FrozenRecordError (AttributeError)
    │       a field of a frozen record (a plan's action, an option set) was assigned or deleted
    ├── InvalidArgumentError (ValueError)
    │       an argument of a call is not valid: an unknown action or client mode, an option
    │       value outside its choices, a malformed API version
    └── BuildInputError (ValueError)
        │   something dockermap refuses to put into a Dockerfile or build context
        ├── DockerfileValueError
        │       a value cannot be written safely into its instruction
        ├── ContextPathError
        │       a build context entry would leave the context
        └── DockerignoreError
                a ``.dockerignore`` file is not UTF-8 or holds an invalid pattern

    SourceExceptionMixin    carries the ``sys.exc_info()`` of the error that caused this one
    PartialResultsMixin     carries whatever was completed before the failure

The errors of maps are in :mod:`dockermap.map.exceptions`, those of Compose files in
:mod:`dockermap.compose.exceptions` and those of the ``dockermap`` command in
:mod:`dockermap.cli.exceptions`; all derive from :class:`DockerMapError`. The mixins are reused there.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, List, Optional, Tuple, Type, Union

ExcInfo = Tuple[Type[BaseException], BaseException, Optional[TracebackType]]


def _as_exc_info(src_exc: Union[ExcInfo, BaseException]) -> ExcInfo:
    if isinstance(src_exc, BaseException):
        return type(src_exc), src_exc, src_exc.__traceback__
    return src_exc


class DockerMapError(Exception):
    """The root of every error dockermap raises on purpose: ``except DockerMapError`` catches them all."""


class SourceExceptionMixin:
    """Keeps the error that caused this exception, so it can be shown or re-raised later.

    ``src_exc`` is a ``sys.exc_info()`` tuple or an exception instance.
    """

    def __init__(self, src_exc: Union[ExcInfo, BaseException], *args: Any, **kwargs: Any) -> None:
        self._src_exc = _as_exc_info(src_exc)
        super().__init__(*args, **kwargs)

    @property
    def source_exception(self) -> ExcInfo:
        """The ``(type, value, traceback)`` tuple of the original error."""
        return self._src_exc

    @property
    def source_message(self) -> str:
        """The original error formatted as ``Type: message``, without traceback."""
        exc_type, exc_value = self._src_exc[:2]
        import traceback

        return "".join(traceback.format_exception_only(exc_type, exc_value)).strip()

    def reraise(self) -> None:
        """Raise the original error again, with its original traceback."""
        raise self._src_exc[1].with_traceback(self._src_exc[2])


class PartialResultsMixin:
    """Keeps the results that were completed before an operation failed."""

    def __init__(self, partial_results: Any, *args: Any, **kwargs: Any) -> None:
        self._results = partial_results
        super().__init__(*args, **kwargs)

    @property
    def results(self) -> Any:
        """Whatever was completed before the failure (the shape depends on the operation)."""
        return self._results


class PartialResultsError(SourceExceptionMixin, PartialResultsMixin, DockerMapError):
    """An operation on several items failed part-way; ``results`` holds what was already done."""

    def __init__(self, src_exc: Union[ExcInfo, BaseException], partial_results: Any) -> None:
        super().__init__(src_exc, partial_results)

    def __str__(self) -> str:
        return self.source_message


class DockerStatusError(DockerMapError):
    """A build, pull or push failed: the engine reported an error in its streamed response, or refused
    the request (then ``detail`` is ``{'status_code': <the HTTP status>}``).

    ``detail`` is the engine's ``errorDetail`` without its (duplicated) ``message`` key, or ``None``
    when nothing else remains.
    """

    def __init__(self, message: str, detail: Any = None, engine_message: Optional[str] = None) -> None:
        super().__init__(message)
        self._message = message
        self._engine_message = engine_message
        if isinstance(detail, dict):
            detail = {key: value for key, value in detail.items() if key != "message"}
        self._detail = detail or None

    @property
    def message(self) -> str:
        """What failed, with the error text sent by the engine."""
        return self._message

    @property
    def engine_message(self) -> str:
        """The error text sent by the engine alone (the whole message when it is not known separately)."""
        return self._engine_message or self._message

    @property
    def detail(self) -> Any:
        """Further details sent by the engine (e.g. ``{'code': 3}``), or ``None``."""
        return self._detail

    def __str__(self) -> str:
        return self._message


class BuildInputError(DockerMapError, ValueError):
    """Something that dockermap refuses to write into a Dockerfile or build context."""


class DockerfileValueError(BuildInputError):
    """A value that cannot be written safely into a Dockerfile instruction; names the instruction."""

    def __init__(self, instruction: str, value: Any, reason: str) -> None:
        super().__init__(f"{instruction}: {value!r} {reason}")
        self.instruction = instruction
        self.value = value


class ContextPathError(BuildInputError):
    """A build context entry whose name or link target would leave the context."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"Build context entry {name!r} {reason}")
        self.name = name


class DockerignoreError(BuildInputError):
    """A ``.dockerignore`` file that is not UTF-8 or holds an invalid pattern; names the file and line."""

    def __init__(self, message: str, filename: Optional[str] = None, line: Optional[int] = None) -> None:
        location = f"{filename}, line {line}: " if filename else f"line {line}: " if line else ""
        super().__init__(location + message)
        self.filename = filename
        self.line = line


class CircularDependency(DockerMapError):
    """An item depends on itself, directly or through other items.

    ``cycle`` lists the items forming the loop, starting and ending with ``item``
    (e.g. ``[a, b, c, a]``).
    """

    def __init__(self, item: Any, is_direct: bool = False, cycle: Optional[List[Any]] = None) -> None:
        if cycle is None:
            cycle = [item, item] if is_direct else []
        super().__init__(item, is_direct, cycle)
        self._item = item
        self._is_direct = is_direct
        self._cycle = cycle

    @property
    def item(self) -> Any:
        """The item whose dependencies lead back to it."""
        return self._item

    @property
    def is_direct(self) -> bool:
        """Whether the item lists itself as a direct dependency."""
        return self._is_direct

    @property
    def cycle(self) -> List[Any]:
        """The items forming the loop, from ``item`` back to ``item``; empty if unknown."""
        return self._cycle

    def __str__(self) -> str:
        if self._is_direct:
            return f"{self._item} refers to itself as a dependency."
        if not self._cycle:
            return f"{self._item} has a dependency that refers back to it."
        path = " -> ".join(str(item) for item in self._cycle)
        return f"{self._item} has a dependency that refers back to it: {path}"


class FinalizedError(DockerMapError):
    """A Dockerfile or build context buffer was changed after it was finalized."""


class CommandError(DockerMapError):
    """A command that exited with a non-zero status: its command line, exit code and output."""

    def __init__(self, command: str, exit_code: Optional[int], stderr: str = "", stdout: str = "") -> None:
        super().__init__(f"{command} exited with status {exit_code}: {stderr.strip() or stdout.strip()}")
        self.command = command
        self.exit_code = exit_code
        self.stderr = stderr
        self.stdout = stdout


class RemoteCommandError(CommandError):
    """A command run on a connection's host exited with an error; ``host`` names the host.

    ``command``, ``exit_code``, ``stderr`` and ``stdout`` are those of
    :class:`CommandError`; the message names the host, the command and its
    error output.
    """

    def __init__(self, host: str, command: str, exit_code: int, stderr: str = "", stdout: str = "") -> None:
        super().__init__(command, exit_code, stderr, stdout)
        self.host = host

    def __str__(self) -> str:
        return f"on {self.host}: {super().__str__()}"


class UnsupportedOption(DockerMapError, ValueError):
    """An argument of an SDK call that has no ``docker`` command-line equivalent."""


class EngineConnectionError(DockerMapError, OSError):
    """Reading from an engine failed on the way to it: the socket is missing, the connection was refused,
    lost or timed out. The socket error is chained as the cause."""


class FrozenRecordError(DockerMapError, AttributeError):
    """A field of a frozen record was assigned or deleted."""


class InvalidArgumentError(DockerMapError, ValueError):
    """An argument of a call is not valid (an unknown action or mode, an option value outside its
    choices); the message names the argument and what is accepted."""
