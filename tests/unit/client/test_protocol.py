"""Both clients satisfy :class:`~dockermap.client.protocol.DockerClient`.

Statically: mypy checks this module (it is listed in the mypy configuration, and ``tests/test_typing.py``
runs mypy), so a client whose methods stop matching the protocol fails the type check. At run time: every
method of the protocol exists on both client classes.
"""

from __future__ import annotations

from typing import List

import pytest

from dockermap.client.base import DockerClientWrapper
from dockermap.client.cmdline import DockerCommandLineClient
from dockermap.client.protocol import DockerClient

PROTOCOL_METHODS = sorted(
    name for name, value in vars(DockerClient).items() if callable(value) and not name.startswith("_")
)


def as_docker_clients(api: DockerClientWrapper, cli: DockerCommandLineClient) -> List[DockerClient]:
    """The static check: mypy accepts these only if both classes match the protocol."""
    return [api, cli]


def test_protocol_names_the_engine_calls():
    assert {"containers", "inspect_container", "create_container", "wait", "volumes", "networks"} <= set(
        PROTOCOL_METHODS
    )


@pytest.mark.parametrize("client_class", [DockerClientWrapper, DockerCommandLineClient])
def test_client_has_every_protocol_method(client_class):
    missing = [name for name in PROTOCOL_METHODS if not callable(getattr(client_class, name, None))]
    assert missing == []
