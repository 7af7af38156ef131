"""YAML loading: maps, clients, tags and error reporting."""

from __future__ import annotations

import re
import textwrap
from typing import Any, List

import pytest
import yaml

from dockermap.functional import lazy_type, resolve_value
from dockermap.map.config.client import ClientConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.yaml import (
    MapLoader,
    YAMLLoadError,
    load_clients,
    load_clients_file,
    load_file,
    load_map,
    load_map_file,
    substitute_env,
)
from tests.helpers import REPO_ROOT

from .config.sample_maps import EXAMPLE_YAML, getting_started


def load_file_text(text: str) -> Any:
    """The data of a (dedented) YAML text, loaded with dockermap's loader."""
    return yaml.load(textwrap.dedent(text), Loader=MapLoader)


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("HOME", "/home/user")
    monkeypatch.setenv("DM_DIR", "/opt/dm")
    monkeypatch.setenv("DM_EMPTY", "")
    monkeypatch.delenv("DM_UNSET", raising=False)
    return monkeypatch


def test_getting_started_yaml_equals_python_map():
    assert load_map_file(str(EXAMPLE_YAML)) == ContainerMap("main", getting_started())


def test_map_name_sources(tmp_path):
    path = tmp_path / "site.yml"
    path.write_text("web: {image: nginx}\n")
    assert load_map_file(str(path), name="").name == "site"
    assert load_map_file(str(path), name="given").name == "given"
    with pytest.raises(YAMLLoadError, match="No map name provided"):
        load_map_file(str(path))


def test_name_key_is_dropped_when_name_is_given():
    c_map = load_map("name: doc\nweb: {image: nginx}\n", name="given")
    assert c_map.name == "given"
    assert c_map.get_existing("name") is None
    assert load_map("name: doc\nweb: {}\n").name == "doc"


def test_invalid_map_name():
    with pytest.raises(YAMLLoadError, match="Invalid map name 5"):
        load_map("name: 5\nweb: {}\n")


def test_map_errors_are_integrity_errors():
    with pytest.raises(MapIntegrityError, match="main.web.imgae: unknown key"):
        load_map("name: main\nweb: {imgae: x}\n")
    assert load_map("web: {links: x}", name="m", check_integrity=False).containers["web"].links == "x"


def test_path_tags(env):
    data = load_file_text(
        """
        a: !path ~/x
        b: !path [~/y, $DM_DIR/z, 5]
        c: !path {one: ~/one, two: $DM_DIR, three: 3}
        d: !path_lazy ~/lazy
        """
    )
    assert data["a"] == "/home/user/x"
    assert data["b"] == ["/home/user/y", "/opt/dm/z", 5]
    assert data["c"] == {"one": "/home/user/one", "two": "/opt/dm", "three": 3}
    assert isinstance(data["d"], lazy_type)
    env.setenv("HOME", "/later")
    assert data["d"].get() == "/later/lazy"


@pytest.mark.usefixtures("env")
def test_nested_tags():
    data = load_file_text(
        """
        host: !path
          a: ~/a
          b: !path_lazy ~/b
          c: !env "${DM_DIR}/c"
          d: !path {e: ~/e}
          f: [~/f]
        """
    )
    host = data["host"]
    assert host["a"] == "/home/user/a"
    assert isinstance(host["b"], lazy_type) and host["b"] == "/home/user/b"
    assert host["c"] == "/opt/dm/c"
    assert host["d"] == {"e": "/home/user/e"}
    assert host["f"] == ["~/f"]


@pytest.mark.usefixtures("env")
def test_nested_tags_in_a_map():
    c_map = load_map(
        """
        name: main
        web: {binds: data}
        volumes: !path {data: $DM_DIR/data}
        host: !path
          root: ~/site
          data: !path_lazy data
        """
    )
    assert c_map.volumes["data"].default_path == "/opt/dm/data"
    assert c_map.host.root == "/home/user/site"
    assert c_map.host.get_path("data") == "/home/user/site/data"


def test_container_name_in_a_map_file(env):
    c_map = load_map('name: main\nweb: {container_name: !env "web-${DM_DIR_NAME:-x}"}\ndb: {}\n')
    assert c_map.containers["web"].container_name == "web-x"
    assert c_map.get_extended_map().get_existing("web").container_name == "web-x"
    with pytest.raises(MapIntegrityError, match="main.web.container_name: Invalid container_name 5"):
        load_map("name: main\nweb: {container_name: 5}\n")


def test_env_tags(env):
    data = load_file_text(
        """
        a: !env "${DM_DIR}/x"
        b: !env "${DM_UNSET:-fallback}-${DM_EMPTY:-empty}-${DM_EMPTY}-$DM_DIR"
        c: !env ["${DM_DIR}", "${DM_UNSET:-}", 1]
        d: !env {k: "${HOME}", n: 2}
        e: !env_lazy "${DM_LATER}"
        """
    )
    assert data["a"] == "/opt/dm/x"
    assert data["b"] == "fallback-empty--$DM_DIR"
    assert data["c"] == ["/opt/dm", "", 1]
    assert data["d"] == {"k": "/home/user", "n": 2}
    env.setenv("DM_LATER", "late")
    assert data["e"].get() == "late"


