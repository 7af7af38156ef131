"""The ``dockermap`` command against the real engine, run as a subprocess like a user would."""

from __future__ import annotations

from typing import List

from tests import helpers
from tests.helpers import CommandResult, ok
from tests.integration.cli.lines import states

MAP_FILE = """\
name: {map_name}
volumes:
  data: /data
web:
  image: {image}
  attaches: data
  stop_timeout: 1
  create_options:
    command: [sh, -c, "echo hello-$MODE; exec sleep 600"]
    environment: {{MODE: {mode}}}
worker:
  image: {image}
  uses: data
  depends_on: web
  stop_timeout: 1
  create_options:
    command: [sleep, "600"]
"""

COMPOSE_FILE = """\
name: {project}
services:
  web:
    image: {image}
    working_dir: /tmp
    command: sh -c 'echo page-$$MODE > index.html; echo hello-$$MODE; exec httpd -f -p 80'
    environment:
      MODE: ${{MODE:-{mode}}}
    ports: ["127.0.0.1:${{WEB_PORT:?set WEB_PORT}}:80"]
    volumes: [data:/data]
    networks: [back]
    stop_grace_period: 1s
    restart: unless-stopped
    healthcheck: {{test: wget -q -O- localhost, interval: 1m30s, retries: 2}}
  worker:
    image: {image}
    command: [sleep, "600"]
    depends_on: [web]
    volumes: ["data:/data:ro"]
    networks: {{back: {{aliases: [jobs]}}}}
    stop_grace_period: 1s
    user: "1000"
    tmpfs: /scratch
    cap_drop: [NET_RAW]
    ulimits: {{nofile: {{soft: 1024, hard: 2048}}}}
    extra_hosts: ["db.local:10.1.2.3"]
    init: true
volumes:
  data: {{}}
networks:
  back: {{}}
"""


def planned(result: CommandResult) -> List[tuple]:
    """(kind, type, name) of every planned action of a ``--json plan``."""
    return [(r["kind"], r["type"], r["name"]) for r in result.json_lines() if r["event"] == "action"]


def container_env(engine, name: str) -> List[str]:
    return engine.api.inspect_container(name)["Config"]["Env"]


def test_map_file_lifecycle(command, engine, base_image, cleanup, tmp_path):
    map_name = cleanup.name("climap")
    web, worker, volume = f"{map_name}.web", f"{map_name}.worker", f"{map_name}.data"
    map_file = tmp_path / "dockermap.yaml"
    map_file.write_text(MAP_FILE.format(map_name=map_name, image=base_image, mode="one"))

    first = planned(ok(command(tmp_path, "--json", "plan")))
    assert ("create", "container", web) in first and ("start", "container", worker) in first
    assert first.index(("start", "container", web)) < first.index(("create", "container", worker))
    assert not engine.api.containers(all=True, filters={"name": map_name}), "plan changed the engine"

    started = ok(command(tmp_path, "startup"))
    progress = states(started.lines)
    assert ("running", f"create container {web}: container does not exist") in progress
    assert ("done", f"create container {web}: container does not exist") in progress
    assert [state for state, _ in progress].count("done") == len(first)
    assert started.lines[-1] == f"{len(first)} action(s) done"
    assert engine.api.inspect_container(web)["State"]["Running"]
    assert engine.api.inspect_container(worker)["State"]["Running"]

    status = {row["name"]: row for row in ok(command(tmp_path, "--json", "status")).json_lines()}
    assert status[web]["state"] == "running" and status[web]["update"] == ""
    assert status[worker]["image"] == base_image
    table = ok(command(tmp_path, "status")).lines
    assert table[0].split() == ["NAME", "STATE", "HEALTH", "IMAGE", "PORTS", "UPDATE"]
    assert any(line.startswith(web) and "running" in line for line in table[1:])

    map_file.write_text(MAP_FILE.format(map_name=map_name, image=base_image, mode="two"))
    change = ok(command(tmp_path, "--json", "plan")).json_lines()
    actions = [r for r in change if r["event"] == "action"]
    assert [(r["kind"], r["name"]) for r in actions] == [
        (kind, web) for kind in ("stop", "remove", "create", "start")
    ]
    assert all("environment MODE changed" in r["cause"] for r in actions), actions
    assert change[-1] == {"event": "planned", "actions": len(actions)}

    status = {row["name"]: row for row in ok(command(tmp_path, "--json", "status")).json_lines()}
    assert "environment MODE changed" in status[web]["update"]
    shown = ok(command(tmp_path, "--json", "--show-secret-values", "plan")).json_lines()
    assert all(
        "environment MODE is 'one', expected 'two'" in r["cause"] for r in shown if r["event"] == "action"
    )
    assert status[worker]["update"] == ""

    # one job at a time: each action ends before the next one starts
    updated = states(ok(command(tmp_path, "-j", "1", "update")).lines)
    assert updated == [(state, text) for _, text in updated[::2] for state in ("running", "done")]
    assert [text.split(":")[0] for _, text in updated[::2]] == [
        f"{kind} container {web}" for kind in ("stop", "remove", "create", "start")
    ]
    assert "MODE=two" in container_env(engine, web)
    assert ok(command(tmp_path, "plan")).lines == ["nothing to do"]

    logs = ok(command(tmp_path, "logs", "web")).lines
    assert logs == [f"{web} | hello-two"]

    ok(command(tmp_path, "shutdown", "--volumes"))
    assert not engine.api.containers(all=True, filters={"name": map_name})
    assert not engine.api.volumes(filters={"name": volume}).get("Volumes")


