"""Several Compose files merged with Compose's rules (no engine)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import List

import pytest

from dockermap.compose import ComposeFileError, load_compose
from dockermap.compose.model import load_model
from dockermap.compose.variables import chain


def write_files(directory: Path, *texts: str) -> List[str]:
    paths = []
    for index, text in enumerate(texts):
        path = directory / f"file{index}.yaml"
        path.write_text(textwrap.dedent(text))
        paths.append(str(path))
    return paths


def merged(directory: Path, *texts: str) -> dict:
    problems: list = []
    model = load_model(write_files(directory, *texts), str(directory), chain({}), problems)
    assert problems == []
    return model


BASE = """
    services:
      web:
        image: web:1
        command: [serve, --port, "80"]
        entrypoint: /entry.sh
        ports: ["8080:80", "127.0.0.1:9000:9000", "53:53/udp"]
        expose: ["3000"]
        dns: 10.0.0.1
        volumes: ["data:/work", "./conf:/etc/app:ro"]
        environment: [MODE=base, KEEP=yes]
        labels: {tier: web}
        healthcheck: {test: [CMD, check], interval: 10s}
        depends_on: [db]
        networks: [front]
        extra_hosts: ["db.local:10.0.0.3"]
        cap_add: [NET_ADMIN]
      db:
        image: db
    volumes:
      data: {}
