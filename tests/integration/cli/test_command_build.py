"""``dockermap build`` and ``startup`` with a Compose file whose service has ``build:``, as a subprocess."""

from __future__ import annotations

from pathlib import Path

from tests import helpers
from tests.helpers import ok
from tests.integration.cli.lines import frames, states

COMPOSE_FILE = """\
name: {project}
services:
  web:
    build:
      context: ./web
      args: [MESSAGE={message}]
      labels: {{{label}: "{run_id}"}}
      no_cache: true
    command: [/bin/busybox, sh, -c, "cat /message; exec /bin/busybox sleep 600"]
    stop_grace_period: 1s
  db:
    image: {base_image}
    command: [sleep, "600"]
    stop_grace_period: 1s
"""
DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
ARG MESSAGE
RUN ["/bin/busybox", "sh", "-c", "echo $MESSAGE > /message"]
"""


def project_dir(root: Path, project: str, base_image: str, run_id: str, message: str) -> Path:
    (root / "web").mkdir(exist_ok=True)
    (root / "web" / "Dockerfile").write_text(DOCKERFILE)
    (root / "web" / "busybox").write_bytes(Path(helpers.BUSYBOX_BINARY).read_bytes())
    (root / "web" / "busybox").chmod(0o755)
    text = COMPOSE_FILE.format(
        project=project, message=message, label=helpers.TEST_RUN_LABEL, run_id=run_id, base_image=base_image
    )
    (root / "compose.yaml").write_text(text)
    return root


def test_build_and_startup_of_a_compose_service_with_build(
    command, terminal, engine, base_image, cleanup, tmp_path
):
    project = cleanup.name("cbuild")
    image = f"{project}-web:latest"
    project_dir(tmp_path, project, base_image, cleanup.run_id, "first")

    # startup builds the missing image (Compose's name for it), and pulls nothing.
    started = ok(command(tmp_path, "startup"))
    cause = f"build image {image}: image {image} is not on the client; build it from {tmp_path / 'web'}"
    assert ("done", cause) in states(started.lines)
    first_id = engine.api.inspect_image(image)["Id"]
    assert engine.api.inspect_container(f"{project}-web-1")["Image"] == first_id
    assert ok(command(tmp_path, "logs", "web")).lines == [f"{project}-web-1 | first"]

    # build: one line per step of each image, the image built again although present.
    project_dir(tmp_path, project, base_image, cleanup.run_id, "second")
    built = ok(command(tmp_path, "build"))
    assert built.lines[0] == f"{image}: build requested; build it from {tmp_path / 'web'}"
    assert built.lines[1:5] == [
        f"{image}: Step 1/5 : FROM scratch",
        f"{image}: Step 2/5 : COPY busybox /bin/busybox",
        f"{image}: Step 3/5 : ARG MESSAGE",
        f'{image}: Step 4/5 : RUN ["/bin/busybox", "sh", "-c", "echo $MESSAGE > /message"]',
    ]
    second_id = engine.api.inspect_image(image)["Id"]
    assert built.lines[-2:] == [f"{image}: built {second_id}", "1 image(s) built"]
    assert second_id != first_id

    # --json: events per image, parsed line by line; naming a service without build builds nothing.
    events = ok(command(tmp_path, "--json", "build", "web")).json_lines()
    assert [event["state"] for event in events if event["event"] == "build"] == ["started"] + ["step"] * 5 + [
        "done"
    ]
    assert {event["image"] for event in events if event["event"] == "build"} == {image}
    assert events[-1] == {"event": "done", "actions": 1}
    assert ok(command(tmp_path, "build", "db")).lines == ["nothing to build (no configuration has 'build')"]

    # On a terminal each build is a line of the live display, redrawn while it runs.
    drawn = frames(terminal(tmp_path, "build", "web", NO_COLOR="1"))
    shown = states([line for frame in drawn for line in frame])  # lines cut to the terminal's width
    assert ("running", f"build image {image}"[:40]) in [(state, text[:40]) for state, text in shown], drawn
    assert ("done", f"build image {image}"[:40]) in [(state, text[:40]) for state, text in shown], drawn
    assert drawn[-1][-1] == "1 image(s) built"

    # update recreates the container on the image built since.
    ok(command(tmp_path, "update"))
    assert ok(command(tmp_path, "logs", "web")).lines[-1] == f"{project}-web-1 | second"
    ok(command(tmp_path, "shutdown"))


def test_a_failing_build_exits_with_1_and_the_step_output(command, engine, base_image, cleanup, tmp_path):
    project = cleanup.name("cfail")
    project_dir(tmp_path, project, base_image, cleanup.run_id, "x")
    (tmp_path / "web" / "Dockerfile").write_text(
        DOCKERFILE + 'RUN ["/bin/busybox", "sh", "-c", "echo no-luck; exit 4"]\n'
    )

    result = command(tmp_path, "build")

    assert result.code == 1, result
    assert "returned a non-zero code: 4" in result.err
    assert "no-luck" in result.err and "0 image(s) built before the failure" in result.err
    result = command(tmp_path, "build", "wbe")
    assert result.code == 2 and "did you mean 'web'?" in result.err, result