@pytest.mark.usefixtures("env")
def test_env_unset_variable_names_variable_and_position():
    with pytest.raises(YAMLLoadError) as info:
        load_file_text("a: 1\nb: !env '${DM_UNSET}/x'\n")
    assert str(info.value) == (
        "Environment variable 'DM_UNSET' is not set (line 2, column 4); set it or use ${DM_UNSET:-default}."
    )
    lazy = load_file_text("a: !env_lazy '${DM_UNSET}'\n")["a"]
    with pytest.raises(YAMLLoadError, match="'DM_UNSET' is not set"):
        lazy.get()


@pytest.mark.usefixtures("env")
def test_env_unset_variable_in_file_names_the_file(tmp_path):
    path = tmp_path / "m.yml"
    path.write_text("web:\n  user: !env ${DM_UNSET}\n")
    with pytest.raises(YAMLLoadError, match=f"'DM_UNSET' is not set \\({path}, line 2, column 9\\)"):
        load_map_file(str(path), name="m")


@pytest.mark.parametrize(
    "text, message",
    [
        ("${1A}", "Invalid variable reference '${1A}'"),
        ("${}", "Invalid variable reference '${}'"),
        ("${A", "Unclosed variable reference"),
    ],
)
def test_env_malformed_references(text, message):
    with pytest.raises(YAMLLoadError, match=message.replace("$", "\\$").replace("{", "\\{")):
        substitute_env(text)


def test_syntax_error_names_file_line_and_column(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("name: x\nweb:\n  image: [nginx\n")
    with pytest.raises(YAMLLoadError) as info:
        load_map_file(str(path))
    assert str(info.value).startswith(
        f"{path}, line 4, column 1: invalid YAML: while parsing a flow sequence"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: !!python/object:os.system x", "line 1, column 4: Python object tags are not allowed"),
        ("a: !!python/name:os.system", "Python object tags are not allowed"),
        ("a: !custom x", "unknown tag '!custom'; supported tags are !path, !path_lazy, !env, !env_lazy"),
        ("- a", "Valid map could not be decoded: expected a mapping, found a list."),
        ("", "Valid map could not be decoded: expected a mapping, found an empty document."),
        ("a: 1\n---\nb: 2", "expected a single document"),
        ("? [a]\n: 1", "found unhashable key"),
        ("a: " + "[" * 5000, "invalid YAML"),
    ],
)
def test_refused_documents(text, message):
    with pytest.raises(
        YAMLLoadError, match=message.replace("[", "\\[").replace("(", "\\(").replace(")", "\\)")
    ):
        load_map(text, name="m")


def test_tags_are_not_registered_globally():
    import dockermap.map.yaml  # noqa: F401

    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load("a: !path ~/x")


def test_missing_file():
    with pytest.raises(YAMLLoadError, match="Cannot read /nonexistent/x.yml: No such file"):
        load_file("/nonexistent/x.yml")


def test_load_clients(tmp_path):
    text = (
        "one: {base_url: 'tcp://a:2375', version: '1.41', stop_timeout: 20,\n"
        "      interfaces: {private: 10.0.0.1}}\n"
        "two:\n"
    )
    clients = load_clients(text)
    assert clients["one"].base_url == "tcp://a:2375"
    assert clients["one"].get("stop_timeout") == 20
    assert clients["one"].interfaces == {"private": "10.0.0.1"}
    assert isinstance(clients["two"], ClientConfiguration)
    path = tmp_path / "clients.yml"
    path.write_text(text)
    assert load_clients_file(str(path)).keys() == {"one", "two"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("[1]", "Valid configuration could not be decoded"),
        ("one: [1]", "Client 'one': expected a mapping of settings."),
        ("one: {version: 1.41}", "Client 'one': Invalid Docker API version 1.41"),
        ("one: {self: 1}", "Client 'one': "),
        ("one: {interfaces: [1]}", "Client 'one': "),
    ],
)
def test_invalid_clients(text, message):
    with pytest.raises(YAMLLoadError, match=message.replace("[", "\\[")):
        load_clients(text)


def _guide_yaml_blocks() -> List[str]:
    text = (REPO_ROOT / "docs" / "guide-yaml.rst").read_text()
    blocks = re.findall(r"\.\. code-block:: yaml\n\n((?:    .*\n|\n)+)", text)
    return [textwrap.dedent(block) for block in blocks]


def test_yaml_guide_examples_load(monkeypatch):
    monkeypatch.delenv("UPLOAD_DIR", raising=False)
    monkeypatch.setenv("NGINX_VERSION", "1.27")
    complete_map, clients, tags = _guide_yaml_blocks()
    shop = load_map(complete_map)
    assert shop.name == "shop"
    assert shop.get_image("/local/shop-app") == ("local/shop-app", "2.1")
    assert sorted(name for name, _ in shop) == ["app", "db", "web"]
    assert load_clients(clients)["web1"].get("stop_timeout") == 20
    tagged = load_map(tags, name="tags")
    assert tagged.host["uploads"] == "/srv/uploads"
    assert tagged.containers["web"].image == "nginx:1.27"


