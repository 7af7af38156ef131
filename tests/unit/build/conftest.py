"""Fixtures for the build tests: file trees on disk and reading back context archives."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Callable

import pytest

from dockermap.build.context import DockerContext


@pytest.fixture
def make_tree(tmp_path: Path) -> Callable[..., Path]:
    """Create files below ``tmp_path/<name>`` from a ``{relative path: content}`` dict; a path ending in
    ``/`` creates an empty directory."""

    def make(files: dict[str, str], name: str = "tree") -> Path:
        root = tmp_path / name
        root.mkdir()
        for rel, content in files.items():
            path = root / rel
            if rel.endswith("/"):
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content)
        return root

    return make


def _open(context: DockerContext) -> tarfile.TarFile:
    context.finalize()
    return tarfile.open(fileobj=io.BytesIO(context.getvalue()))


@pytest.fixture
def members() -> Callable[[DockerContext], list[str]]:
    """Finalize a context and return its sorted member names."""

    def names(context: DockerContext) -> list[str]:
        with _open(context) as archive:
            return sorted(archive.getnames())

    return names


@pytest.fixture
def member_text() -> Callable[[DockerContext, str], str]:
    """Finalize a context and return the text of one member."""

    def text(context: DockerContext, name: str) -> str:
        with _open(context) as archive:
            return archive.extractfile(name).read().decode()

    return text


@pytest.fixture(autouse=True)
def close_contexts(monkeypatch):
    """Close every DockerContext a test creates, deleting its temporary file."""
    created = []
    original_init = DockerContext.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)  # closes the context itself if it fails
        created.append(self)

    monkeypatch.setattr(DockerContext, "__init__", init)
    yield
    for context in created:
        context.close()
