"""ClientConfiguration: settings, features from the API version, client creation."""

from __future__ import annotations

import pytest

from dockermap.map.config.client import CLIENT_FEATURES, USE_HC_MERGE, ClientConfiguration, parse_api_version


class FakeClient:
    def __init__(self, base_url=None, version=None, timeout=None, tls=None):
        self.base_url = base_url
        self.timeout = timeout
        self.tls = tls
        self.api_version = "1.43" if version in (None, "auto") else version


class FakeConfiguration(ClientConfiguration):
    client_constructor = FakeClient


def test_stop_timeout_and_timeout_are_usable_settings():
    config = ClientConfiguration("tcp://h:2375", "1.41", 30, stop_timeout=15, wait_timeout=5, domainname="d")
    assert config.get("stop_timeout") == 15
    assert config.timeout == 30
    assert dict(config.items()) == {"stop_timeout": 15, "wait_timeout": 5, "domainname": "d"}
    assert config.features["stop_timeout"] is True


def test_features_follow_the_api_version():
    config = ClientConfiguration(version="1.22")
    assert config.features == {
        "host_config": True,
        "networks": True,
        "volumes": True,
        "container_update": True,
        "stop_signal": True,
        "stop_timeout": False,
        "healthcheck": False,
        "container_update_restart_policy": False,
    }
    assert [name for name, _ in CLIENT_FEATURES] == list(config.features)


def test_explicit_features_are_kept():
    config = ClientConfiguration(version="1.41", healthcheck=False, features={"host_config": USE_HC_MERGE})
    assert config.features["healthcheck"] is False
    assert config.features["host_config"] == "merge"
    assert config.features["networks"] is True
    assert "healthcheck" not in config


def test_version_parsing():
    assert parse_api_version("1.41") == (1, 41)
    assert parse_api_version("1.9") < parse_api_version("1.10")
    with pytest.raises(ValueError, match="Invalid Docker API version"):
        ClientConfiguration(version="latest")
    with pytest.raises(ValueError, match="Invalid Docker API version 1.41"):
        ClientConfiguration(version=1.41)


def test_properties_and_init_kwargs():
    config = ClientConfiguration(
        base_url="unix:///x.sock",
        interfaces={"private": "10.0.0.1"},
        interfaces_ipv6={"private": "::1"},
        auth_configs={"reg": {"username": "u"}},
        tls=True,
    )
    assert config.interfaces.private == "10.0.0.1"
    assert config.interfaces_ipv6 == {"private": "::1"}
    assert config.auth_configs == {"reg": {"username": "u"}}
    assert config.get_init_kwargs() == {
        "base_url": "unix:///x.sock",
        "version": None,
        "timeout": None,
        "tls": True,
    }
    assert "ClientConfiguration(" in repr(config)


def test_get_client_negotiates_version():
    config = FakeConfiguration(base_url="tcp://x", timeout=3)
    assert config.version is None
    assert config.features["healthcheck"] is True
    client = config.client
    assert isinstance(client, FakeClient)
    assert client.client_configuration is config
    assert (client.base_url, client.timeout, config.version) == ("tcp://x", 3, "1.43")
    assert config.get_client() is client
    config.timeout = 9
    assert client.timeout == 9


def test_from_client():
    client = FakeClient("tcp://y", "1.41", 7)
    config = ClientConfiguration.from_client(client)
    assert (config.base_url, config.version, config.timeout, config.client) == ("tcp://y", "1.41", 7, client)
    client.client_configuration = config
    assert ClientConfiguration.from_client(client) is config


def test_module_does_not_import_docker():
    import subprocess
    import sys

    code = "import sys, dockermap.map.config.main, dockermap.map.yaml; print('docker' in sys.modules)"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
    )


class StrictClient:
    """A client constructor that takes exactly the keywords it names (no ``**kwargs``)."""

    def __init__(self, base_url, version, timeout, tls=None, user_agent=None, ssh_host=None):
        self.received = dict(base_url=base_url, version=version, timeout=timeout, tls=tls)
        self.received.update(user_agent=user_agent, ssh_host=ssh_host)
        self.api_version = "1.41"


class ExtendedConfiguration(ClientConfiguration):
    init_kwargs = ClientConfiguration.init_kwargs + ("user_agent", "ssh_host")
    client_constructor = StrictClient

    def __init__(self, *args, **kwargs):
        self.seen_settings = []
        super().__init__(*args, **kwargs)

    def update_settings(self, **kwargs):
        self.seen_settings.append(kwargs)
        super().update_settings(**kwargs)


def test_subclass_init_kwargs_reach_the_client_constructor():
    config = ExtendedConfiguration("tcp://h:2375", user_agent="fab/1", domainname="example.org")
    assert config.get_init_kwargs() == {
        "base_url": "tcp://h:2375",
        "version": None,
        "timeout": None,
        "user_agent": "fab/1",
    }
    client = config.get_client()
    assert client.received["user_agent"] == "fab/1"
    assert client.received["ssh_host"] is None
    assert config.version == "1.41"


def test_update_settings_is_called_with_keywords():
    config = ExtendedConfiguration(version="1.24")
    config.version = "1.41"
    config.features = {"healthcheck": False}
    assert config.seen_settings == [{"version": "1.24"}, {"version": "1.41"}, {"version": "1.41"}]
    assert config.features["networks"] is True and config.features["healthcheck"] is False


def test_client_constructor_gets_no_keyword_it_did_not_ask_for():
    class Minimal:
        def __init__(self, base_url, version, timeout):
            self.api_version = "1.43"

    class MinimalConfiguration(ClientConfiguration):
        init_kwargs = ("base_url", "version", "timeout")
        client_constructor = Minimal

    config = MinimalConfiguration("tcp://h:2375", tls=True)
    assert isinstance(config.get_client(), Minimal)


def test_repr_and_str_mask_credentials():
    config = ClientConfiguration(
        base_url="tcp://deploy:hunter2@docker-host:2376",
        auth_configs={
            "registry.example.com": {"username": "deploy", "password": "s3cr3t", "auth": "ZGU6cw=="}
        },
        registry_token="t0k3n",
        domainname="example.com",
    )
    for text in (repr(config), str(config), f"{config}", repr([config])):
        assert not any(secret in text for secret in ("hunter2", "s3cr3t", "ZGU6cw==", "t0k3n")), text
        assert "'username': 'deploy', 'password': '***', 'auth': '***'" in text
        assert "tcp://deploy:***@docker-host:2376" in text
        assert "'registry_token': '***'" in text and "'domainname': 'example.com'" in text
    assert config.auth_configs["registry.example.com"]["password"] == "s3cr3t"
    assert config.base_url == "tcp://deploy:hunter2@docker-host:2376"
