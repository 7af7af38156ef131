"""The ``build`` setting: accepted forms, errors naming map, configuration and key, relative contexts."""

from __future__ import annotations

import pytest

from dockermap.functional import lazy_once
from dockermap.map.config.main import ContainerMap
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import BuildSettings, get_build
from dockermap.map.input.build import relative_to
from dockermap.map.yaml import load_map, load_map_file


def test_a_string_is_the_context():
    assert get_build("app") == BuildSettings("app")
    assert get_build("app") == ("app", None, {}, None, {}, False, False)


def test_the_mapping_form():
    settings = get_build(
        {
            "context": "app",
            "dockerfile": "docker/Dockerfile.prod",
            "args": ["VERSION=1.2", "EMPTY="],
            "target": "runtime",
            "labels": {"tier": "web", "release": 3, "stable": True},
            "pull": True,
            "nocache": True,
        }
    )
    assert settings == BuildSettings(
        "app",
        "docker/Dockerfile.prod",
        {"VERSION": "1.2", "EMPTY": ""},
        "runtime",
        {"tier": "web", "release": "3", "stable": "true"},
        True,
        True,
    )
    assert get_build(settings) is settings


def test_lazy_values_are_kept():
    context = lazy_once(str, "app")
    settings = get_build({"context": context, "args": {"A": context}})
    assert settings.context is context and settings.args["A"] is context


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"contxt": "app"}, "unknown key 'contxt'; did you mean 'context'?"),
        ({"dockerfile": "Dockerfile"}, "context is missing"),
        ({"context": ""}, "context must be a non-empty string"),
        (
            {"context": "app", "dockerfile": "../Dockerfile"},
            "dockerfile must be a file path inside the context",
        ),
        (
            {"context": "app", "dockerfile": "/abs/Dockerfile"},
            "dockerfile must be a file path inside the context",
        ),
        ({"context": "app", "args": ["NOVALUE"]}, "args must be a mapping or a list of 'NAME=value' strings"),
        ({"context": "app", "args": {"A": [1]}}, r"args.A must be a string, a number or a lazy value"),
        ({"context": "app", "labels": "x=y"}, "labels must be a mapping or a list"),
        ({"context": "app", "pull": "yes"}, "pull must be true or false"),
        ({"context": "app", "target": 3}, "target must be a non-empty string"),
        (5, "Invalid build 5: expected a context directory, or a mapping"),
    ],
)
def test_malformed_values_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        get_build(value)


def test_problems_name_map_configuration_and_key():
    with pytest.raises(MapIntegrityError) as info:
        ContainerMap("main", {"web": {"build": {"context": "app", "nocahe": True}}, "db": {"build": ["x"]}})
    locations = {problem.location: problem.message for problem in info.value.problems}
    assert locations["main.web.build"] == "unknown key 'nocahe'; did you mean 'nocache'?"
    assert locations["main.db.build"].startswith("Invalid build ['x']")


def test_as_dict_reads_back_and_extends_replaces():
    c_map = ContainerMap(
        "main",
        {
            "base": {"abstract": True, "build": {"context": "base", "args": {"A": "1"}}},
            "web": {"extends": "base", "build": "web"},
            "worker": {"extends": "base"},
        },
    )
    assert ContainerMap("main", c_map.as_dict()) == c_map
    extended = c_map.get_extended_map()
    assert extended.containers["web"].build == BuildSettings("web")
    assert extended.containers["worker"].build == BuildSettings("base", args={"A": "1"})
    assert BuildSettings("base", args={"A": "1"})._asdict() == {"context": "base", "args": {"A": "1"}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("app", "/srv/maps/app"),
        ("/abs", "/abs"),
        ({"context": "app", "target": "t"}, {"context": "/srv/maps/app", "target": "t"}),
        (BuildSettings("../app/"), BuildSettings("/srv/app")),
        ({"dockerfile": "x"}, {"dockerfile": "x"}),
        (5, 5),
    ],
)
def test_relative_to(value, expected):
    assert relative_to(value, "/srv/maps") == expected


def test_yaml_file_contexts_are_relative_to_the_file(tmp_path):
    (tmp_path / "maps").mkdir()
    path = tmp_path / "maps" / "main.yaml"
    path.write_text(
        "name: main\nweb: {build: app}\napi: {build: {context: ../api, dockerfile: D}}\nabs: {build: /x}\n"
    )
    c_map = load_map_file(str(path))
    assert c_map.containers["web"].build == BuildSettings(str(tmp_path / "maps" / "app"))
    assert c_map.containers["api"].build == BuildSettings(str(tmp_path / "api"), "D")
    assert c_map.containers["abs"].build == BuildSettings("/x")


def test_yaml_text_contexts_stay_relative_to_the_current_directory():
    c_map = load_map("name: main\nweb: {build: app}\n")
    assert c_map.containers["web"].build == BuildSettings("app")
