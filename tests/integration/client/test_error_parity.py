"""The API client and the command-line client raise the same errors for the same conditions.

Every case runs against both clients on the real engine (and a local registry that asks for
credentials). The contract: requests about one object raise the Docker SDK's errors (``NotFound``,
``ImageNotFound`` for images, ``APIError`` with the engine's status code otherwise); a missing object
is ignored by ``remove_container``/``remove_image`` unless ``raise_not_found``; a failed pull or push
raises :class:`~dockermap.exceptions.DockerStatusError` naming the image and the engine's reason.
"""

from __future__ import annotations

import docker
import pytest

from dockermap.client.base import DockerClientWrapper
from dockermap.client.cmdline import DockerCommandLineClient
from dockermap.exceptions import DockerMapError, DockerStatusError

CLIENT_KINDS = ["api", "cli"]


@pytest.fixture(params=CLIENT_KINDS)
def either(request, engine, tmp_path):
    """The client under test, without registry credentials: the API client or the command-line client
    (whose docker configuration lives in ``tmp_path``)."""
    if request.param == "api":
        client = DockerClientWrapper(engine.base_url, timeout=120)
        yield client
        client.close()
    else:
        yield DockerCommandLineClient(
            cmd_args=["--config", str(tmp_path / "docker-config"), "-H", engine.base_url]
        )


@pytest.fixture
def missing(cleanup) -> str:
    """A name no object of the engine has."""
    return cleanup.name("missing")


@pytest.fixture
def registry_image(engine, base_image, registry, cleanup):
    """``<registry>/<prefixed name>``, tagged ``v1`` locally from the base image (never pushed)."""
    repository = f"{registry.host}/{cleanup.name('parity')}"
    engine.api.tag(base_image, repository, "v1")
    yield repository
    engine.api.remove_image(f"{repository}:v1")


def _raised(call, expected):
    with pytest.raises(expected) as caught:
        call()
    assert type(caught.value) is expected
    return caught.value


# --------------------------------------------------------------------------------------------------
# Objects that do not exist


def test_removing_a_missing_container_is_ignored_unless_asked(either, missing):
    assert either.remove_container(missing) is None
    error = _raised(lambda: either.remove_container(missing, raise_not_found=True), docker.errors.NotFound)
    assert error.status_code == 404
    assert missing in str(error)


@pytest.mark.parametrize("method", ["inspect_container", "start", "stop"])
def test_a_missing_container_is_not_found(either, missing, method):
    error = _raised(lambda: getattr(either, method)(missing), docker.errors.NotFound)
    assert error.status_code == 404
    assert missing in str(error)


def test_inspecting_an_unknown_image_is_image_not_found(either, missing):
    error = _raised(lambda: either.inspect_image(f"{missing}:1"), docker.errors.ImageNotFound)
    assert error.status_code == 404
    assert f"{missing}:1" in str(error)


def test_creating_from_an_unknown_image_is_image_not_found_and_pulls_nothing(either, engine, missing):
    create = lambda: either.create_container(f"{missing}:1", ["true"], name=missing)  # noqa: E731
    error = _raised(create, docker.errors.ImageNotFound)
    assert f"{missing}:1" in str(error)
    assert engine.api.containers(all=True, filters={"name": missing}) == []


def test_removing_an_unknown_image_is_ignored_unless_asked(either, missing):
    assert either.remove_image(f"{missing}:1") is None
    error = _raised(
        lambda: either.remove_image(f"{missing}:1", raise_not_found=True), docker.errors.ImageNotFound
    )
    assert f"{missing}:1" in str(error)


def test_removing_a_running_container_is_a_conflict(either, engine, base_image, cleanup):
    name = cleanup.name("running")
    engine.api.create_container(base_image, ["sleep", "60"], name=name, labels=cleanup.labels)
    engine.api.start(name)
    error = _raised(lambda: either.remove_container(name), docker.errors.APIError)
    assert error.status_code == 409
    assert engine.api.inspect_container(name)["State"]["Running"] is True


# --------------------------------------------------------------------------------------------------
# Registries


def test_a_pull_of_an_unknown_repository_fails_with_the_reason(either, registry, cleanup):
    assert either.login(registry.username, password=registry.password, registry=registry.host) is True
    repository = f"{registry.host}/{cleanup.name('never-pushed')}"
    error = _raised(lambda: either.pull(repository, tag="v1"), DockerStatusError)
    assert str(error).startswith(f"Pulling image '{repository}:v1' failed: ")
    assert "not found" in error.engine_message
    assert error.detail == {"status_code": 404}
    assert isinstance(error.__cause__, docker.errors.NotFound)
    assert either.pull(repository, tag="v1", raise_on_error=False) is False


def test_a_pull_without_credentials_is_refused(either, registry, cleanup):
    repository = f"{registry.host}/{cleanup.name('private')}"
    error = _raised(lambda: either.pull(repository, tag="v1"), DockerStatusError)
    assert str(error).startswith(f"Pulling image '{repository}:v1' failed: ")
    assert "no basic auth credentials" in error.engine_message


def test_a_push_without_credentials_is_refused(either, registry_image):
    error = _raised(lambda: either.push(registry_image, tag="v1"), DockerStatusError)
    assert str(error).startswith(f"Pushing image '{registry_image}:v1' failed: ")
    assert "no basic auth credentials" in error.engine_message
    assert either.push(registry_image, tag="v1", raise_on_error=False) is False


def test_wrong_credentials_are_refused(either, registry):
    # The status code is the engine's (it differs between engine versions); the registry's answer is kept.
    login = lambda: either.login(registry.username, password="wrong-Pa55word", registry=registry.host)  # noqa: E731
    error = _raised(login, docker.errors.APIError)
    assert registry.host in str(error) and "401 Unauthorized" in str(error)
    assert "wrong-Pa55word" not in str(error)


def test_registry_failures_are_dockermap_errors(either, registry, cleanup):
    with pytest.raises(DockerMapError):
        either.pull(f"{registry.host}/{cleanup.name('private')}", tag="v1")
