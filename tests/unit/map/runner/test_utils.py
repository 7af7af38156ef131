"""How the runner passes host-config keywords: a host config made by the client, or merged keywords."""

from __future__ import annotations

from dockermap.map.config.client import USE_HC_MERGE, ClientConfiguration
from dockermap.map.runner.utils import host_config_kwargs

HOST = {"binds": ["/srv:/data:rw"], "restart_policy": {"Name": "always"}}


class HostConfigClient:
    def create_host_config(self, **kwargs):
        return {"made": kwargs}


class MergingClient:
    """A client without ``create_host_config``: ``create_container`` takes the host-config keywords."""


def test_host_config_made_by_the_client():
    assert host_config_kwargs(HostConfigClient(), HOST) == {"host_config": {"made": HOST}}


def test_merged_for_a_client_without_create_host_config():
    assert host_config_kwargs(MergingClient(), HOST) == HOST


def test_merged_when_the_configuration_says_so():
    client = HostConfigClient()
    client.client_configuration = ClientConfiguration(version="1.41", features={"host_config": USE_HC_MERGE})
    assert host_config_kwargs(client, HOST) == HOST
    client.client_configuration = ClientConfiguration(version="1.41")
    assert host_config_kwargs(client, HOST) == {"host_config": {"made": HOST}}
