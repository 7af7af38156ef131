"""Images built from a configuration's ``build`` context on the real engine: ``build_images``, and
``startup`` building a missing image instead of pulling it.

Every build is ``nocache`` and labelled with the run, so that parallel runs share no layers and the
``cleanup`` fixture removes every image built here (also those a rebuild left without a tag)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.exceptions import DockerStatusError
from dockermap.map.exceptions import ActionRunnerException
from tests import helpers

#: Two stages; only the first is built (``target``), the second would fail.
STAGED = """\
FROM scratch AS base
COPY busybox /bin/busybox
ARG GREETING
RUN ["/bin/busybox", "sh", "-c", "echo $GREETING > /greeting"]
COPY . /ctx/
CMD ["/bin/busybox", "sh", "-c", "cat /greeting; /bin/busybox find /ctx | /bin/busybox sort"]
FROM base AS broken
RUN ["/bin/busybox", "false"]
"""
SLEEPER = """\
FROM scratch
COPY busybox /bin/busybox
CMD ["/bin/busybox", "sleep", "600"]
"""


def context_dir(root: Path, dockerfile: str, files: dict, dockerfile_path: str = "Dockerfile") -> Path:
    """A build context with the busybox binary, ``files`` and the Dockerfile at ``dockerfile_path``."""
    for name, content in {dockerfile_path: dockerfile, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content)
    (root / "busybox").write_bytes(Path(helpers.BUSYBOX_BINARY).read_bytes())
    (root / "busybox").chmod(0o755)
    return root


def mapping_client(engine, container_map: ContainerMap) -> MappingDockerClient:
    return MappingDockerClient(container_map, ClientConfiguration(base_url=engine.base_url))


def output_of(engine, cleanup, image: str) -> str:
    """What a container of ``image`` prints with its default command."""
    name = cleanup.name("probe")
    engine.api.create_container(image, name=name, labels=cleanup.labels)
    engine.api.start(name)
    assert engine.api.wait(name, timeout=60)["StatusCode"] == 0
    output = engine.api.logs(name).decode()
    engine.api.remove_container(name)
    return output


def test_build_images_sends_the_context_as_docker_build_does(engine, cleanup, tmp_path):
    context = context_dir(
        tmp_path / "app",
        STAGED,
        {"app.txt": "app", "secret.txt": "never sent", ".dockerignore": "secret.txt\nci\n"},
        "ci/Dockerfile",
    )
    image = cleanup.name("built") + ":1"
    build = {
        "context": str(context),
        "dockerfile": "ci/Dockerfile",
        "args": {"GREETING": f"hello {cleanup.run_id}"},
        "target": "base",
        "labels": {**cleanup.labels, "role": "test"},
        "nocache": True,
    }
    container_map = ContainerMap(cleanup.name("build"), {"app": {"image": image, "build": build}, "db": {}})
    client = mapping_client(engine, container_map)

    results = client.build_images()

    assert [(result.action_type, result.config_id.config_name) for result in results] == [
        ("build", cleanup.name("built"))
    ]
    found = engine.api.inspect_image(image)
    assert found["Id"] == results[0].result
    assert found["Config"]["Labels"]["role"] == "test"
    # The .dockerignore applies. The Dockerfile it excludes is sent all the same (the build needs it);
    # the engine reads it and drops it from what COPY sees, as with ``docker build``.
    assert output_of(engine, cleanup, image).split() == [
        "hello",
        cleanup.run_id,
        "/ctx",
        "/ctx/.dockerignore",
        "/ctx/app.txt",
        "/ctx/busybox",
        "/ctx/ci",
    ]
    # A present image is built again on request.
    assert client.build_images("app")[0].result != found["Id"]


def test_startup_builds_a_missing_image_and_then_leaves_it(engine, cleanup, tmp_path):
    context = context_dir(tmp_path / "web", SLEEPER, {})
    image = cleanup.name("web")
    build = {"context": str(context), "labels": cleanup.labels, "nocache": True}
    container_map = ContainerMap(
        cleanup.name("start"), {"web": {"image": image, "build": build, "stop_timeout": 1}}
    )
    client = mapping_client(engine, container_map)

    planned = client.plan("startup", "web")
    assert [(action.kind, action.name) for action in planned] == [
        ("build", f"{image}:latest"),
        ("create", f"{container_map.name}.web"),
        ("start", f"{container_map.name}.web"),
    ]
    assert planned[0].cause == f"image {image}:latest is not on the client; build it from {context}"
    client.startup("web")

    container = engine.api.inspect_container(f"{container_map.name}.web")
    assert container["Image"] == engine.api.inspect_image(f"{image}:latest")["Id"]
    assert container["State"]["Running"]
    assert list(client.plan("startup", "web")) == []
    assert list(client.plan("update", "web")) == []
    client.shutdown("web")


def test_a_failing_step_stops_the_startup_with_its_output(engine, cleanup, tmp_path):
    failing = SLEEPER.replace("CMD", 'RUN ["/bin/busybox", "sh", "-c", "echo broken-step; exit 3"]\nCMD')
    context = context_dir(tmp_path / "bad", failing, {})
    image = cleanup.name("bad")
    build = {"context": str(context), "labels": cleanup.labels, "nocache": True}
    container_map = ContainerMap(cleanup.name("fail"), {"bad": {"image": image, "build": build}})
    client = mapping_client(engine, container_map)

    with pytest.raises(ActionRunnerException) as info:
        client.startup("bad")

    assert info.value.action_type == "build" and info.value.results == []
    cause = info.value.__cause__
    assert isinstance(cause, DockerStatusError)
    assert "returned a non-zero code: 3" in str(info.value)
    # The labels of the build setting add a step at the end.
    assert 'Step 3/5 : RUN ["/bin/busybox"' in cause.message and "\n  broken-step\n" in cause.message
    assert not engine.api.containers(all=True, filters={"name": f"{container_map.name}.bad"})


def test_a_missing_context_or_dockerfile_is_refused_before_anything_runs(engine, cleanup, tmp_path):
    context = context_dir(tmp_path / "ok", SLEEPER, {})
    map_dict = {
        "gone": {"image": cleanup.name("gone"), "build": str(tmp_path / "missing")},
        "nofile": {
            "image": cleanup.name("nofile"),
            "build": {"context": str(context), "dockerfile": "Other"},
        },
    }
    container_map = ContainerMap(cleanup.name("missing"), map_dict)
    client = mapping_client(engine, container_map)

    with pytest.raises(ValueError) as info:
        client.startup(["gone", "nofile"])

    assert str(info.value).splitlines()[1:] == [
        f"  - {container_map.name}.gone.build.context: directory {tmp_path / 'missing'} does not exist",
        f"  - {container_map.name}.nofile.build.dockerfile: file {context / 'Other'} does not exist",
    ]
    assert not engine.api.containers(all=True, filters={"name": container_map.name})
