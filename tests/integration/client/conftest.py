"""Fixtures for the DockerClientWrapper tests: the client under test and a container runner."""

from __future__ import annotations

import pytest

from dockermap.client.base import DockerClientWrapper


@pytest.fixture
def client(engine) -> DockerClientWrapper:
    """The client under test, connected to the main engine (API version negotiated)."""
    wrapper = DockerClientWrapper(engine.base_url, timeout=120)
    yield wrapper
    wrapper.close()


@pytest.fixture
def run_container(engine, cleanup):
    """``run(image, command, suffix) -> output``: run a prefixed, labelled container to its end."""

    def run(image: str, command: str, suffix: str) -> str:
        container = engine.api.create_container(
            image, command, name=cleanup.name(suffix), labels=cleanup.labels
        )
        engine.api.start(container)
        status = engine.api.wait(container, timeout=60)["StatusCode"]
        output = engine.api.logs(container).decode()
        assert status == 0, output
        return output

    return run
