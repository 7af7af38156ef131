"""Writing the bytes of a context archive while the next files are read.

:class:`BackgroundWriter` takes full buffers and whole files and writes them to the archive file in a
thread of its own, in the order they were handed over: reading files, writing the archive (and
compressing it: zlib and the other compressors let other threads run meanwhile) overlap. Memory stays
bounded: there is a fixed number of buffers, and handing over a buffer waits for a free one.
"""

from __future__ import annotations

import errno
import os
import queue
import threading
from typing import IO, Optional, Union

#: Buffers handed over at once at most (each of the size the caller allocates).
BUFFER_COUNT = 4
# What os.sendfile fails with where it cannot copy between two files (the data is then copied by reading).
_NO_KERNEL_COPY = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSOCK)

# A buffer and how many of its bytes to write, or a file descriptor (closed when done) and its size.
_Task = Union[tuple[bytearray, int], tuple[int, int]]


def copy_file(source: int, target: IO[bytes], size: int, buffer: bytearray, direct: bool) -> None:
    """Append the first ``size`` bytes of the file open as descriptor ``source`` to ``target``, as
    :mod:`tarfile` does: fail on a file that got shorter, copy the beginning of one that grew.

    :param buffer: Space for copying by reading and writing.
    :param direct: Whether the kernel may copy into ``target``'s file (nothing between, like compression).
    :raises OSError: ``unexpected end of data`` if the file has fewer than ``size`` bytes.
    """
    done = 0
    if direct:
        target.flush()
        try:
            done = _send(source, target.fileno(), size)
        finally:
            # The kernel moved the file position; let the buffered file object find it again.
            target.seek(0, os.SEEK_END)
    view = memoryview(buffer)
    while done < size:
        count = os.preadv(source, [view[: min(size - done, len(buffer))]], done)
        if not count:
            raise OSError("unexpected end of data")
        target.write(view[:count])
        done += count


def _send(source: int, target: int, size: int) -> int:
    # Copy up to ``size`` bytes from the start of ``source`` to ``target`` in the kernel; returns how many
    # were copied (none where the kernel cannot copy between these files).
    offset = 0
    while offset < size:
        try:
            sent = os.sendfile(target, source, offset, size - offset)
        except OSError as exc:
            if offset or exc.errno not in _NO_KERNEL_COPY:
                raise
            return 0
        if not sent:
            raise OSError("unexpected end of data")
        offset += sent
    return offset


class BackgroundWriter:
    """Writes buffers and files to ``target`` in a thread, in the order they are handed over.

    An error of the thread is raised by the next call; what was handed over after it is dropped.
    """

    def __init__(self, target: IO[bytes], buffer_size: int, direct: bool) -> None:
        self._target = target
        self._direct = direct
        self._tasks: queue.Queue[Optional[_Task]] = queue.Queue()
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(BUFFER_COUNT):
            self._free.put(bytearray(buffer_size))
        self._copy_buffer = bytearray(buffer_size)
        self._error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name="dockermap-context-writer", daemon=True)
        self._thread.start()

    def buffer(self) -> bytearray:
        """A free buffer to fill (waits until the thread has written one)."""
        self._raise_error()
        return self._free.get()

    def write(self, buffer: bytearray, size: int) -> None:
        """Write the first ``size`` bytes of ``buffer`` (from :meth:`buffer`), which is then no longer the
        caller's."""
        self._raise_error()
        self._tasks.put((buffer, size))

    def copy(self, source: int, size: int) -> None:
        """Copy ``size`` bytes of file descriptor ``source`` (see :func:`copy_file`) and close it; the
        descriptor is the writer's from now on."""
        try:
            self._raise_error()
        except BaseException:
            os.close(source)
            raise
        self._tasks.put((source, size))

    def close(self) -> None:
        """Wait until everything handed over is written and stop the thread.

        :raises OSError: what the thread failed with.
        """
        self._tasks.put(None)
        self._thread.join()
        self._raise_error()

    def _raise_error(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            item, size = task
            try:
                if self._error is None:
                    if isinstance(item, int):
                        copy_file(item, self._target, size, self._copy_buffer, self._direct)
                    else:
                        self._target.write(memoryview(item)[:size])
            except BaseException as exc:  # handed on to the caller
                self._error = exc
            finally:
                if isinstance(item, int):
                    os.close(item)
                else:
                    self._free.put(item)
