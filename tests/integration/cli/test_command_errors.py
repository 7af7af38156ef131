"""Exit codes and messages of the ``dockermap`` command: bad input (2) and failing actions (1)."""

from __future__ import annotations

import json

from tests import helpers
from tests.helpers import ok
from tests.integration.cli.lines import states

BAD_MAP = """\
name: {name}
web:
  image: busybox:latest
  imgae: busybox
"""

BAD_COMPOSE = """\
services:
  web:
    image: busybox:latest
    build: {context: ., ssh: [default]}
    volumes: [cache:/cache]
volumes:
  cache: {external: true, driver: local}
"""

PORT_CLASH = """\
name: {name}
first:
  image: {image}
  exposes: [[80, {port}, 127.0.0.1]]
  stop_timeout: 1
  create_options: {{command: [httpd, -f, -p, "80"]}}
second:
  image: {image}
  depends_on: first
  exposes: [[80, {port}, 127.0.0.1]]
  stop_timeout: 1
  create_options: {{command: [httpd, -f, -p, "80"]}}
"""


def test_map_file_problems_name_file_line_and_key(command, test_run, tmp_path):
    name = test_run.name("bad")
    (tmp_path / "dockermap.yaml").write_text(BAD_MAP.format(name=name))
    result = command(tmp_path, "plan")
    assert result.code == 2, result
    assert f"dockermap.yaml:4: {name}.web.imgae: unknown key; did you mean 'image'?" in result.err
    assert result.out == ""


def test_compose_problems_are_listed_together(command, tmp_path):
    (tmp_path / "compose.yaml").write_text(BAD_COMPOSE)
    result = command(tmp_path, "--json", "status")
    assert result.code == 2, result
    [error] = result.json_lines()
    assert error["event"] == "error" and error["exit_code"] == 2
    path = tmp_path / "compose.yaml"
    assert f"{path}:4: services.web.build.ssh: not supported by dockermap" in error["message"]
    assert f"{path}:7: volumes.cache.driver: cannot be set on an external volume" in error["message"]


def test_bad_yaml_missing_file_unknown_names_and_commands(command, test_run, tmp_path):
    (tmp_path / "broken.yaml").write_text("name: x\nweb: [unclosed\n")
    result = command(tmp_path, "-f", "broken.yaml", "plan")
    assert result.code == 2 and "broken.yaml" in result.err and "line 3" in result.err, result

    result = command(tmp_path, "-f", "missing.yaml", "plan")
    assert result.code == 2 and "missing.yaml" in result.err, result

    result = command(tmp_path, "plan")
    assert result.code == 2 and "dockermap.yaml" in result.err and "compose.yaml" in result.err, result

    name = test_run.name("names")
    (tmp_path / "dockermap.yaml").write_text(f"name: {name}\nweb: {{}}\nworker: {{instances: [a, b]}}\n")
    result = command(tmp_path, "status", "wbe")
    assert result.code == 2 and "did you mean 'web'?" in result.err, result
    result = command(tmp_path, "plan", "worker.c")
    assert result.code == 2 and "did you mean 'worker.b'?" in result.err, result
    result = command(tmp_path, "--map", name[:-1], "plan")
    assert result.code == 2 and f"no map {name[:-1]!r}; did you mean {name!r}?" in result.err, result
    result = command(tmp_path, "upgrade")
    assert result.code == 2 and "invalid choice: 'upgrade'; did you mean 'update'?" in result.err, result
    result = command(tmp_path, "plan", "--actoin", "startup")
    assert result.code == 2 and "unknown option '--actoin'; did you mean '--action'?" in result.err, result
    result = command(tmp_path, "status", "--json")
    assert result.code == 2 and "--json is an option of dockermap: give it before" in result.out, result
    result = command(tmp_path, "status", "wbe")
    assert f"in map {name!r} (dockermap.yaml); did you mean 'web'?" in result.err, result


def test_failing_action_exits_1_with_what_was_done(command, engine, base_image, cleanup, tmp_path):
    name = cleanup.name("clash")
    port = helpers.free_port()
    (tmp_path / "dockermap.yaml").write_text(PORT_CLASH.format(name=name, image=base_image, port=port))

    result = command(tmp_path, "startup")
    assert result.code == 1, result
    # what was done stays printed: every action as it started and as it ended
    assert states(result.lines) == [
        (state, f"{kind} container {name}.{item}: container does not exist")
        for kind, item, ending in [
            ("create", "first", "done"),
            ("start", "first", "done"),
            ("create", "second", "done"),
            ("start", "second", "failed"),
        ]
        for state in ("running", ending)
    ]
    assert f"{name}.second" in result.err and "3 action(s) done before the failure" in result.err
    assert engine.api.inspect_container(f"{name}.first")["State"]["Running"]

    result = command(tmp_path, "--json", "start")
    assert result.code == 1, result
    records = result.json_lines()
    assert [(r["event"], r.get("state")) for r in records] == [
        ("action", "waiting"),
        ("action", "running"),
        ("action", "failed"),
        ("error", None),
    ]
    assert records[0]["kind"] == "start" and records[0]["name"] == f"{name}.second"
    assert records[2]["elapsed"] >= 0
    assert records[-1]["exit_code"] == 1 and records[-1]["done"] == 0
    assert json.loads(result.lines[-1]) == records[-1]


def test_client_from_a_clients_file(command, engine, test_run, tmp_path):
    name = test_run.name("clients")
    (tmp_path / "dockermap.yaml").write_text(f"name: {name}\nweb: {{}}\n")
    (tmp_path / "clients.yaml").write_text(f"local:\n  base_url: {engine.base_url}\n")
    files = ["-f", "dockermap.yaml", "-f", "clients.yaml"]
    nowhere = "unix:///nonexistent/docker.sock"
    result = command(tmp_path, *files, "--client", "local", "--json", "status", DOCKER_HOST=nowhere)
    assert [row["state"] for row in ok(result).json_lines()] == ["missing"]
    result = command(tmp_path, *files, "--client", "locl", "status")
    assert result.code == 2 and "no client 'locl' in the clients files; did you mean 'local'?" in result.err
    result = command(tmp_path, *files, "status", DOCKER_HOST=nowhere)
    assert result.code == 1 and "dockermap: error:" in result.err, result
