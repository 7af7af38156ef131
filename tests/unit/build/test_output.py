"""Tests for dockermap.build.output: copying files into an archive file, in the background."""

from __future__ import annotations

import errno
import gzip
import io
import os

import pytest

from dockermap.build import output
from dockermap.build.output import BackgroundWriter, copy_file, copy_file_at


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "source"
    path.write_bytes(os.urandom(300_000))
    fd = os.open(path, os.O_RDONLY)
    yield fd, path.read_bytes()
    os.close(fd)


@pytest.mark.parametrize("direct", [True, False])
def test_copy_file_appends_the_first_bytes(tmp_path, source, direct):
    fd, data = source
    with open(tmp_path / "target", "wb+") as target:
        target.write(b"head")
        copy_file(fd, target, 250_001, bytearray(4096), direct)
        target.write(b"tail")
        target.seek(0)
        assert target.read() == b"head" + data[:250_001] + b"tail"


@pytest.mark.parametrize("direct", [True, False])
def test_copy_file_fails_on_a_shorter_file(tmp_path, source, direct):
    fd, data = source
    with open(tmp_path / "target", "wb+") as target, pytest.raises(OSError, match="unexpected end of data"):
        copy_file(fd, target, len(data) + 1, bytearray(4096), direct)


@pytest.mark.parametrize("kernel_copy", [True, False])
def test_copy_file_at_writes_at_the_position(tmp_path, source, monkeypatch, kernel_copy):
    fd, data = source
    if not kernel_copy:  # as where os.sendfile cannot write to a file

        def refuse(*args):
            raise OSError(errno.ENOTSOCK, "not a socket")

        monkeypatch.setattr(os, "sendfile", refuse)
    with open(tmp_path / "target", "wb+") as target:
        target.write(b"head")
        target.flush()
        copy_file_at(fd, target.fileno(), 10, 250_001, bytearray(4096))
        assert (tmp_path / "target").read_bytes() == b"head" + bytes(6) + data[:250_001]


def test_copy_file_at_fails_on_a_shorter_file(tmp_path, source):
    fd, data = source
    with open(tmp_path / "target", "wb+") as target, pytest.raises(OSError, match="unexpected end of data"):
        copy_file_at(fd, target.fileno(), 0, len(data) + 1, bytearray(4096))


@pytest.mark.parametrize("direct", [True, False])
def test_background_writer_keeps_the_order(tmp_path, source, direct):
    # Many more files than may wait at once, and buffers between them; the archive continues where the file
    # object was, and the file object after the last byte written.
    fd, data = source
    expected = [b"head"]
    with open(tmp_path / "target", "wb+") as target:
        target.write(b"head")
        writer = BackgroundWriter(target, 16, direct)
        for index in range(3 * output.FILE_COUNT):
            buffer = writer.buffer()
            buffer[:2] = b"%02d" % (index % 100)
            writer.write(buffer, 2)
            writer.copy(os.dup(fd), index)
            expected += [buffer[:2], data[:index]]
            if index == 5:
                writer.copy(os.dup(fd), len(data))
                expected.append(data)
        writer.close()
        target.write(b"tail")
    assert (tmp_path / "target").read_bytes() == b"".join([*expected, b"tail"])


@pytest.mark.parametrize("direct", [True, False])
def test_background_writer_raises_what_the_thread_failed_with(tmp_path, source, direct):
    fd, data = source
    with open(tmp_path / "target", "wb+") as target:
        writer = BackgroundWriter(target, 16, direct)
        writer.copy(os.dup(fd), len(data) + 1)
        with pytest.raises(OSError, match="unexpected end of data"):
            for _ in range(1000):  # a later call raises the error; the buffers keep coming back
                writer.write(writer.buffer(), 0)
            writer.close()
        with pytest.raises(OSError, match="unexpected end of data"):
            writer.close()


def test_background_writer_leaves_a_compressed_stream_as_writing_directly_does(tmp_path, source):
    # Nothing is flushed into a compressing file object (that would end a compressed block early).
    fd, data = source
    streams = []
    for background in (True, False):
        stream = io.BytesIO()
        with gzip.GzipFile(fileobj=stream, mode="wb", mtime=0) as target:
            target.write(b"head")
            if background:
                writer = BackgroundWriter(target, 16, direct=False)
                writer.copy(os.dup(fd), len(data))
                writer.close()
            else:
                copy_file(fd, target, len(data), bytearray(16), direct=False)
        streams.append(stream.getvalue())
    assert streams[0] == streams[1]
