"""Top-level ``include``: other projects with their own directories and variables (no engine)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from dockermap.compose import ComposeFileError, load_compose


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


@pytest.fixture
def database(tmp_path) -> Path:
    """An included project in ``db/``: a service with a bind mount, a volume, a network and a .env."""
    write(
        tmp_path / "db" / "compose.yaml",
        """
        services:
          db:
            image: "db:${DB_TAG}"
            environment: {WHO: "${WHO:-db-default}"}
            volumes: [./init:/init, dbdata:/var/lib/db]
            networks: [back]
        volumes:
          dbdata: {}
        networks:
          back: {}
        """,
    )
    write(tmp_path / "db" / ".env", "DB_TAG=from-db-env\nWHO=db-env\n")
    return tmp_path / "db"


def test_short_syntax_reads_the_project_with_its_own_directory_and_env(tmp_path, database):
    path = write(
        tmp_path / "compose.yaml",
        """
        include:
          - db/compose.yaml
        services:
          web:
            image: web
            depends_on: [db]
            networks: [back]
            volumes: [dbdata:/data:ro]
        """,
    )
    c_map = load_compose(path, env={}, project_name="p")
    db = c_map.containers["db"]
    assert db.image == "db:from-db-env"
    assert db.create_options["environment"] == {"WHO": "db-env"}
    assert [(bind.path, bind.host_path) for bind in db.binds] == [("/init", str(database / "init"))]
    assert list(c_map.containers["web"].depends_on) == ["db"]
    assert sorted(dict(c_map.volumes)) == ["dbdata"] and "back" in dict(c_map.networks)
    # the including project's variables take precedence over the included project's env file
    (tmp_path / ".env").write_text("WHO=parent\n")
    assert load_compose(path, env={}, project_name="p").containers["db"].create_options["environment"] == {
        "WHO": "parent"
    }


def test_long_syntax_with_several_files_project_directory_and_env_file(tmp_path, database):
    write(database / "override.yaml", "services:\n  db:\n    labels: {extra: 'yes'}\n")
    write(tmp_path / "vars" / "db.env", "DB_TAG=from-long-syntax\n")
    path = write(
        tmp_path / "compose.yaml",
        """
        include:
          - path: [db/compose.yaml, db/override.yaml]
            project_directory: elsewhere
            env_file: vars/db.env
        services:
          web: {image: web, networks: [back]}
        """,
    )
    db = load_compose(path, env={}, project_name="p").containers["db"]
    assert db.image == "db:from-long-syntax"
    assert db.create_options["environment"] == {"WHO": "db-default"}
    assert db.create_options["labels"]["extra"] == "yes"
    assert [bind.host_path for bind in db.binds] == [str(tmp_path / "elsewhere" / "init")]


def test_nested_includes(tmp_path, database):
    write(
        tmp_path / "mid" / "compose.yaml", "include: [../db/compose.yaml]\nservices:\n  mid: {image: mid}\n"
    )
    path = write(tmp_path / "compose.yaml", "include: [mid/compose.yaml]\nservices:\n  web: {image: web}\n")
    c_map = load_compose(path, env={}, project_name="p")
    assert sorted(name for name, _ in c_map) == ["db", "mid", "web"]


def test_a_name_defined_on_both_sides_is_an_error_naming_both_files(tmp_path, database):
    path = write(
        tmp_path / "compose.yaml",
        """
        include:
          - db/compose.yaml
        services:
          db: {image: mine}
        volumes:
          dbdata: {driver: other}
        networks:
          back: {}
        """,
    )
    with pytest.raises(ComposeFileError) as info:
        load_compose(path, env={}, project_name="p")
    included = str(database / "compose.yaml")
    found = [(problem.line, problem.key, problem.message) for problem in info.value.problems]
    assert found == [
        (5, "services.db", f"also defined in {included}:3, which {path}:3 includes; rename one of them"),
        (7, "volumes.dbdata", f"also defined in {included}:9, which {path}:3 includes; rename one of them"),
    ]  # the network is defined the same way on both sides: no conflict


@pytest.mark.parametrize(
    "entry, message",
    [
        ("missing.yaml", "{dir}/missing.yaml: cannot read: No such file or directory"),
        (
            "{path: a.yaml, project_dir: x}",
            "unknown key 'project_dir'; valid keys are path, project_directory, env_file",
        ),
        ("{env_file: x.env}", "an include entry needs 'path'"),
        ("compose.yaml", "includes itself: {dir}/compose.yaml -> {dir}/compose.yaml"),
    ],
)
def test_include_entries_that_cannot_be_read(tmp_path, entry, message):
    path = write(tmp_path / "compose.yaml", f"include:\n  - {entry}\nservices:\n  web: {{image: web}}\n")
    with pytest.raises(ComposeFileError) as info:
        load_compose(path, env={}, project_name="p")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.key) == (path, 2, "include[0]")
    assert problem.message == message.format(dir=tmp_path)


def test_include_cycles_through_another_file(tmp_path):
    write(tmp_path / "other" / "compose.yaml", "include: [../compose.yaml]\nservices:\n  o: {image: o}\n")
    path = write(tmp_path / "compose.yaml", "include: [other/compose.yaml]\nservices:\n  web: {image: web}\n")
    with pytest.raises(ComposeFileError, match="includes itself: .*compose.yaml -> .*other/compose.yaml -> "):
        load_compose(path, env={}, project_name="p")
