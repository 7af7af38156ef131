"""Compose files brought up with the library on the real engine, checked against what the file says."""

from __future__ import annotations

import textwrap

from dockermap.api import ClientConfiguration, MappingDockerClient
from dockermap.compose import load_compose
from dockermap.map import readiness
from tests import helpers

PROXY = """\
name: {project}
services:
  proxy:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3600 & wait"
    depends_on: [backend]
    networks: [front, back]
  backend:
    image: {image}
    working_dir: /srv
    command: sh -c "hostname > index.html; exec httpd -f -p 8000"
    deploy: {{replicas: 2}}
    expose: ["8000"]
    networks: {{back: {{aliases: [api]}}}}
    stop_grace_period: 1s
networks:
  front: {{}}
  back: {{internal: true}}
"""


def test_reverse_proxy_with_replicated_backends(engine, base_image, cleanup, tmp_path):
    project = cleanup.name("proxy")
    path = tmp_path / "compose.yaml"
    path.write_text(textwrap.dedent(PROXY.format(project=project, image=base_image)))
    client = MappingDockerClient(
        load_compose(str(path), env={}), ClientConfiguration(base_url=engine.base_url)
    )
    client.startup("__all__")

    backends = [f"{project}-backend-1", f"{project}-backend-2"]
    for name in backends:
        info = engine.api.inspect_container(name)
        assert info["State"]["Running"] and info["Config"]["WorkingDir"] == "/srv"
        assert set(info["NetworkSettings"]["Networks"]) == {f"{project}_back"}
        assert {"backend", "api"} <= set(info["NetworkSettings"]["Networks"][f"{project}_back"]["Aliases"])
    proxy = f"{project}-proxy-1"
    assert set(engine.api.inspect_container(proxy)["NetworkSettings"]["Networks"]) == {
        f"{project}_front",
        f"{project}_back",
    }
    assert engine.api.inspect_network(f"{project}_back")["Internal"] is True
    # the service name and its alias reach the replicas through the internal network
    for host in ("backend", "api"):
        answer = helpers.exec_in(engine.api, proxy, f"wget -q -O- http://{host}:8000/").strip()
        assert answer in {engine.api.inspect_container(name)["Config"]["Hostname"] for name in backends}

    assert list(client.plan("update", "__all__")) == []
    client.shutdown("__all__")
    assert not engine.api.containers(all=True, filters={"label": f"com.docker.compose.project={project}"})


MIGRATION = """\
name: {project}
services:
  migrate:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3 & wait; echo migrated"
  web:
    image: {image}
    command: sh -c "trap 'exit 0' TERM; sleep 3600 & wait"
    depends_on: {{migrate: {{condition: service_completed_successfully}}}}
"""


def test_a_migration_job_is_waited_for_as_long_as_it_runs(engine, base_image, cleanup, tmp_path, monkeypatch):
    """Docker Compose waits for a dependency's condition without a time limit; so does dockermap, even
    when the map's default timeout (one second here) is shorter than the job."""
    monkeypatch.setattr(readiness, "DEFAULT_TIMEOUT", 1.0)
    assert readiness.get_readiness("completed").timeout == 1.0
    project = cleanup.name("migration")
    path = tmp_path / "compose.yaml"
    path.write_text(MIGRATION.format(project=project, image=base_image))
    client = MappingDockerClient(
        load_compose(str(path), env={}), ClientConfiguration(base_url=engine.base_url)
    )
    client.startup("__all__")

    migrate = engine.api.inspect_container(f"{project}-migrate-1")["State"]
    web = engine.api.inspect_container(f"{project}-web-1")["State"]
    assert migrate["ExitCode"] == 0 and web["Running"]
    assert migrate["FinishedAt"] < web["StartedAt"]
    client.shutdown("__all__")
