"""The command's files: default names, override files and several Compose files merged (no engine)."""

from __future__ import annotations

import pytest

from dockermap.cli.inputs import InputError, _kind, find_files, load_inputs


@pytest.mark.parametrize(
    "present, expected",
    [
        (["compose.yaml"], ["compose.yaml"]),
        (["compose.yaml", "compose.override.yaml"], ["compose.yaml", "compose.override.yaml"]),
        (
            ["docker-compose.yml", "docker-compose.override.yml"],
            ["docker-compose.yml", "docker-compose.override.yml"],
        ),
        (["dockermap.yaml", "compose.yaml", "compose.override.yaml"], ["dockermap.yaml"]),
    ],
)
def test_default_files_with_their_override_file(tmp_path, present, expected):
    for name in present:
        (tmp_path / name).write_text("services: {}\n")
    assert find_files([], str(tmp_path)) == [str(tmp_path / name) for name in expected]
    assert find_files(["a.yaml", "b.yaml"], str(tmp_path)) == ["a.yaml", "b.yaml"]


def test_a_file_with_only_include_is_a_compose_file():
    assert _kind({"include": ["other/compose.yaml"]}) == "compose"


def test_several_compose_files_are_one_project_next_to_a_map_file(tmp_path):
    (tmp_path / "compose.yaml").write_text("name: proj\nservices:\n  web: {image: web, ports: ['80:80']}\n")
    (tmp_path / "override.yaml").write_text("services:\n  web:\n    ports: !reset []\n    image: web:2\n")
    (tmp_path / "map.yaml").write_text("name: other\napp: {image: app}\n")
    files = [str(tmp_path / name) for name in ("compose.yaml", "map.yaml", "override.yaml")]
    inputs = load_inputs(files)
    assert sorted(inputs.maps) == ["other", "proj"]
    web = inputs.maps["proj"].containers["web"]
    assert web.image == "web:2" and not web.exposes
    assert inputs.sources["proj"] == f"{files[0]}, {files[2]}"


def test_a_problem_in_the_second_compose_file_names_it(tmp_path):
    (tmp_path / "compose.yaml").write_text("services:\n  web: {image: web}\n")
    (tmp_path / "override.yaml").write_text("services:\n  web:\n    scale: 2\n")
    with pytest.raises(
        InputError, match=f"{tmp_path / 'override.yaml'}:3: services.web.scale: not supported"
    ):
        load_inputs([str(tmp_path / "compose.yaml"), str(tmp_path / "override.yaml")], project_name="p")
