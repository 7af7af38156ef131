"""Tests for dockermap.build.buffer."""

from __future__ import annotations

import io

import pytest

from dockermap.build.buffer import DockerBuffer, DockerStringBuffer, DockerTempFile, FinalizedError


def test_buffer_is_abstract():
    with pytest.raises(TypeError):
        DockerBuffer()


@pytest.mark.parametrize("cls", [DockerStringBuffer, DockerTempFile])
def test_finalize_blocks_changes(cls):
    buffer = cls("ignored", extra=1)
    assert buffer.finalized is False
    buffer.check_not_finalized()
    buffer.finalize()
    assert buffer.finalized is True
    with pytest.raises(FinalizedError, match=cls.__name__):
        buffer.check_not_finalized()
    buffer.close()


def test_string_buffer_value_and_save(tmp_path):
    buffer = DockerStringBuffer()
    assert isinstance(buffer.fileobj, io.BytesIO)
    buffer.fileobj.write(b"abc")
    target = tmp_path / "out"
    buffer.save(str(target))
    assert buffer.finalized is True
    assert target.read_bytes() == b"abc"
    assert buffer.getvalue() == b"abc"


def test_temp_file_save_copies_from_current_position(tmp_path):
    buffer = DockerTempFile()
    buffer.fileobj.write(b"0123456789")
    assert buffer.getvalue() == b"0123456789"
    assert buffer.fileobj.tell() == 10  # getvalue leaves the position alone
    buffer.fileobj.seek(4)
    target = tmp_path / "out"
    buffer.save(str(target))
    assert target.read_bytes() == b"456789"
    assert buffer.finalized is True


def test_temp_file_is_deleted_on_close():
    buffer = DockerTempFile()
    name = buffer.fileobj.name
    with open(name, "rb"):
        pass
    buffer.close()
    with pytest.raises(FileNotFoundError):
        open(name, "rb")


def test_context_manager_closes_without_finalizing():
    with DockerStringBuffer() as buffer:
        assert isinstance(buffer, DockerStringBuffer)
        buffer.fileobj.write(b"x")
    assert buffer.fileobj.closed is True
    assert buffer.finalized is False
