"""Writing the bytes of a context archive while the next files are read.

:class:`BackgroundWriter` takes full buffers and whole files and writes them to the archive file in
threads of its own: reading files, writing the archive (and compressing it: zlib and the other compressors
let other threads run meanwhile) overlap. Into a compressing file object, one thread writes everything in
the order it was handed over. Into an uncompressed archive file, everything is written at the position it
was handed over for, by two threads: one writes the buffers, the other copies the files, so that copying a
large file does not hold up the small files collected after it. Memory stays bounded: there is a fixed
number of buffers (handing over a buffer waits for a free one), and of files waiting to be copied.
"""

from __future__ import annotations

import errno
import os
import queue
import threading
from typing import IO, Callable, Optional, Union

#: Buffers handed over at once at most (each of the size the caller allocates).
BUFFER_COUNT = 4
#: Files handed over and not copied yet at most (each is an open descriptor).
FILE_COUNT = 64
# What os.sendfile fails with where it cannot copy between two files (the data is then copied by reading).
_NO_KERNEL_COPY = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSOCK)

# A buffer and how many of its bytes to write, or a file descriptor (closed when done) and its size; then
# the position in the archive file (of an uncompressed archive) where they go.
_Task = tuple[Union[bytearray, int], int, int]


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
        count = _read_at(source, view[: min(size - done, len(buffer))], done)
        target.write(view[:count])
        done += count


def copy_file_at(source: int, target: int, position: int, size: int, buffer: bytearray) -> None:
    """Copy the first ``size`` bytes of the file open as descriptor ``source`` into the file open as
    descriptor ``target`` at ``position`` (moving its file position), as :func:`copy_file` does."""
    os.lseek(target, position, os.SEEK_SET)
    done = _send(source, target, size)
    view = memoryview(buffer)
    while done < size:
        count = _read_at(source, view[: min(size - done, len(buffer))], done)
        write_at(target, view[:count], position + done)
        done += count


def write_at(target: int, data: memoryview, position: int) -> None:
    """Write all of ``data`` into the file open as descriptor ``target`` at ``position``."""
    while data:
        written = os.pwrite(target, data, position)
        data, position = data[written:], position + written


def _read_at(source: int, view: memoryview, position: int) -> int:
    # Read into ``view`` from ``position`` of ``source``; fails at the end of the file.
    count = os.preadv(source, [view], position)
    if not count:
        raise OSError("unexpected end of data")
    return count


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


class _Worker:
    """A thread that runs ``perform`` on the tasks handed over, in order, and then ``release``. After an
    error, the remaining tasks are only released; the error is kept in :attr:`error`."""

    def __init__(
        self, name: str, perform: Callable[[_Task], None], release: Callable[[_Task], None], max_tasks: int
    ) -> None:
        self._perform = perform
        self._release = release
        self._tasks: queue.Queue[Optional[_Task]] = queue.Queue(max_tasks)
        self.error: Optional[BaseException] = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, task: _Task) -> None:
        """Hand over ``task`` (waits while the worker has ``max_tasks`` waiting)."""
        self._tasks.put(task)

    def stop(self) -> None:
        """Wait until all tasks are done and end the thread."""
        self._tasks.put(None)
        self._thread.join()

    def _run(self) -> None:
        while True:
            task = self._tasks.get()
            if task is None:
                return
            try:
                if self.error is None:
                    self._perform(task)
            except BaseException as exc:  # handed on to the caller
                self.error = exc
            finally:
                self._release(task)


class BackgroundWriter:
    """Writes buffers and files to ``target``, in threads; into an uncompressed archive file (``direct``)
    at the positions they were handed over for, else in the order they were handed over.

    ``target`` must not be written otherwise until :meth:`close`. An error of a thread is raised by the next
    call; what was handed over after it is dropped.
    """

    def __init__(self, target: IO[bytes], buffer_size: int, direct: bool) -> None:
        self._target = target
        self._direct = direct
        self._position = 0
        if direct:  # (flushing a compressing file object would end a compressed block early)
            target.flush()
            self._position = target.tell()
        self._free: queue.Queue[bytearray] = queue.Queue()
        for _ in range(BUFFER_COUNT):
            self._free.put(bytearray(buffer_size))
        self._copy_buffer = bytearray(buffer_size)
        self._writer = _Worker(
            "dockermap-context-writer", self._perform, self._release, BUFFER_COUNT + FILE_COUNT
        )
        self._copier = (
            _Worker("dockermap-context-copier", self._perform, self._release, FILE_COUNT)
            if direct
            else self._writer
        )

    def buffer(self) -> bytearray:
        """A free buffer to fill (waits until a thread has written one)."""
        self._raise_error()
        return self._free.get()

    def write(self, buffer: bytearray, size: int) -> None:
        """Write the first ``size`` bytes of ``buffer`` (from :meth:`buffer`), which is then no longer the
        caller's."""
        self._raise_error()
        self._writer.put((buffer, size, self._position))
        self._position += size

    def copy(self, source: int, size: int) -> None:
        """Copy ``size`` bytes of file descriptor ``source`` (see :func:`copy_file`) and close it; the
        descriptor is the writer's from now on."""
        try:
            self._raise_error()
        except BaseException:
            os.close(source)
            raise
        self._copier.put((source, size, self._position))
        self._position += size

    def close(self) -> None:
        """Wait until everything handed over is written and stop the threads.

        :raises OSError: what a thread failed with.
        """
        self._writer.stop()
        if self._copier is not self._writer:
            self._copier.stop()
        if self._direct:
            # The file position is the copying thread's; the file object continues after all that was written.
            self._target.seek(self._position)
        self._raise_error()

    def _raise_error(self) -> None:
        error = self._writer.error or self._copier.error
        if error is not None:
            raise error

    def _perform(self, task: _Task) -> None:
        item, size, position = task
        if isinstance(item, int):
            if self._direct:
                copy_file_at(item, self._target.fileno(), position, size, self._copy_buffer)
            else:
                copy_file(item, self._target, size, self._copy_buffer, False)
        elif self._direct:
            write_at(self._target.fileno(), memoryview(item)[:size], position)
        else:
            self._target.write(memoryview(item)[:size])

    def _release(self, task: _Task) -> None:
        item = task[0]
        if isinstance(item, int):
            os.close(item)
        else:
            self._free.put(item)
