"""Acceptance: code written for docker-map 1.x (``tests/classic/downstream``) runs unchanged on the real
engine — a Fabric-style client configuration with its own init keyword and client constructor, a
command-line client that lists only the classic container fields, host-config keywords merged into
``create_container`` (``USE_HC_MERGE``), YAML tags registered on ``SafeLoader``, classic inputs, a build
script and a fabfile with the classic import paths: startup, update and shutdown."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dockermap.api import USE_HC_MERGE
from tests.classic.downstream import build, fabfile, yaml_tags
from tests.classic.downstream.fabric_client import FabricCliClient
from tests.helpers import exec_in, mounts

pytestmark = pytest.mark.integration

DOWNSTREAM = Path(__file__).parent / "downstream"
GREETING = "hello from the classic deployment"


@pytest.fixture
def classic_tags():
    yaml_tags.register()
    yield yaml_tags.SETTINGS
    yaml_tags.unregister()
    yaml_tags.SETTINGS.clear()


@pytest.fixture
def deployment(engine, base_image, cleanup, tmp_path, classic_tags, monkeypatch):
    """The downstream site: app image built by the build script, map and clients loaded from YAML."""
    repository = cleanup.name("classic")
    build.build_app(engine.base_url, f"{repository}/app:latest", base_image)
    for path in ("config", "data"):
        (tmp_path / path).mkdir()
    (tmp_path / "config" / "app.conf").write_text("setting=1\n")
    classic_tags.update(repository=repository, host_root=str(tmp_path))
    monkeypatch.setenv("DM_CLASSIC_GREETING", GREETING)
    clients_file = tmp_path / "clients.yml"
    clients_file.write_text(
        f"default:\n  base_url: {engine.base_url}\n  fabric_host: deploy@example\n"
        f"  features:\n    host_config: {USE_HC_MERGE}\n"
    )
    client = fabfile.get_client(str(DOWNSTREAM / "site.yml"), str(clients_file), cleanup.name("site"))
    return client, repository


def test_classic_code_runs_startup_update_and_shutdown(engine, base_image, deployment):
    client, repository = deployment
    app, worker = (fabfile.container_name(client, name) for name in ("app", "worker"))
    volume = f"{client.default_map}.app_log"

    fabfile.deploy(client, "worker")

    configuration = client.clients["__default__"]
    cli = configuration.client
    assert isinstance(cli, FabricCliClient)
    assert cli.init_arguments == {
        "base_url": engine.base_url,
        "version": None,
        "timeout": None,
        "fabric_host": "deploy@example",
    }
    assert {"version": cli.api_version} in configuration.settings_updates
    assert "settings_updates" not in configuration
    assert cli.listed > 0
    for name in (app, worker):
        assert engine.api.inspect_container(name)["State"]["Running"]
    # Classic inputs: 'true' as read-only flag, an alias without a value, a (name, readonly) pair.
    assert mounts(engine.api, app)["/etc/app"]["RW"] is False
    assert mounts(engine.api, worker)["/var/lib/app"]["RW"] is True
    assert mounts(engine.api, worker)["/var/log/app"]["Name"] == volume
    # The deployment's own !env tag took precedence; the prepared volume let user 2000 write to it.
    assert exec_in(engine.api, worker, "cat /var/log/app/greeting").strip() == GREETING
    assert exec_in(engine.api, worker, "stat -c %u /var/log/app").strip() == "2000"

    ids = {name: engine.api.inspect_container(name)["Id"] for name in (app, worker)}
    assert fabfile.planned(client, "update", "worker") == []
    fabfile.update(client, "worker")
    assert {name: engine.api.inspect_container(name)["Id"] for name in (app, worker)} == ids

    build.build_app(engine.base_url, f"{repository}/app:latest", base_image, revision=2)
    assert set(fabfile.needs_reset(client, "worker")) == {"app", "worker"}
    steps = fabfile.planned(client, "update", "worker")
    assert ("remove", app) in steps and ("remove", worker) in steps
    assert fabfile.stops_before_removal(steps)
    fabfile.update(client, "worker")
    for name in (app, worker):
        detail = engine.api.inspect_container(name)
        assert detail["State"]["Running"] and detail["Id"] != ids[name]
        assert detail["Config"]["Labels"]["revision"] == "2"

    result = fabfile.run_job(client, "job", ["sh", "-c", "echo job done"])
    assert result["exit_code"] == 0
    assert result["log"] == b"job done\n"

    fabfile.teardown(client, "app")  # and its dependents
    remaining = {c["Names"][0].lstrip("/") for c in engine.api.containers(all=True)}
    assert not remaining & {app, worker}
    assert volume not in {v["Name"] for v in engine.api.volumes()["Volumes"] or ()}


def test_build_command_with_a_shell_redirection(engine, base_image, cleanup, tmp_path):
    tag = f"{cleanup.name('stdin-build')}:latest"
    (tmp_path / "Dockerfile").write_text(f"FROM {base_image}\nLABEL built=from-stdin\n")
    command = build.stdin_build_command(engine.base_url, tag)
    assert command.endswith(" - < Dockerfile")
    subprocess.run(["sh", "-c", command], cwd=tmp_path, check=True, capture_output=True)
    assert engine.api.inspect_image(tag)["Config"]["Labels"]["built"] == "from-stdin"
