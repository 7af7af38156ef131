"""Managing containers and images with DockerClientWrapper: cleanup, removal, names, tags, files, logs."""

import io
import json
import logging
import tarfile

import docker
import pytest

from dockermap.build.dockerfile import DockerFile
from dockermap.exceptions import PartialResultsError
from tests.helpers import TEST_RUN_LABEL

LOGGER = "dockermap.client.docker_util"


def _run_filter(run):
    return {"label": f"{TEST_RUN_LABEL}={run.run_id}"}


def _container(engine, image, command, name, run, start=True, wait=False):
    container = engine.api.create_container(image, command, name=name, labels=run.labels)
    if start:
        engine.api.start(container)
    if wait:
        assert engine.api.wait(container, timeout=30)["StatusCode"] == 0
    return container["Id"]


def _exists(api, container_id):
    return any(c["Id"] == container_id for c in api.containers(all=True))


def test_cleanup_containers_removes_stopped_and_keeps_running(engine, client, base_image, cleanup):
    exited = _container(engine, base_image, "true", cleanup.name("exited"), cleanup, wait=True)
    kept = _container(engine, base_image, "true", cleanup.name("kept"), cleanup, wait=True)
    running = _container(engine, base_image, "sleep 300", cleanup.name("running"), cleanup)
    created = _container(engine, base_image, "true", cleanup.name("created"), cleanup, start=False)
    run_filter = _run_filter(cleanup)

    listed = client.cleanup_containers(exclude=[cleanup.name("kept")], list_only=True, filters=run_filter)
    assert listed == [(exited, cleanup.name("exited"))]
    assert client.cleanup_containers(exclude=[cleanup.name("kept")], filters=run_filter) == [
        cleanup.name("exited")
    ]

    assert not _exists(engine.api, exited)
    assert _exists(engine.api, kept) and _exists(engine.api, running) and _exists(engine.api, created)
    removed = client.cleanup_containers(include_initial=True, filters=run_filter)
    assert sorted(removed) == sorted([cleanup.name("created"), cleanup.name("kept")])
    assert _exists(engine.api, running)


def test_cleanup_containers_unfiltered_lists_stopped_containers(engine, client, base_image, cleanup):
    exited = _container(engine, base_image, "true", cleanup.name("any-exited"), cleanup, wait=True)
    running = _container(engine, base_image, "sleep 300", cleanup.name("any-running"), cleanup)

    listed = dict(client.cleanup_containers(list_only=True))

    assert listed[exited] == cleanup.name("any-exited")
    assert running not in listed


def test_remove_all_containers_stops_then_removes(engine, client, base_image, cleanup):
    running = [
        _container(engine, base_image, "sleep 300", cleanup.name(f"all-run{i}"), cleanup) for i in range(2)
    ]
    exited = _container(engine, base_image, "true", cleanup.name("all-exited"), cleanup, wait=True)
    run_filter = _run_filter(cleanup)

    listed_running, listed_all = client.remove_all_containers(list_only=True, filters=run_filter)
    assert sorted(listed_running) == sorted(running)
    assert sorted(listed_all) == sorted(running + [exited])

    stopped, removed = client.remove_all_containers(stop_timeout=1, filters=run_filter)

    assert sorted(stopped) == sorted(running)
    assert sorted(removed) == sorted(running + [exited])
    assert engine.api.containers(all=True, filters=run_filter) == []


def test_remove_all_containers_partial_results_on_error(engine, client, base_image, cleanup, monkeypatch):
    _container(engine, base_image, "true", cleanup.name("partial-1"), cleanup, wait=True)
    _container(engine, base_image, "true", cleanup.name("partial-2"), cleanup, wait=True)
    original = client.remove_container
    calls = []

    def remove_once_then_fail(container, **kwargs):
        calls.append(container)
        if len(calls) > 1:
            raise docker.errors.APIError("simulated failure")
        return original(container, **kwargs)

    monkeypatch.setattr(client, "remove_container", remove_once_then_fail)

    with pytest.raises(PartialResultsError) as raised:
        client.remove_all_containers(raise_on_error=True, filters=_run_filter(cleanup))

    assert raised.value.results == ([], [calls[0]])
    assert "simulated failure" in str(raised.value)
    assert isinstance(raised.value.__cause__, docker.errors.APIError)
    assert not _exists(engine.api, calls[0])
    assert _exists(engine.api, calls[1])


