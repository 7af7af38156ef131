"""Building images with DockerClientWrapper against the real engine."""

import logging

import pytest

from dockermap.build.context import DockerContext
from dockermap.build.dockerfile import DockerFile
from dockermap.client.base import DockerClientWrapper
from dockermap.exceptions import DockerStatusError

LOGGER = "dockermap.client.docker_util"


def _leftover_build_containers(api, image_id, base_image, before):
    # Containers created since ``before`` from a layer that the build of ``image_id`` added: intermediate
    # build containers. (Containers of the base image's layers may belong to concurrent tests.)
    layers = {entry["Id"] for entry in api.history(image_id)} - {e["Id"] for e in api.history(base_image)}
    return [c["Id"] for c in api.containers(all=True) if c["Id"] not in before and c["ImageID"] in layers]


def test_build_from_file_tags_and_removes_intermediate_containers(
    engine, client, base_image, cleanup, run_container
):
    repo = cleanup.name("two-runs")
    df = DockerFile(base_image)
    # The run id keeps the engine from reusing cached layers, so every RUN creates a container.
    df.run(f"echo one-{cleanup.run_id} > /one")
    df.run(f"echo two-{cleanup.run_id} > /two")
    before = {c["Id"] for c in engine.api.containers(all=True)}

    image_id = client.build_from_file(
        df, f"{repo}:v1", add_latest_tag=True, rm=True, labels=cleanup.labels, nocache=True
    )

    assert image_id.startswith("sha256:")
    assert engine.api.inspect_image(f"{repo}:v1")["Id"] == image_id
    assert engine.api.inspect_image(f"{repo}:latest")["Id"] == image_id
    assert _leftover_build_containers(engine.api, image_id, base_image, before) == []
    output = run_container(image_id, "cat /one /two", "two-runs-check")
    assert output.split() == [f"one-{cleanup.run_id}", f"two-{cleanup.run_id}"]


def test_build_removes_intermediate_containers_by_default(engine, client, base_image, cleanup):
    df = DockerFile(base_image)
    df.run(f"echo {cleanup.run_id} > /default-rm")
    df.run("cat /default-rm")
    before = {c["Id"] for c in engine.api.containers(all=True)}

    image_id = client.build_from_file(df, cleanup.name("default-rm"), labels=cleanup.labels, nocache=True)

    assert _leftover_build_containers(engine.api, image_id, base_image, before) == []


def test_build_without_tag_part_adds_latest(engine, client, base_image, cleanup):
    # Bug #17: a main tag without ':' used to get no extra tags at all.
    repo = cleanup.name("new_image")
    df = DockerFile(base_image, labels={"purpose": "no-tag-part"})

    image_id = client.build_from_file(
        df, repo, add_latest_tag=True, add_tags=["v2"], labels=cleanup.labels, nocache=True
    )

    tags = set(engine.api.inspect_image(image_id)["RepoTags"])
    assert tags == {f"{repo}:latest", f"{repo}:v2"}


def test_add_file_directory_is_readable_in_container(client, base_image, cleanup, run_container, tmp_path):
    source = tmp_path / "payload"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("alpha\n")
    (source / "sub" / "b.txt").write_text("beta\n")
    df = DockerFile(base_image)
    df.add_file(str(source), "/data")

    image_id = client.build_from_file(df, cleanup.name("add-dir"), labels=cleanup.labels, nocache=True)

    output = run_container(
        image_id, "sh -c 'find /data -type f | sort; cat /data/a.txt /data/sub/b.txt'", "rd"
    )
    assert output.split() == ["/data/a.txt", "/data/sub/b.txt", "alpha", "beta"]


def test_failing_run_raises_status_error_with_command_output(client, base_image, cleanup):
    df = DockerFile(base_image)
    df.run(f"sh -c 'echo boom-detail-{cleanup.run_id} >&2; exit 3'")

    with pytest.raises(DockerStatusError) as raised:
        client.build_from_file(df, cleanup.name("fails"), forcerm=True, labels=cleanup.labels, nocache=True)

    message = str(raised.value)
    assert f"Building image '{cleanup.name('fails')}' failed" in message
    assert "returned a non-zero code: 3" in message
    assert f"boom-detail-{cleanup.run_id}" in message
    assert raised.value.detail == {"code": 3}


def test_failing_build_without_raise_returns_none(engine, client, base_image, cleanup, caplog):
    df = DockerFile(base_image)
    df.run("false")

    with caplog.at_level(logging.INFO, logger=LOGGER):
        result = client.build_from_file(
            df, cleanup.name("soft-fail"), raise_on_error=False, forcerm=True, nocache=True
        )

    assert result is None
    assert engine.api.images(name=cleanup.name("soft-fail")) == []
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and "returned a non-zero code: 1" in errors[0]


