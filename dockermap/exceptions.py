"""Errors raised by the client utilities (``dockermap.client``), the build helpers (``dockermap.build``) and
shared mixins.

Hierarchy::

    Exception
    ├── PartialResultsError (SourceExceptionMixin, PartialResultsMixin)
    │       an operation on several items failed part-way; ``results`` holds what was done,
    │       ``source_exception`` the original error (also chained as ``__cause__``)
    ├── DockerStatusError
    │       the engine reported an error inside a streamed response (build, pull, push);
    │       ``message`` says what failed with the engine's text, ``engine_message`` is that text
    │       alone, ``detail`` its structured details (or ``None``)
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

The mixins are reused by ``dockermap.map.exceptions``.
"""

from __future__ import annotations

import traceback
from types import TracebackType
from typing import Any, Optional, Tuple, Type, Union

ExcInfo = Tuple[Type[BaseException], BaseException, Optional[TracebackType]]


def _as_exc_info(src_exc: Union[ExcInfo, BaseException]) -> ExcInfo:
    if isinstance(src_exc, BaseException):
        return type(src_exc), src_exc, src_exc.__traceback__
    return src_exc


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


class PartialResultsError(SourceExceptionMixin, PartialResultsMixin, Exception):
    """An operation on several items failed part-way; ``results`` holds what was already done."""

    def __init__(self, src_exc: Union[ExcInfo, BaseException], partial_results: Any) -> None:
        super().__init__(src_exc, partial_results)

    def __str__(self) -> str:
        return self.source_message


class DockerStatusError(Exception):
    """The engine reported an error in a streamed response (build, pull, push).

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


class BuildInputError(ValueError):
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
