"""Write-once buffers behind :class:`~dockermap.build.dockerfile.DockerFile` and
:class:`~dockermap.build.context.DockerContext`.

A buffer collects content until it is *finalized*; after that every modifying call raises
:class:`FinalizedError`, so nothing can be appended to a Dockerfile or context that was already handed on.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from abc import ABCMeta, abstractmethod
from typing import IO, Any, TypeVar

from dockermap.exceptions import FinalizedError as FinalizedError

_Buffer = TypeVar("_Buffer", bound="DockerBuffer")


class DockerBuffer(metaclass=ABCMeta):
    """Base of the buffers: owns a file object and a finalized flag.

    Used as a context manager it returns itself and *closes* (not finalizes) the file object on exit.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._fileobj = self.create_fileobj()
        self._finalized = False

    def __enter__(self: _Buffer) -> _Buffer:
        return self

    def __exit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        self.close()

    @abstractmethod
    def create_fileobj(self) -> IO[bytes]:
        """Create the file object that backs this buffer."""

    @abstractmethod
    def save(self, name: str) -> None:
        """Finalize the buffer and write its content to the file ``name``."""

    @property
    def fileobj(self) -> IO[bytes]:
        """The backing file object."""
        return self._fileobj

    @property
    def finalized(self) -> bool:
        """Whether :meth:`finalize` was called; no more changes are accepted then."""
        return self._finalized

    def check_not_finalized(self) -> None:
        """Raise :class:`FinalizedError` if the buffer was finalized."""
        if self._finalized:
            raise FinalizedError(f"{type(self).__name__} is finalized and cannot be changed any more.")

    def getvalue(self) -> bytes:
        """The complete content of the buffer (read into memory); the file position is left unchanged."""
        f = self._fileobj
        f.flush()
        position = f.tell()
        try:
            f.seek(0)
            return f.read()
        finally:
            f.seek(position)

    def finalize(self) -> None:
        """Mark the buffer as complete."""
        self._finalized = True

    def close(self) -> None:
        """Close the backing file object."""
        self._fileobj.close()


class DockerStringBuffer(DockerBuffer):
    """Buffer held in memory (:class:`io.BytesIO`)."""

    def create_fileobj(self) -> io.BytesIO:
        return io.BytesIO()

    def save(self, name: str) -> None:
        """Finalize and write the whole buffer to the file ``name``."""
        self.finalize()
        with open(name, "wb+") as f:
            f.write(self.getvalue())


class DockerTempFile(DockerBuffer):
    """Buffer backed by a named temporary file (deleted on :meth:`~DockerBuffer.close`), so that memory
    use stays flat."""

    def create_fileobj(self) -> IO[bytes]:
        return tempfile.NamedTemporaryFile("wb+")

    def save(self, name: str) -> None:
        """Finalize, then copy the temporary file from its current position to the file ``name``."""
        self.finalize()
        self._fileobj.flush()
        with open(name, "wb+") as f:
            shutil.copyfileobj(self._fileobj, f)