def test_cleanup_images_removes_unused_untagged_images(engine, client, base_image, cleanup):
    def build(suffix, tag, marker=""):
        df = DockerFile(base_image)
        df.run(f"echo {suffix}{marker}-{cleanup.run_id} > /marker")
        return client.build_from_file(
            df, f"{cleanup.name(suffix)}:{tag}", labels=cleanup.labels, nocache=True
        )

    latest = build("img-latest", "latest")
    old = build("img-old", "old")
    keep = build("img-keep", "keep")
    dangling = build("img-rebuilt", "latest")
    build("img-rebuilt", "latest", marker="-again")  # takes the tag away from the first build
    used = build("img-used", "latest")
    _container(engine, used, "true", cleanup.name("uses-image"), cleanup, start=False)
    build("img-used", "latest", marker="-again")
    run_filter = _run_filter(cleanup)

    assert client.cleanup_images(list_only=True, filters=run_filter) == [dangling]
    by_tag = client.cleanup_images(remove_old=True, keep_tags=["keep"], list_only=True, filters=run_filter)
    assert sorted(by_tag) == sorted([dangling, old])
    assert client.cleanup_images(filters=run_filter) == [dangling]

    with pytest.raises(docker.errors.ImageNotFound):
        engine.api.inspect_image(dangling)
    for image_id in (latest, old, keep, used):
        assert engine.api.inspect_image(image_id)["Id"] == image_id


def test_get_image_tags_and_container_names(engine, client, base_image, cleanup):
    image_id = engine.api.inspect_image(base_image)["Id"]
    repo = cleanup.name("tags")
    engine.api.tag(image_id, repo, "t1")
    name = cleanup.name("named")
    _container(engine, base_image, "true", name, cleanup, start=False)
    try:
        tags = client.get_image_tags()
        names = client.get_container_names()
    finally:
        engine.api.remove_image(f"{repo}:t1")

    assert tags[f"{repo}:t1"] == image_id
    assert tags[base_image] == image_id
    assert "<none>:<none>" not in tags
    assert name in names
    assert not any(n.startswith("/") for n in names)


def test_remove_container_not_found_and_conflict(engine, client, base_image, cleanup, caplog):
    missing = cleanup.name("never-created")
    assert client.remove_container(missing) is None
    with pytest.raises(docker.errors.NotFound):
        client.remove_container(missing, raise_not_found=True)

    running = _container(engine, base_image, "sleep 300", cleanup.name("busy"), cleanup)
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        with pytest.raises(docker.errors.APIError) as raised:
            client.remove_container(running)
        client.remove_container(running, raise_on_error=False)
    assert raised.value.status_code == 409
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and errors[0].startswith(f"Failed to remove container '{running}': ")

    client.remove_container(running, force=True)
    assert not _exists(engine.api, running)


def test_remove_image_not_found(client, cleanup):
    assert client.remove_image(cleanup.name("no-such-image")) is None
    with pytest.raises(docker.errors.ImageNotFound):
        client.remove_image(cleanup.name("no-such-image"), raise_not_found=True)


def test_stop_errors_are_logged_and_raised(engine, client, base_image, cleanup, caplog):
    missing = cleanup.name("not-there")
    with caplog.at_level(logging.ERROR, logger=LOGGER):
        with pytest.raises(docker.errors.NotFound):
            client.stop(missing)
        client.stop(missing, raise_on_error=False)
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 2 and errors[0].startswith(f"Failed to stop container '{missing}': ")

    running = _container(engine, base_image, "sleep 300", cleanup.name("to-stop"), cleanup)
    client.stop(running, timeout=1)
    assert engine.api.inspect_container(running)["State"]["Running"] is False


def test_push_container_logs(engine, client, base_image, cleanup, caplog):
    name = cleanup.name("talks")
    command = "sh -c 'echo first line; echo second line; echo on stderr >&2'"
    _container(engine, base_image, command, name, cleanup, wait=True)

    with caplog.at_level(logging.INFO, logger=LOGGER):
        client.push_container_logs(name)

    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    # stdout and stderr are separate streams: only the order within one of them is fixed.
    assert [m for m in messages if "line" in m] == [f"[{name}] first line", f"[{name}] second line"]
    assert f"[{name}] on stderr" in messages and len(messages) == 3


def test_copy_resource(engine, client, base_image, cleanup, tmp_path):
    name = cleanup.name("has-file")
    _container(
        engine, base_image, f"sh -c 'echo content-{cleanup.run_id} > /tmp/out.txt'", name, cleanup, wait=True
    )
    target = tmp_path / "copied.tar"

    client.copy_resource(name, "/tmp/out.txt", str(target))

    with tarfile.open(target) as tar:
        assert tar.getnames() == ["out.txt"]
        assert tar.extractfile("out.txt").read() == f"content-{cleanup.run_id}\n".encode()


def test_save_image(engine, client, base_image, tmp_path):
    target = tmp_path / "image.tar"

    client.save_image(base_image, str(target))

    with tarfile.open(target) as tar:
        manifest = json.load(io.BytesIO(tar.extractfile("manifest.json").read()))
    assert manifest[0]["RepoTags"] == [base_image]
    config_digest = manifest[0]["Config"].split("/")[-1].removesuffix(".json")
    assert engine.api.inspect_image(base_image)["Id"] == f"sha256:{config_digest}"
