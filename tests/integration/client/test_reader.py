"""EngineReader against the real engine: the same answers as the SDK client, the SDK's errors, and the
reasons an unreachable engine is reported with."""

from __future__ import annotations

import shutil
import tempfile

import docker
import pytest

from dockermap.client.reader import EngineReader
from dockermap.exceptions import EngineConnectionError
from dockermap.map.reachability import unreachable_reason
from tests import helpers
from tests.helpers import TEST_RUN_LABEL


def _reader(base_url: str, version=None, timeout=10) -> EngineReader:
    reader = EngineReader.for_client(base_url, version, timeout, lambda: pytest.fail("the SDK was asked"))
    assert reader is not None
    return reader


def _falling_back(base_url: str, sdk) -> EngineReader:
    reader = EngineReader.for_client(base_url, None, 10, lambda: sdk)
    assert reader is not None
    return reader


@pytest.fixture
def objects(engine, base_image, cleanup):
    """A running and a stopped container, a volume and a network of this run."""
    api = engine.api
    running = api.create_container(
        base_image, "sleep 300", name=cleanup.name("reader-up"), labels=cleanup.labels
    )
    api.start(running)
    stopped = api.create_container(
        base_image, "true", name=cleanup.name("reader-down"), labels=cleanup.labels
    )
    api.create_volume(cleanup.name("reader-vol"), labels=cleanup.labels)
    api.create_network(cleanup.name("reader-net"), labels=cleanup.labels)
    return running["Id"], stopped["Id"]


@pytest.mark.parametrize("version", [None, "auto", "1.41"])
def test_answers_as_the_sdk_client_does(engine, objects, cleanup, version):
    running, stopped = objects
    reader, sdk = _reader(engine.base_url, version), engine.api
    run = {"label": f"{TEST_RUN_LABEL}={cleanup.run_id}"}

    def ids(entries):
        return sorted((entry["Id"], entry["State"], tuple(entry["Names"])) for entry in entries)

    assert ids(reader.containers(all=True, filters=run)) == ids(sdk.containers(all=True, filters=run))
    assert ids(reader.containers(filters=run)) == ids(sdk.containers(filters=run)) != []
    assert reader.inspect_container(running) == sdk.inspect_container(running)
    assert reader.top(running, ps_args="-o pid,args") == sdk.top(running, ps_args="-o pid,args")
    assert reader.volumes(filters=run) == sdk.volumes(filters=run)
    assert [n["Name"] for n in reader.networks(names=[cleanup.name("reader-net")])] == [
        cleanup.name("reader-net")
    ]
    assert reader.networks(filters=run) == sdk.networks(filters=run)
    by_id = {"key": lambda image: image["Id"]}  # images made in the same second come in any order
    assert sorted(reader.images(), **by_id) == sorted(sdk.images(), **by_id)
    assert reader.images(all=True, filters={"dangling": False}) == sdk.images(
        all=True, filters={"dangling": False}
    )


@pytest.mark.parametrize("version", [None, "1.41"])
def test_image_id_of_a_present_image_and_none_for_a_missing_one_without_the_sdk(
    engine, base_image, cleanup, version
):
    reader = _reader(engine.base_url, version)  # fails the test if it asked the SDK
    assert reader.image_id(base_image) == engine.api.inspect_image(base_image)["Id"]
    assert reader.image_id(cleanup.name("no-such-image") + ":latest") is None


def test_errors_are_the_sdk_clients(engine, objects, cleanup):
    _, stopped = objects
    reader = _falling_back(engine.base_url, engine.api)
    with pytest.raises(docker.errors.NotFound):
        reader.inspect_container(cleanup.name("no-such-container"))
    with pytest.raises(docker.errors.APIError) as raised:
        reader.top(stopped)
    assert raised.value.status_code == 409
    with pytest.raises(docker.errors.APIError) as raised:
        reader.image_id("no/such image:tag")  # an invalid reference: not a missing image
    assert raised.value.status_code == 400
    too_new = EngineReader.for_client(
        engine.base_url, "1.99", 10, lambda: docker.APIClient(engine.base_url, "1.99")
    )
    with pytest.raises(docker.errors.APIError) as raised:
        too_new.containers()
    assert unreachable_reason(raised.value).startswith("API version not supported")


def test_one_connection_for_all_reads_plain_tcp_too(engine, objects, request_proxy):
    for base_url in (request_proxy.base_url, None):
        proxy = request_proxy if base_url else helpers.RequestCountingProxy(engine.base_url, None)
        try:
            reader = _reader(proxy.base_url)
            reader.containers(all=True)
            reader.volumes()
            reader.networks()
            reader.images()
            assert [path.split("?")[0] for _, path in proxy.requests] == [
                "/containers/json",
                "/volumes",
                "/networks",
                "/images/json",
            ]
            assert proxy.connections == 1
            reader.close()
            reader.volumes()
            assert proxy.connections == 2
        finally:
            if not base_url:
                proxy.close()


def test_an_unreachable_engine_is_named_with_its_reason():
    directory = tempfile.mkdtemp(prefix="dmreader", dir="/tmp")
    try:
        with pytest.raises(EngineConnectionError) as raised:
            _reader(f"unix://{directory}/missing.sock").containers()
        assert unreachable_reason(raised.value).startswith("socket missing (FileNotFoundError")
    finally:
        shutil.rmtree(directory)
    with pytest.raises(EngineConnectionError) as raised:
        _reader(f"tcp://127.0.0.1:{helpers.free_port()}").volumes()
    assert unreachable_reason(raised.value).startswith("connection refused (ConnectionRefusedError")