def test_missing_add_file_source_fails_before_contacting_engine(
    engine, client, base_image, cleanup, tmp_path, monkeypatch
):
    missing = tmp_path / "not-there.txt"
    df = DockerFile(base_image)
    df.add_file(str(missing), "/x")
    sent = []
    monkeypatch.setattr(client, "build", lambda *args, **kwargs: sent.append((args, kwargs)))

    with pytest.raises(FileNotFoundError, match="not-there.txt"):
        client.build_from_file(df, cleanup.name("missing-src"), labels=cleanup.labels, nocache=True)

    assert sent == []
    assert engine.api.images(name=cleanup.name("missing-src")) == []


def test_context_with_dockerignore_contains_exactly_the_expected_files(
    client, base_image, cleanup, run_container, tmp_path
):
    tree = tmp_path / "tree"
    (tree / "secret").mkdir(parents=True)
    (tree / "sub").mkdir()
    for name in ("keep.txt", "notes.log", "important.log", "secret/key", "sub/c.txt"):
        (tree / name).write_text(name)
    (tree / ".dockerignore").write_text("*.log\n!important.log\nsecret\n.dockerignore\n")
    df = DockerFile(base_image)
    df.writeline("COPY tree /tree")
    ctx = DockerContext()
    ctx.add(str(tree), arcname="tree")
    ctx.add_dockerfile(df)
    ctx.finalize()

    with ctx:
        image_id = client.build_from_context(ctx, cleanup.name("ignore"), labels=cleanup.labels, nocache=True)

    output = run_container(image_id, "sh -c 'cd /tree && find . -type f | sort'", "ignore-check")
    assert output.split() == ["./important.log", "./keep.txt", "./sub/c.txt"]


def test_build_output_reaches_logger_line_by_line_as_it_arrives(engine, base_image, cleanup):
    lines = []
    step_running_at_early_line = []
    late_marker = f"late-{cleanup.run_id}"

    class WatchingClient(DockerClientWrapper):
        def push_log(self, info, level, *args, **kwargs):
            lines.append(info)
            if info == f"early-{cleanup.run_id}":
                # The RUN step's build container must still be running when its first line arrives.
                steps = [c["Id"] for c in self.containers(all=True) if late_marker in c["Command"]]
                step_running_at_early_line.append(
                    [self.inspect_container(c)["State"]["Running"] for c in steps]
                )
            super().push_log(info, level, *args, **kwargs)

    watching = WatchingClient(engine.base_url)
    df = DockerFile(base_image)
    df.run(f"echo early-{cleanup.run_id} && sleep 2 && echo {late_marker}")
    try:
        watching.build_from_file(df, cleanup.name("timed"), labels=cleanup.labels, nocache=True, forcerm=True)
    finally:
        watching.close()

    assert all("\n" not in line for line in lines)
    assert lines[0] == f"Step 1/3 : FROM {base_image}"
    assert step_running_at_early_line == [[True]]
    assert lines.index(f"early-{cleanup.run_id}") < lines.index(late_marker)
    assert any(line.startswith("Successfully built ") for line in lines)


def test_build_output_goes_to_dockermap_logger(client, base_image, cleanup, caplog):
    df = DockerFile(base_image)
    df.run(f"echo logged-{cleanup.run_id}")

    with caplog.at_level(logging.INFO, logger=LOGGER):
        client.build_from_file(df, cleanup.name("logged"), labels=cleanup.labels, nocache=True)

    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert f"logged-{cleanup.run_id}" in messages
    assert f"Step 2/3 : RUN echo logged-{cleanup.run_id}" in messages


def test_add_extra_tags_with_and_without_tag_part(engine, client, base_image, cleanup):
    image_id = engine.api.inspect_image(base_image)["Id"]
    with_tag = cleanup.name("extra-a")
    without_tag = cleanup.name("extra-b")
    engine.api.tag(image_id, with_tag, "main")

    assert client.add_extra_tags(image_id, f"{with_tag}:main", ["x", "main"], add_latest=True) == [
        "x",
        "latest",
    ]
    assert client.add_extra_tags(image_id, without_tag, ["y"], add_latest=False) == ["y"]

    tags = set(engine.api.inspect_image(image_id)["RepoTags"])
    assert {f"{with_tag}:main", f"{with_tag}:x", f"{with_tag}:latest", f"{without_tag}:y"} <= tags
    assert f"{without_tag}:latest" not in tags
    for tag in (f"{with_tag}:main", f"{with_tag}:x", f"{with_tag}:latest", f"{without_tag}:y"):
        engine.api.remove_image(tag)