def test_compose_file_lifecycle(command, engine, base_image, cleanup, tmp_path):
    project = cleanup.name("proj")
    port = helpers.free_port()
    (tmp_path / "compose.yaml").write_text(COMPOSE_FILE.format(project=project, image=base_image, mode="one"))
    (tmp_path / ".env").write_text(f"WEB_PORT={port}\n")
    # Compose's names: project-service-N for containers, project_name for volumes and networks
    web, worker = f"{project}-web-1", f"{project}-worker-1"

    first = planned(ok(command(tmp_path, "--json", "plan")))
    assert ("create", "network", f"{project}_back") in first
    assert ("create", "volume", f"{project}_data") in first
    # the network and the volume are created together, in the first step; with one job, no steps
    lines = ok(command(tmp_path, "plan")).lines
    assert f"[1] create network {project}_back: network does not exist" in lines
    assert f"[1] create volume {project}_data: volume does not exist" in lines
    assert not any(line.startswith("[") for line in ok(command(tmp_path, "-j", "1", "plan")).lines)
    ok(command(tmp_path, "-j", "2", "startup"))
    assert helpers.fetch(f"http://127.0.0.1:{port}/") == "page-one\n"
    web_info = engine.api.inspect_container(web)
    assert web_info["HostConfig"]["PortBindings"] == {
        "80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]
    }
    assert "MODE=one" in web_info["Config"]["Env"]
    compose_labels = {"com.docker.compose.project": project, "com.docker.compose.service": "web"}
    assert compose_labels.items() <= web_info["Config"]["Labels"].items()
    assert web_info["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped"
    health = web_info["Config"]["Healthcheck"]
    assert (health["Test"], health["Interval"], health["Retries"]) == (
        ["CMD-SHELL", "wget -q -O- localhost"],
        90 * 10**9,
        2,
    )
    worker_info = engine.api.inspect_container(worker)
    host = worker_info["HostConfig"]
    assert worker_info["Config"]["User"] == "1000"
    assert (host["Tmpfs"], host["CapDrop"], host["ExtraHosts"], host["Init"]) == (
        {"/scratch": ""},
        ["NET_RAW"],
        ["db.local:10.1.2.3"],
        True,
    )
    assert host["Ulimits"] == [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]
    mounts = {m["Destination"]: m for m in worker_info["Mounts"]}
    assert mounts["/data"]["Name"] == f"{project}_data" and mounts["/data"]["RW"] is False
    assert set(worker_info["NetworkSettings"]["Networks"][f"{project}_back"]["Aliases"]) >= {"worker", "jobs"}
    assert ok(command(tmp_path, "exec", "worker", "nslookup", "web")).code == 0

    status = {row["name"]: row for row in ok(command(tmp_path, "--json", "status")).json_lines()}
    assert status[web]["ports"] == f"127.0.0.1:{port}->80/tcp"

    changed = ok(command(tmp_path, "--json", "plan", MODE="two")).json_lines()
    actions = [r for r in changed if r["event"] == "action"]
    assert [(r["kind"], r["name"]) for r in actions] == [
        (kind, web) for kind in ("stop", "remove", "create", "start")
    ]
    assert all("environment MODE changed" in r["cause"] for r in actions), actions
    ok(command(tmp_path, "update", MODE="two"))
    assert "MODE=two" in container_env(engine, web)
    # every container's lines, prefixed by its name padded to the longest one (the worker prints nothing)
    assert ok(command(tmp_path, "logs", MODE="two")).lines == [f"{web.ljust(len(worker))} | hello-two"]

    ok(command(tmp_path, "shutdown", "--volumes", MODE="two"))
    assert not engine.api.containers(all=True, filters={"name": project})
    assert not engine.api.volumes(filters={"name": project}).get("Volumes")
    assert not engine.api.networks(names=[f"{project}_back"])


SINGLE = """\
name: {name}
job:
  image: {image}
  stop_timeout: 1
  create_options:
    command: [sh, -c, "echo one; sleep 1; echo two"]
"""


def test_single_actions_follow_logs_and_config(command, engine, base_image, cleanup, tmp_path):
    name = cleanup.name("single")
    job = f"{name}.job"
    (tmp_path / "dockermap.yaml").write_text(SINGLE.format(name=name, image=base_image))

    assert ok(command(tmp_path, "create")).lines[-1] == "1 action(s) done"
    assert engine.api.inspect_container(job)["State"]["Status"] == "created"
    started = ok(command(tmp_path, "start", "job")).lines
    assert [(state, text.split(":")[0]) for state, text in states(started)] == [
        ("running", f"start container {job}"),
        ("done", f"start container {job}"),
    ]
    assert started[2:] == ["1 action(s) done"], started
    # -f follows until the container exits: both lines arrive, the second a second after the first
    assert ok(command(tmp_path, "logs", "-f")).lines == [f"{job} | one", f"{job} | two"]
    assert engine.api.inspect_container(job)["State"]["Status"] == "exited"
    restarted = ok(command(tmp_path, "--json", "restart", "job")).json_lines()
    assert [(r["state"], r["kind"], r["name"]) for r in restarted if r["event"] == "action"] == [
        (state, "restart", job) for state in ("waiting", "running", "done")
    ]
    ok(command(tmp_path, "stop"))
    assert ok(command(tmp_path, "logs", "--tail", "1")).lines == [f"{job} | two"]
    records = ok(command(tmp_path, "--json", "logs")).json_lines()
    assert [(r["event"], r["container"], r["line"]) for r in records] == [
        ("log", job, "one"),
        ("log", job, "two"),
    ] * 2
    config = ok(command(tmp_path, "config")).out
    assert config.startswith(f"name: {name}\n") and "command:\n      - sh" in config
    [record] = ok(command(tmp_path, "--json", "config")).json_lines()
    assert record["map"] == name and record["config"]["containers"]["job"]["image"] == base_image
    ok(command(tmp_path, "remove"))
    assert not engine.api.containers(all=True, filters={"name": job})


def test_colors_on_a_terminal_unless_no_color(terminal, test_run, tmp_path):
    name = test_run.name("tty")
    (tmp_path / "dockermap.yaml").write_text(f"name: {name}\nweb: {{}}\n")
    colored = terminal(tmp_path, "plan")
    assert f"\x1b[32mcreate\x1b[0m container {name}.web: container does not exist" in colored
    plain = terminal(tmp_path, "plan", NO_COLOR="1")
    assert "\x1b" not in plain and f"create container {name}.web: container does not exist" in plain
