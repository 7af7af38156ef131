"""Tests for dockermap.build.output: copying files into an archive file, in the background."""

from __future__ import annotations

import os

import pytest

from dockermap.build.output import BackgroundWriter, copy_file


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


def test_background_writer_keeps_the_order(tmp_path, source):
    fd, data = source
    with open(tmp_path / "target", "wb+") as target:
        writer = BackgroundWriter(target, 16, direct=True)
        for index in range(10):
            buffer = writer.buffer()
            buffer[:2] = b"%02d" % index
            writer.write(buffer, 2)
            if index == 5:
                writer.copy(os.dup(fd), len(data))
        writer.close()
        target.seek(0)
        numbers = b"".join(b"%02d" % index for index in range(10))
        assert target.read() == numbers[:12] + data + numbers[12:]


def test_background_writer_raises_what_the_thread_failed_with(tmp_path, source):
    fd, data = source
    with open(tmp_path / "target", "wb+") as target:
        writer = BackgroundWriter(target, 16, direct=False)
        writer.copy(os.dup(fd), len(data) + 1)
        with pytest.raises(OSError, match="unexpected end of data"):
            for _ in range(1000):  # a later call raises the error; the buffers keep coming back
                writer.write(writer.buffer(), 0)
            writer.close()
        with pytest.raises(OSError, match="unexpected end of data"):
            writer.close()
