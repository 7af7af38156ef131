"""Service ``extends``: same file, other files, nesting, relative paths and cycles (no engine)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dockermap.compose import ComposeFileError, load_compose


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_extends_in_the_same_file_nested_and_merged(tmp_path):
    path = write(
        tmp_path / "compose.yaml",
        """
        services:
          base:
            image: app:1
            user: root
            environment: {TZ: utc, PORT: "80"}
            cap_add: [NET_ADMIN]
          common:
            extends: {service: base}
            command: [serve]
            ports: ["8080:80"]
          cli:
            extends: common
            environment: [PORT=8080]
            ports: ["8080:80", "9090:90"]
            command: [run, job]
        """,
    )
    c_map = load_compose(path, env={}, project_name="p")
    cli = c_map.containers["cli"]
    assert cli.image == "app:1" and cli.create_options["user"] == "root"
    assert cli.create_options["environment"] == {"TZ": "utc", "PORT": "8080"}
    assert cli.create_options["command"] == ["run", "job"]
    assert [(port.exposed_port, port.host_port) for port in cli.exposes] == [(80, 8080), (90, 9090)]
    assert cli.host_config == {"cap_add": ["NET_ADMIN"]}
    assert c_map.containers["common"].create_options["command"] == ["serve"]


def test_a_service_of_another_file_keeps_its_relative_paths(tmp_path):
    write(
        tmp_path / "shared" / "common.yaml",
        """
        services:
          webapp:
            image: web
            volumes: ["./static:/srv", {type: bind, source: ../logs, target: /logs}]
            env_file: web.env
          unused:
            image: "${NOT_NEEDED:-x}"
        """,
    )
    write(tmp_path / "shared" / "web.env", "FROM_FILE=shared\n")
    write(
        tmp_path / "shared" / "deeper" / "root.yaml",
        """
        services:
          root:
            image: root
            volumes: [./root-data:/root-data]
        """,
    )
    write(
        tmp_path / "shared" / "middle.yaml",
        """
        services:
          middle:
            extends: {file: deeper/root.yaml, service: root}
            labels: {level: middle}
        """,
    )
    path = write(
        tmp_path / "app" / "compose.yaml",
        """
        services:
          web:
            extends: {file: ../shared/common.yaml, service: webapp}
            volumes: ["./local:/local"]
          other:
            extends: {file: ../shared/middle.yaml, service: middle}
        """,
    )
    c_map = load_compose(path, env={}, project_name="p")
    web = c_map.containers["web"]
    assert [(bind.path, bind.host_path) for bind in web.binds] == [
        ("/srv", str(tmp_path / "shared" / "static")),
        ("/logs", str(tmp_path / "logs")),
        ("/local", str(tmp_path / "app" / "local")),
    ]
    assert web.create_options["environment"] == {"FROM_FILE": "shared"}
    other = c_map.containers["other"]
    assert other.image == "root" and other.create_options["labels"]["level"] == "middle"
    assert [(bind.path, bind.host_path) for bind in other.binds] == [
        ("/root-data", str(tmp_path / "shared" / "deeper" / "root-data"))
    ]
    assert sorted(name for name, _ in c_map) == ["other", "web"]


def test_problems_of_an_extended_service_point_into_its_file(tmp_path):
    common = write(tmp_path / "common.yaml", "services:\n  base:\n    image: b\n\n    scale: 2\n")
    path = write(
        tmp_path / "compose.yaml", "services:\n  web:\n    extends: {file: common.yaml, service: base}\n"
    )
    with pytest.raises(ComposeFileError) as info:
        load_compose(path, env={}, project_name="p")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.key) == (common, 5, "services.web.scale")


@pytest.mark.parametrize(
    "services, expected",
    [
        pytest.param(
            "  a: {extends: b}\n  b: {extends: {service: a}}\n",
            [
                (
                    2,
                    "services.a.extends",
                    "extends cycle: b (compose.yaml) -> a (compose.yaml) -> b (compose.yaml)",
                ),
                (
                    3,
                    "services.b.extends",
                    "extends cycle: a (compose.yaml) -> b (compose.yaml) -> a (compose.yaml)",
                ),
            ],
            id="cycle",
        ),
        pytest.param(
            "  a: {extends: a}\n",
            [(2, "services.a.extends", "extends cycle: a (compose.yaml) -> a (compose.yaml)")],
            id="itself",
        ),
        pytest.param(
            "  a:\n    extends:\n      service: nope\n",
            [(4, "services.a.extends.service", "no service 'nope' in {dir}/compose.yaml")],
            id="missing-service",
        ),
        pytest.param(
            "  a:\n    extends:\n      file: gone.yaml\n      service: x\n",
            [
                (
                    4,
                    "services.a.extends.file",
                    "cannot load {dir}/gone.yaml: cannot read: No such file or directory",
                )
            ],
            id="missing-file",
        ),
        pytest.param(
            "  a: {extends: {service: x, files: y}}\n",
            [(2, "services.a.extends.files", "unknown key; valid keys are service and file")],
            id="unknown-key",
        ),
    ],
)
def test_extends_that_cannot_be_resolved(tmp_path, services, expected):
    path = write(tmp_path / "compose.yaml", f"services:\n{services}  ok: {{image: fine}}\n")
    with pytest.raises(ComposeFileError) as info:
        load_compose(path, env={}, project_name="p")
    found = [(problem.line, problem.key, problem.message) for problem in info.value.problems]
    assert found == [(line, key, message.format(dir=tmp_path)) for line, key, message in expected]
