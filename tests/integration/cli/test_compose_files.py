"""Several Compose files, ``include`` and ``extends`` through the ``dockermap`` command on the real engine."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests import helpers
from tests.helpers import ok

BASE = """\
name: {project}
services:
  web:
    image: {image}
    working_dir: /tmp
    command: sh -c 'echo page-$$MODE > index.html; exec httpd -f -p 80'
    environment: [MODE=base, KEEP=kept]
    ports: ["127.0.0.1:${{WEB_PORT:?set WEB_PORT}}:80"]
    labels: {{tier: web}}
    stop_grace_period: 1s
"""

OVERRIDE = """\
services:
  web:
    environment: {{MODE: override}}
    labels: [role=front]
    volumes: ["./site:/site:ro"]
  worker:
    image: {image}
    command: [sleep, "600"]
    depends_on: [web]
    stop_grace_period: 1s
"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def test_a_base_file_and_an_override_file(command, engine, base_image, cleanup, tmp_path):
    project = cleanup.name("merged")
    port = helpers.free_port()
    write(tmp_path / "compose.yaml", BASE.format(project=project, image=base_image))
    write(tmp_path / "ops" / "override.yaml", OVERRIDE.format(image=base_image))
    write(tmp_path / "ops" / "ports.env", f"WEB_PORT={port}\n")
    (tmp_path / "site").mkdir()
    files = ["-f", "compose.yaml", "-f", "ops/override.yaml", "--env-file", "ops/ports.env"]
    web, worker = f"{project}-web-1", f"{project}-worker-1"

    ok(command(tmp_path, *files, "startup"))
    assert helpers.fetch(f"http://127.0.0.1:{port}/") == "page-override\n"
    info = engine.api.inspect_container(web)
    assert {"MODE=override", "KEEP=kept"} <= set(info["Config"]["Env"])
    assert {"tier": "web", "role": "front"}.items() <= info["Config"]["Labels"].items()
    # the override's relative path is relative to the project directory, the first file's
    mounts = {mount["Destination"]: mount for mount in info["Mounts"]}
    assert (mounts["/site"]["Source"], mounts["/site"]["RW"]) == (str(tmp_path / "site"), False)
    assert engine.api.inspect_container(worker)["State"]["Running"]

    config = ok(command(tmp_path, *files, "--json", "config")).json_lines()[0]["config"]
    environment = config["containers"]["web"]["create_options"]["environment"]
    assert environment == {"MODE": "override", "KEEP": "kept"}
    assert ok(command(tmp_path, *files, "plan")).lines == ["nothing to do"]
    # without the override file, the web container would change back
    only_base = ok(command(tmp_path, "-f", "compose.yaml", "--env-file", "ops/ports.env", "--json", "plan"))
    changes = [r for r in only_base.json_lines() if r["event"] == "action"]
    assert {r["name"] for r in changes} == {web}

    ok(command(tmp_path, *files, "shutdown"))
    assert not engine.api.containers(all=True, filters={"name": project})


def test_include_and_extends(command, engine, base_image, cleanup, tmp_path):
    project = cleanup.name("incl")
    write(
        tmp_path / "common" / "base.yaml",
        f"""\
        services:
          sleeper:
            image: {base_image}
            command: [sleep, "600"]
            stop_grace_period: 1s
            environment: {{FROM: common}}
            volumes: ["./shared:/shared:ro"]
        """,
    )
    (tmp_path / "common" / "shared").mkdir()
    write(
        tmp_path / "db" / "compose.yaml",
        """\
        services:
          db:
            extends: {file: ../common/base.yaml, service: sleeper}
            environment: {ROLE: "${DB_ROLE}"}
            volumes: [dbdata:/data]
        volumes:
          dbdata: {}
        """,
    )
    write(tmp_path / "db" / ".env", "DB_ROLE=primary\n")
    write(
        tmp_path / "app" / "compose.yaml",
        f"""\
        name: {project}
        include: [../db/compose.yaml]
        services:
          app:
            extends: {{file: ../common/base.yaml, service: sleeper}}
            depends_on: [db]
            environment: {{ROLE: app}}
            volumes: ["dbdata:/data:ro"]
        """,
    )
    db, app = f"{project}-db-1", f"{project}-app-1"

    ok(command(tmp_path / "app", "startup"))
    db_info, app_info = engine.api.inspect_container(db), engine.api.inspect_container(app)
    assert {"FROM=common", "ROLE=primary"} <= set(db_info["Config"]["Env"])
    assert {"FROM=common", "ROLE=app"} <= set(app_info["Config"]["Env"])
    for info in (db_info, app_info):
        assert info["State"]["Running"]
        mounts = {mount["Destination"]: mount for mount in info["Mounts"]}
        assert mounts["/shared"]["Source"] == str(tmp_path / "common" / "shared")
        assert mounts["/data"]["Name"] == f"{project}_dbdata"

    ok(command(tmp_path / "app", "shutdown", "--volumes"))
    assert not engine.api.containers(all=True, filters={"name": project})
    assert not engine.api.volumes(filters={"name": project}).get("Volumes")