"""

CASES = [
    pytest.param(
        "services: {web: {image: web:2, user: '1000'}}",
        {"image": "web:2", "user": "1000", "entrypoint": "/entry.sh"},
        id="scalars-replaced-and-added",
    ),
    pytest.param(
        "services: {web: {command: serve --debug, entrypoint: [/other.sh]}}",
        {"command": "serve --debug", "entrypoint": ["/other.sh"]},
        id="command-and-entrypoint-replaced",
    ),
    pytest.param(
        'services: {web: {ports: ["8080:80", {target: 9000, published: "9000", host_ip: 127.0.0.1,'
        ' protocol: tcp}, "8443:443"]}}',
        {
            "ports": [
                "8080:80",
                {"target": 9000, "published": "9000", "host_ip": "127.0.0.1", "protocol": "tcp"},
                "53:53/udp",
                "8443:443",
            ]
        },
        id="ports-unique-by-address-port-and-protocol",
    ),
    pytest.param(
        'services: {web: {expose: [3000/tcp, "4000"], dns: [10.0.0.1, 10.0.0.2], cap_add: [SYS_TIME]}}',
        {
            "expose": ["3000/tcp", "4000"],
            "dns": ["10.0.0.1", "10.0.0.2"],
            "cap_add": ["NET_ADMIN", "SYS_TIME"],
        },
        id="sequences-appended-without-duplicates",
    ),
    pytest.param(
        'services: {web: {volumes: ["other:/work", {type: tmpfs, target: /tmp}]}}',
        {"volumes": ["other:/work", "./conf:/etc/app:ro", {"type": "tmpfs", "target": "/tmp"}]},
        id="volumes-merged-by-target",
    ),
    pytest.param(
        "services: {web: {environment: {MODE: override, NEW: '1'}, labels: [tier=front, extra]}}",
        {
            "environment": {"MODE": "override", "KEEP": "yes", "NEW": "1"},
            "labels": {"tier": "front", "extra": None},
        },
        id="environment-and-labels-merged-as-mappings-whatever-their-syntax",
    ),
    pytest.param(
        "services: {web: {extra_hosts: {db.local: 10.0.0.4, cache: 10.0.0.5}}}",
        {"extra_hosts": {"db.local": "10.0.0.4", "cache": "10.0.0.5"}},
        id="extra-hosts-merged-by-host",
    ),
    pytest.param(
        "services: {web: {healthcheck: {test: [CMD, other], retries: 3}}}",
        {"healthcheck": {"test": ["CMD", "other"], "interval": "10s", "retries": 3}},
        id="healthcheck-merged-test-replaced",
    ),
    pytest.param(
        "services: {web: {depends_on: {cache: {condition: service_started}},"
        " networks: {back: {aliases: [api]}}}}",
        {
            "depends_on": {"db": {"condition": "service_started"}, "cache": {"condition": "service_started"}},
            "networks": {"front": None, "back": {"aliases": ["api"]}},
        },
        id="depends-on-and-networks-merged-by-name",
    ),
    pytest.param(
        "services: {web: {ports: !reset [], environment: {MODE: !reset null}, dns: !reset null}}",
        {"ports": None, "environment": {"KEEP": "yes"}, "dns": None},
        id="reset-removes",
    ),
    pytest.param(
        'services: {web: {ports: !override ["8443:443"], labels: !override {only: this}}}',
        {"ports": ["8443:443"], "labels": {"only": "this"}},
        id="override-replaces",
    ),
]


@pytest.mark.parametrize("override, expected", CASES)
def test_an_override_file_over_the_base(tmp_path, override, expected):
    web = merged(tmp_path, BASE, override)["services"]["web"]
    for key, value in expected.items():
        if value is None:
            assert key not in web
        else:
            assert web[key] == value, key


def test_new_services_and_resources_are_added_and_three_files_apply_in_order(tmp_path):
    model = merged(
        tmp_path,
        BASE,
        "services: {cache: {image: cache}}\nvolumes: {data: {driver: local}, more: {}}",
        "services: {cache: {image: cache:2}}\nname: last",
    )
    assert list(model["services"]) == ["web", "db", "cache"]
    assert model["services"]["cache"] == {"image": "cache:2"}
    assert model["volumes"] == {"data": {"driver": "local"}, "more": {}}
    assert model["name"] == "last"


def test_reset_and_override_in_a_single_file_only_drop_their_tags(tmp_path):
    web = merged(tmp_path, "services: {web: {image: w, ports: !reset ['80:80'], dns: !override [1.1.1.1]}}")
    assert web["services"]["web"] == {"image": "w", "dns": ["1.1.1.1"]}


def test_several_files_as_a_container_map(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / ".env").write_text("TAG=7\n")
    base = project / "compose.yaml"
    base.write_text("services:\n  web:\n    image: web:${TAG}\n    environment: [A=1]\n")
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    override = elsewhere / "override.yaml"
    # the override's relative paths are relative to the project directory (the first file's)
    override.write_text("services:\n  web:\n    environment: {B: '2'}\n    volumes: [./conf:/conf]\n")
    c_map = load_compose([base, str(override)], env={})
    web = c_map.containers["web"]
    assert c_map.name == "proj" and web.image == "web:7"
    assert web.create_options["environment"] == {"A": "1", "B": "2"}
    assert [(b.path, b.host_path) for b in web.binds] == [("/conf", str(project / "conf"))]
    assert load_compose(str(base), env={}).containers["web"].create_options["environment"] == {"A": "1"}


def test_problems_name_the_file_and_line_of_the_offending_value(tmp_path):
    base, override = write_files(
        tmp_path,
        "services:\n  web:\n    image: web\n    ports: ['8080:80']\n",
        "services:\n  web:\n\n    ports: ['9090:90', '91']\n    scale: 2\n  db:\n    imgae: typo\n",
    )
    with pytest.raises(ComposeFileError) as info:
        load_compose([base, override], env={}, project_name="p")
    found = {(problem.file, problem.line, problem.key) for problem in info.value.problems}
    assert found == {
        (override, 4, "services.web.ports[2]"),
        (override, 5, "services.web.scale"),
        (override, 7, "services.db.imgae"),
        (override, 6, "services.db"),  # no image
    }


def test_variables_are_interpolated_in_every_file_and_errors_point_there(tmp_path):
    base, override = write_files(
        tmp_path,
        "services:\n  web:\n    image: web:${TAG}\n",
        "services:\n  web:\n    user: ${NEEDED:?set it}\n",
    )
    with pytest.raises(ComposeFileError) as info:
        load_compose([base, override], env={"TAG": "1"}, project_name="p")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.key) == (override, 3, "services.web.user")
    web = load_compose([base, override], env={"TAG": "1", "NEEDED": "42"}, project_name="p").containers["web"]
    assert (web.image, web.create_options["user"]) == ("web:1", "42")
