"""Connecting DockerClientWrapper to the engine."""

from dockermap.client.base import DockerClientWrapper


def test_two_slash_unix_url_connects(engine):
    assert engine.base_url.startswith("unix:///")
    two_slashes = "unix://" + engine.base_url[len("unix:///") :]

    client = DockerClientWrapper(two_slashes)
    try:
        assert client.ping() is True
        assert client.api_version == engine.api.api_version
    finally:
        client.close()


def test_api_version_is_negotiated_unless_given(engine):
    negotiated = DockerClientWrapper(engine.base_url)
    pinned = DockerClientWrapper(engine.base_url, version="1.24")
    try:
        assert negotiated.api_version == engine.api.version()["ApiVersion"]
        assert pinned.api_version == "1.24"
        assert pinned.version(api_version=False)["ApiVersion"] == negotiated.api_version
    finally:
        negotiated.close()
        pinned.close()


def test_classic_import_path():
    from dockermap.map.base import DockerClientWrapper as Classic

    assert Classic is DockerClientWrapper