@pytest.fixture
def safe_loader_tags():
    """Registers tags on ``yaml.SafeLoader`` as classic-library code does; removes them afterwards."""
    added = []

    def register(tag, constructor):
        yaml.add_constructor(tag, constructor, Loader=yaml.SafeLoader)
        added.append(tag)

    yield register
    for tag in added:
        del yaml.SafeLoader.yaml_constructors[tag]


def test_tags_registered_on_safe_loader_work_and_take_precedence(safe_loader_tags, env):
    env.setenv("HOME_DIR", "/srv")
    safe_loader_tags("!secret", lambda loader, node: f"<{loader.construct_scalar(node)}>")
    safe_loader_tags("!env", lambda loader, node: f"user:{loader.construct_scalar(node)}")
    document = load_file_text("a: !secret db\nb: !env HOME_DIR\nc: !env_lazy ${HOME_DIR}\n")
    assert document["a"] == "<db>"
    assert document["b"] == "user:HOME_DIR"
    assert resolve_value(document["c"]) == "/srv"


def test_tags_registered_on_the_map_loader_take_precedence():
    class Loader(MapLoader):
        pass

    Loader.add_constructor("!path", lambda loader, node: "mine")
    assert yaml.load("a: !path ~/x", Loader=Loader) == {"a": "mine"}
    assert yaml.load("a: !path /x", Loader=MapLoader) == {"a": "/x"}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"name: m\nweb:\n  image: caf\xe9\n", "line 3, column 13: invalid UTF-8 \\(byte 0xe9\\)"),
        (b"\xef\xbb\xbfa: 1\nb: \xff", "line 2, column 4: invalid UTF-8 \\(byte 0xff\\)"),
        ("a: 1\nb: x\x07y\n", "line 2, column 5: invalid YAML: character #x0007"),
        (
            "web:\n  image: a\n  user: x\n  image: b\n",
            "line 4, column 3: duplicate key 'image' in one mapping \\(first at line 2, column 3\\)",
        ),
        ("a: 1\nb: 2\na: 3\n", "line 3, column 1: duplicate key 'a'"),
        ("web: &w\n  links: [*w]\n", "line 2, column 11: alias \\*w refers to a node that contains it"),
        ("a: &l [1, [2, *l]]\n", "line 1, column 15: alias \\*l refers to a node that contains it"),
    ],
)
def test_each_failure_names_its_position(tmp_path, data, message):
    path = tmp_path / "map.yml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    with pytest.raises(YAMLLoadError, match=f"^{re.escape(str(path))}, {message}"):
        load_map_file(str(path), name="m")


def test_merge_keys_and_aliases_outside_their_node_are_no_duplicates():
    document = load_file_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\nd: *b\n")
    assert document == {"base": {"x": 1, "y": 2}, "c": {"x": 3, "y": 2}, "d": {"x": 1, "y": 2}}


def test_named_and_external_volumes_and_networks_in_yaml():
    c_map = load_map(
        """
        name: site
        volumes:
          media: {default_path: /media, name: shared-media, external: true}
        networks:
          edge: {name: edge-net, external: true}
        web: {attaches: media, networks: edge}
        """.replace("\n        ", "\n")
    )
    assert (c_map.volumes["media"].name, c_map.volumes["media"].external) == ("shared-media", True)
    assert (c_map.networks["edge"].name, c_map.networks["edge"].external) == ("edge-net", True)


SAME_EITHER_WAY = [
    EXAMPLE_YAML.read_text(),
    "base: &b {x: 1, y: [a, b]}\nc:\n  <<: *b\n  x: !env '${DM_SET:-other}'\nd: *b\ne: !path [~/x, !env y]\n",
    "a: 'quoted: yes'\nb: |\n  two\n  lines\nc: 0o17\nd: 1e3\ne: ~\nf: 2001-12-14\n",
]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML without libyaml has only one parser")
@pytest.mark.parametrize("text", SAME_EITHER_WAY)
def test_libyaml_events_give_the_same_document_as_the_python_parser(text, monkeypatch, tmp_path):
    path = tmp_path / "m.yml"
    path.write_text(text)
    parsers: List[Any] = []
    real = yaml.cyaml.CParser
    monkeypatch.setattr(yaml.cyaml, "CParser", lambda source: parsers.append(source) or real(source))
    fast = load_file(str(path))
    assert len(parsers) == 1
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    assert fast == load_file(str(path))
    assert len(parsers) == 1


@pytest.mark.parametrize("text", ["a: [1\n", "a: b: c\n", "a:\n\t- b\n"])
def test_a_document_libyaml_rejects_gets_the_python_parsers_error(text, monkeypatch, tmp_path):
    path = tmp_path / "m.yml"
    path.write_text(text)
    with pytest.raises(YAMLLoadError) as fast:
        load_file(str(path))
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    with pytest.raises(YAMLLoadError) as slow:
        load_file(str(path))
    assert str(fast.value) == str(slow.value)
