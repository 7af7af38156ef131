"""Login, push and pull through DockerClientWrapper against a local registry."""

import logging
import uuid

import docker
import pytest

from dockermap.client.base import DockerClientWrapper
from dockermap.exceptions import DockerStatusError
from tests.helpers import build_image

LOGGER = "dockermap.client.docker_util"


class ProgressRecorder(DockerClientWrapper):
    """Records what reaches the ``push_progress`` hook."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.progress = []

    def push_progress(self, status, object_id, progress):
        self.progress.append((status, object_id, progress))
        super().push_progress(status, object_id, progress)


@pytest.fixture
def remote_repo(engine, base_image, registry, cleanup):
    """``<registry>/<prefixed name>:v1``: the base image plus a layer of its own (so the registry never has
    it yet, whatever other tests pushed); untagged afterwards."""
    repo = f"{registry.host}/{cleanup.name('pushed')}"
    unique_layer = f"RUN echo {uuid.uuid4().hex} > /unique\n"
    build_image(engine.api, f"{repo}:v1", f"FROM {base_image}\n{unique_layer}", labels=cleanup.labels)
    yield repo
    for image in engine.api.images(name=repo):
        for tag in image["RepoTags"] or ():
            engine.api.remove_image(tag)


@pytest.fixture
def recorder(engine):
    client = ProgressRecorder(engine.base_url, timeout=120)
    yield client
    client.close()


def test_login_with_wrong_password_fails(client, registry):
    with pytest.raises(docker.errors.APIError, match="401 Unauthorized"):
        client.login(registry.username, "wrong-password", registry=registry.host)


def test_push_without_login_raises_status_error(client, remote_repo):
    with pytest.raises(DockerStatusError) as raised:
        client.push(remote_repo, tag="v1")
    assert str(raised.value).startswith(f"Pushing image '{remote_repo}:v1' failed: ")
    assert "no basic auth credentials" in str(raised.value)


def test_push_without_login_can_return_false(client, remote_repo, caplog):
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        assert client.push(remote_repo, tag="v1", raise_on_error=False) is False
    assert [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR] == [
        "no basic auth credentials"
    ]


def test_login_push_pull_round_trip(engine, recorder, registry, remote_repo, caplog):
    assert recorder.login(registry.username, registry.password, registry=registry.host) is True

    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        assert recorder.push(remote_repo, tag="v1") is True

    pushed_layers = {object_id for status, object_id, _ in recorder.progress if status == "Pushed"}
    assert pushed_layers  # the new layer reported its progress through the hook
    assert any(progress for status, _, progress in recorder.progress if status == "Pushing")
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert f"The push refers to repository [{remote_repo}]" in messages
    assert any(m.startswith("Pushed ") for m in messages)  # default push_progress logs at DEBUG

    image_id = engine.api.inspect_image(f"{remote_repo}:v1")["Id"]
    engine.api.remove_image(f"{remote_repo}:v1")
    recorder.progress.clear()
    caplog.clear()

    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert recorder.pull(remote_repo, "v1") is True

    assert engine.api.inspect_image(f"{remote_repo}:v1")["Id"] == image_id
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert f"Status: Downloaded newer image for {remote_repo}:v1" in messages
    assert recorder.progress and recorder.progress[0][0].startswith("Pulling from ")


def test_pull_missing_image_raises_status_error(client, registry, cleanup):
    client.login(registry.username, registry.password, registry=registry.host)
    repo = f"{registry.host}/{cleanup.name('never-pushed')}"

    with pytest.raises(DockerStatusError) as raised:
        client.pull(repo, "v1")

    assert str(raised.value).startswith(f"Pulling image '{repo}:v1' failed: ")
    assert "not found" in str(raised.value)
    assert raised.value.detail == {"status_code": 404}
    assert isinstance(raised.value.__cause__, docker.errors.NotFound)
    assert client.pull(repo, "v1", raise_on_error=False) is False
