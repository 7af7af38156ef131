"""Observing several clients when some cannot be reached, without an engine (fake engines)."""

from __future__ import annotations

import pytest
import requests.exceptions
from urllib3.exceptions import ProtocolError

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import UnreachableClientsError
from tests.unit.map.test_client_order import EmptyEngine

REFUSED = requests.exceptions.ConnectionError(
    ProtocolError("Connection aborted.", ConnectionRefusedError(111, "refused"))
)
MAP = {"clients": ["one", "two", "three"], "web": {"image": "web", "links": "db"}, "db": {"image": "db"}}


class FailingEngine(EmptyEngine):
    """An engine whose container list fails with ``error``."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def containers(self, **kwargs):
        raise self.error


def mapping_client(two: EmptyEngine, three: EmptyEngine, **options) -> MappingDockerClient:
    clients = {
        "one": ClientConfiguration(client=EmptyEngine()),
        "two": ClientConfiguration(base_url="tcp://127.0.0.1:2375", client=two),
        "three": ClientConfiguration(client=three),
    }
    return MappingDockerClient(ContainerMap("m", MAP), clients=clients, option_defaults=options)


def test_every_client_is_tried_and_every_unreachable_one_named():
    client = mapping_client(
        FailingEngine(REFUSED),
        FailingEngine(requests.exceptions.ReadTimeout("Read timed out.")),
    )
    with pytest.raises(UnreachableClientsError) as raised:
        client.plan("startup", "web")
    assert [(u.client_name, u.address, u.reason.split(" (")[0]) for u in raised.value.unreachable] == [
        ("two", "tcp://127.0.0.1:2375", "connection refused"),
        ("three", "unix:///var/run/docker.sock", "timed out"),
    ]
    assert raised.value.__cause__ is REFUSED


def test_other_errors_while_observing_are_not_taken_for_an_unreachable_engine():
    failing = FailingEngine(ValueError("unexpected answer"))
    with pytest.raises(ValueError, match="unexpected answer"):
        mapping_client(failing, EmptyEngine()).plan("startup", "web")


def test_skip_unreachable_as_a_default_plans_for_the_others_and_the_call_can_turn_it_off():
    client = mapping_client(FailingEngine(REFUSED), EmptyEngine(), skip_unreachable=True)
    plan = client.plan("startup", "web")
    assert {action.client for action in plan} == {"one", "three"}
    assert {item.client for item in plan.untouched} == {"two"}
    assert {state.client_name for state in client.get_states("startup", "web")} == {"one", "three"}
    with pytest.raises(UnreachableClientsError):
        client.plan("startup", "web", skip_unreachable=False)
