"""load_compose: Compose files as container maps (no engine)."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest

from dockermap.compose import ComposeFileError, load_compose
from dockermap.map.desired import DesiredBuilder
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import ItemType, MapConfigId


def write(directory: Path, text: str, name: str = "compose.yaml") -> str:
    path = directory / name
    path.write_text(textwrap.dedent(text))
    return str(path)


def load(directory: Path, text: str, **kwargs):
    kwargs.setdefault("env", {})
    return load_compose(write(directory, text), **kwargs)


def problems(directory: Path, text: str, **kwargs) -> list:
    with pytest.raises(ComposeFileError) as info:
        load(directory, text, **kwargs)
    return [str(problem).split(": ", 1)[1] for problem in info.value.problems]


def test_common_service_keys(tmp_path):
    c_map = load(
        tmp_path,
        """
        name: shop
        services:
          web:
            image: nginx:1.25
            command: nginx -g 'daemon off;'
            entrypoint: [/docker-entrypoint.sh]
            user: "101:101"
            working_dir: /srv
            hostname: front
            labels: [tier=web, bare]
            environment: [MODE=prod, FROM_ENV, NOT_SET]
            restart: on-failure:3
            stop_signal: SIGQUIT
            stop_grace_period: 1m30s
            cap_add: [NET_ADMIN]
            cap_drop: ALL
            dns: 10.0.0.2
            extra_hosts: ["db.local:10.0.0.3", "other=10.0.0.4"]
            ulimits: {nofile: {soft: 1024, hard: 2048}, nproc: 512}
            sysctls: {net.core.somaxconn: 1024}
            init: true
            read_only: true
            privileged: false
            shm_size: 64m
            mem_limit: 1g
            cpus: 0.5
            tty: true
            x-ignored: anything
        """,
        env={"FROM_ENV": "here"},
    )
    web = c_map.containers["web"]
    assert c_map.name == "shop" and web.image == "nginx:1.25"
    assert web.stop_signal == "SIGQUIT" and web.stop_timeout == 90
    assert web.create_options == {
        "command": ["nginx", "-g", "daemon off;"],
        "entrypoint": ["/docker-entrypoint.sh"],
        "user": "101:101",
        "working_dir": "/srv",
        "hostname": "front",
        "labels": {
            "tier": "web",
            "bare": "",
            "com.docker.compose.project": "shop",
            "com.docker.compose.service": "web",
            "com.docker.compose.oneoff": "False",
            "com.docker.compose.config-hash": hashlib.sha256(b"shop/web").hexdigest(),
        },
        "environment": {"MODE": "prod", "FROM_ENV": "here"},
        "tty": True,
    }
    assert web.host_config == {
        "restart_policy": {"Name": "on-failure", "MaximumRetryCount": 3},
        "cap_add": ["NET_ADMIN"],
        "cap_drop": ["ALL"],
        "dns": ["10.0.0.2"],
        "extra_hosts": {"db.local": "10.0.0.3", "other": "10.0.0.4"},
        "ulimits": [
            {"name": "nofile", "soft": 1024, "hard": 2048},
            {"name": "nproc", "soft": 512, "hard": 512},
        ],
        "sysctls": {"net.core.somaxconn": "1024"},
        "init": True,
        "read_only": True,
        "privileged": False,
        "shm_size": 64 * 1024**2,
        "mem_limit": 1024**3,
        "nano_cpus": 500_000_000,
    }
    assert c_map.set_hostname is False


def test_ports_expose_and_healthcheck_become_engine_arguments(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          web:
            image: web
            expose: ["9000", 53/udp]
            ports: ["127.0.0.1:8080:80", "8443:443", {target: 81, published: "8081", host_ip: "::1"}]
            healthcheck: {test: [CMD, wget, -q, localhost], interval: 1m30s, timeout: 500ms, retries: 3,
                          start_period: 2s}
            restart: always
        """,
        project_name="p",
    )
    ext = c_map.get_extended_map()
    record = DesiredBuilder({"p": ext}, {}).container(
        "__default__", MapConfigId(ItemType.CONTAINER, "p", "web")
    )
    assert record.host_config["port_bindings"] == {80: ("127.0.0.1", 8080), 443: 8443, 81: ("::1", 8081)}
    assert set(record.published) == {
        ("80/tcp", "127.0.0.1", "8080"),
        ("443/tcp", "0.0.0.0", "8443"),
        ("81/tcp", "::1", "8081"),
    }
    assert record.create_kwargs["healthcheck"] == {
        "test": ["CMD", "wget", "-q", "localhost"],
        "interval": 90 * 10**9,
        "timeout": 500 * 10**6,
        "retries": 3,
        "start_period": 2 * 10**9,
    }
    assert record.updatable["restart_policy"] == {"Name": "always", "MaximumRetryCount": 0}
    assert ("53", "udp") in record.create_kwargs["ports"] and 9000 in record.create_kwargs["ports"]


def test_volumes_binds_tmpfs_and_the_owner_of_a_shared_volume(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          app:
            image: app
            depends_on: [db]
            volumes:
              - data:/app/data:ro
              - ./conf:/etc/app:ro
              - /var/cache/app
              - {type: tmpfs, target: /run, tmpfs: {size: 1000000}}
          db:
            image: db
            volumes: [{type: volume, source: data, target: /var/lib/db}, "~/dumps:/dumps"]
            tmpfs: /tmp
        volumes:
          data: {driver: local, driver_opts: {type: tmpfs, device: tmpfs}, labels: {backup: "no"}}
        """,
        project_name="p",
    )
    app, db = c_map.containers["app"], c_map.containers["db"]
    # db starts first (app depends on it), so it attaches the volume and app uses it
    assert [(v.name, v.path) for v in db.attaches] == [("data", "/var/lib/db")]
    assert [(v.name, v.path, v.readonly) for v in app.uses] == [("data", "/app/data", True)]
    assert [(b.path, b.host_path, b.readonly) for b in app.binds] == [
        ("/etc/app", str(tmp_path / "conf"), True)
    ]
    assert db.binds[0].host_path == str(Path("~/dumps").expanduser())
    assert list(app.shares) == ["/var/cache/app"]
    assert app.host_config == {"tmpfs": {"/run": "size=1000000"}}
    assert db.host_config == {"tmpfs": {"/tmp": ""}}
    volume = c_map.volumes["data"]
    assert volume.driver_options == {"type": "tmpfs", "device": "tmpfs"}
    assert volume.create_options == {
        "labels": {"backup": "no", "com.docker.compose.project": "p", "com.docker.compose.volume": "data"}
    }


def test_networks_aliases_addresses_and_modes(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          web:
            image: web
          api:
            image: api
            networks:
              back: {aliases: [service], ipv4_address: 10.5.0.9}
              front:
          sidecar:
            image: side
            network_mode: service:api
          tool:
            image: tool
            network_mode: host
        networks:
          back:
            internal: true
            ipam: {config: [{subnet: 10.5.0.0/24}]}
          front: {}
        """,
        project_name="p",
    )
    web, api = c_map.containers["web"], c_map.containers["api"]
    assert [(e.network_name, e.aliases) for e in web.networks] == [("default", ["web"])]
    assert [(e.network_name, e.aliases, e.ipv4_address) for e in api.networks] == [
        ("back", ["api", "service"], "10.5.0.9"),
        ("front", ["api"], None),
    ]
    assert c_map.containers["sidecar"].network_mode == ("api", None)
    assert c_map.containers["tool"].network_mode == "host"
    assert sorted(dict(c_map.networks)) == ["back", "default", "front"]
    assert c_map.networks["back"].internal is True
    assert c_map.networks["back"].create_options == {
        "labels": {"com.docker.compose.project": "p", "com.docker.compose.network": "back"},
        "ipam": {"Driver": "default", "Config": [{"Subnet": "10.5.0.0/24"}], "Options": {}},
    }
    assert c_map.naming == "compose"


def test_depends_on_replicas_and_profiles(tmp_path):
    text = """
        services:
          db: {image: db}
          web:
            image: web
            depends_on: {db: {condition: service_started}}
            deploy: {replicas: 3, resources: {limits: {memory: 512m}}}
          debug: {image: debug, profiles: [dev]}
    """
    c_map = load(tmp_path, text, project_name="p")
    assert list(c_map.containers["web"].depends_on) == ["db"]
    assert list(c_map.containers["web"].instances) == ["1", "2", "3"]
    assert c_map.containers["web"].host_config == {"mem_limit": 512 * 1024**2}
    assert sorted(name for name, _ in c_map) == ["db", "web"]
    with_dev = load(tmp_path, text, project_name="p", env={"COMPOSE_PROFILES": "dev,other"})
    assert sorted(name for name, _ in with_dev) == ["db", "debug", "web"]


def test_container_name_is_the_engine_name_of_the_service(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          db: {image: db, container_name: shop-database}
          web: {image: web, links: [db], network_mode: "service:db", depends_on: [db]}
        """,
        project_name="p",
    )
    assert c_map.containers["db"].container_name == "shop-database"
    builder = DesiredBuilder({"p": c_map.get_extended_map()}, {})
    db = builder.get("__default__", MapConfigId(ItemType.CONTAINER, "p", "db"))
    web = builder.get("__default__", MapConfigId(ItemType.CONTAINER, "p", "web"))
    assert (db.name, web.name) == ("shop-database", "p-web-1")
    assert web.host_config["network_mode"] == "container:shop-database"
    assert web.after == ["shop-database"]


def test_container_name_names_one_container(tmp_path):
    assert problems(
        tmp_path,
        """
        services:
          web: {image: web, container_name: web, deploy: {replicas: 2}}
          db: {image: db, container_name: "my db"}
          one: {image: one, container_name: x, deploy: {replicas: 1}}
        """,
    ) == [
        "services.web.container_name: names one container, but deploy.replicas asks for 2; "
        "remove one of them",
        "services.db.container_name: the engine refuses the container name 'my db': names must have at least "
        "two characters, start with a letter or digit and contain only letters, digits, '_', '.' and '-'",
        "services.one.container_name: the engine refuses the container name 'x': names must have at least "
        "two characters, start with a letter or digit and contain only letters, digits, '_', '.' and '-'",
    ]


def test_container_name_colliding_with_another_service(tmp_path):
    with pytest.raises(MapIntegrityError) as info:
        load(
            tmp_path, "services:\n  a: {image: a, container_name: p-b-1}\n  b: {image: b}\n", project_name="p"
        )
    assert [str(problem) for problem in info.value.problems] == [
        "p.b: the container 'b' would get the container name 'p-b-1', the same as the container 'a' of p.a; "
        "rename one of them"
    ]


def test_names_of_volumes_and_networks_the_engine_refuses(tmp_path):
    text = """
        services:
          web: {image: web, volumes: [data:/d, x:/x], networks: [front, back]}
        volumes:
          data: {name: "shop data"}
          x: {name: x}
        networks:
          front: {name: "  "}
          back: {name: bridge}
        """
    with pytest.raises(ComposeFileError) as info:
        load(tmp_path, text)
    rule = "names must have at least two characters, start with a letter or digit and contain only letters, "
    rule += "digits, '_', '.' and '-'"
    assert [(problem.line, problem.key, problem.message) for problem in info.value.problems] == [
        (5, "volumes.data.name", f"the engine refuses the volume name 'shop data': {rule}"),
        (6, "volumes.x.name", f"the engine refuses the volume name 'x': {rule}"),
        (
            8,
            "networks.front.name",
            "the engine refuses the network name '  ': it must contain more than white space",
        ),
        (
            9,
            "networks.back.name",
            "'bridge' is one of the engine's own networks, which cannot be created; "
            "set 'external: true' to join it",
        ),
    ]


def test_names_of_volumes_and_networks_the_engine_takes(tmp_path):
    """Another volume driver judges its names itself, an external item is only looked up, and the engine
    takes any network name but white space and its own networks."""
    c_map = load(
        tmp_path,
        """
        services:
          web: {image: web, volumes: [plugged:/p, own:/o], networks: [edge, outside]}
        volumes:
          plugged: {driver: cloud, name: "cloud data/1"}
          own: {name: shop/own, external: true}
        networks:
          edge: {name: "shop edge/1"}
          outside: {name: bridge, external: true}
        """,
        project_name="p",
    )
    assert [(alias, config.name) for alias, config in c_map.volumes.items()] == [
        ("plugged", "cloud data/1"),
        ("own", "shop/own"),
    ]
    assert (c_map.networks["edge"].name, c_map.networks["outside"].name) == ("shop edge/1", "bridge")


def test_project_name_and_variables(tmp_path):
    project = tmp_path / "My_Shop.2"
    project.mkdir()
    (project / ".env").write_text("TAG=from-dotenv\nNAME_FROM_FILE=dotenv\nCOMPOSE_PROJECT_NAME=\n")
    path = write(project, "services:\n  web: {image: 'web:${TAG}'}\n")
    assert load_compose(path, env={}).name == "my_shop2"
    assert load_compose(path, env={}).containers["web"].image == "web:from-dotenv"
    assert load_compose(path, env={"TAG": "shell"}).containers["web"].image == "web:shell"
    assert load_compose(path, env={"COMPOSE_PROJECT_NAME": "env-name"}).name == "env-name"
    assert load_compose(path, project_name="given", env={}).name == "given"
    other = project / "other.env"
    other.write_text("TAG=other\n")
    assert load_compose(path, env={}, env_files=[str(other)]).containers["web"].image == "web:other"
    other.write_text("TAG=${BASE}-other\n")  # an environment variable used in an env file
    assert (
        load_compose(path, env={"BASE": "b"}, env_files=[str(other)]).containers["web"].image == "web:b-other"
    )
    named = write(project, "name: from-file\nservices:\n  web: {image: web}\n", "named.yaml")
    assert load_compose(named, env={}).name == "from-file"
    with pytest.raises(ComposeFileError, match="invalid project name 'Bad Name'"):
        load_compose(named, project_name="Bad Name", env={})


def test_every_unsupported_or_unknown_key_in_one_error_with_its_line(tmp_path):
    found = problems(
        tmp_path,
        """
        services:
          web:
            image: web
            build: {context: ., ssh: [default]}
            cgroup_parent: fixed
            imgae: typo
            links: [nowhere]
            ports: ["80"]
            volumes: [undeclared:/x, "/a:/b:z"]
            depends_on: {db: {condition: service_ready, restart: true}}
            environment: ["A=${REQUIRED:?set REQUIRED}"]
            networks: [missing]
            healthcheck: {disable: true}
          db:
            image: db
            deploy: {placement: {constraints: [x]}}
            x-fine: 1
            secrets: [token, {source: key, mode: 0o400}, undeclared]
        secrets: {token: {environment: TOKEN}, key: {file: ./key}}
        volumes:
          ext: {external: true, driver: local}
        x-anchors: {a: 1}
        """,
    )
    assert found == [
        "services.web.build.ssh: not supported by dockermap",
        "services.web.cgroup_parent: not supported by dockermap",
        "services.web.imgae: unknown key; did you mean 'image'?",
        "services.web.links[0]: 'nowhere' is not a service",
        "services.web.ports[0]: '80' publishes on a random host port, which dockermap does not support; give "
        "the host port or use 'expose'",
        "services.web.volumes[0]: volume 'undeclared' is not declared in the top-level 'volumes'",
        "services.web.volumes[1]: mode 'z' of '/a:/b:z' is not supported (ro or rw)",
        "services.web.depends_on.db.condition: expected one of service_started, service_healthy, "
        "service_completed_successfully, found 'service_ready'",
        "services.web.depends_on.db.restart: not supported by dockermap: restarting this service when its "
        "dependency restarts; remove 'restart' or set it to false",
        "services.web.environment[0]: required variable 'REQUIRED' is missing a value: set REQUIRED",
        "services.web.networks.missing: not declared in the top-level 'networks'",
        "services.web.healthcheck: disabling the image's health check is not supported by dockermap",
        "services.db.deploy.placement: not supported by dockermap",
        "services.db.secrets[1]: uid, gid and mode are not supported by dockermap: the mounted file keeps "
        "the owner and mode of the host file",
        "services.db.secrets[2]: 'undeclared' is not declared in the top-level 'secrets'",
        "secrets.token.environment: not supported by dockermap: only secrets read from a 'file'",
        "secrets.key.file: './key' is not a file",
        "volumes.ext.driver: cannot be set on an external volume: it is made outside the project",
    ]


def test_problems_carry_file_and_line(tmp_path):
    with pytest.raises(ComposeFileError) as info:
        load(tmp_path, "services:\n  web:\n    image: web\n\n    scale: 2\n")
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.key) == (
        str(tmp_path / "compose.yaml"),
        5,
        "services.web.scale",
    )
    assert str(problem) == f"{tmp_path / 'compose.yaml'}:5: services.web.scale: not supported by dockermap"
    assert "1 problem(s) in Compose file" in str(info.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("services: [\n", "2: invalid YAML"),
        ("- a list\n", "expected a mapping with 'services'"),
        ("services: {}\n", "services: a Compose file needs at least one service"),
        ("services:\n  web: {image: w, depends_on: [nope]}\n", "'nope' is not a service"),
    ],
)
def test_malformed_files(tmp_path, text, message):
    with pytest.raises(ComposeFileError, match=message):
        load(tmp_path, text)


def test_scalars_read_as_yaml_1_2_like_compose(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          web:
            image: web
            restart: no
            init: true
            ports: [8080:80]
            cpus: 1.5
            pids_limit: 0x10
            environment: {DEBUG: yes, QUIET: off, ON: on, OCTAL: 0o17}
        """,
        project_name="p",
    )
    web = c_map.containers["web"]
    assert web.create_options["environment"] == {
        "DEBUG": "yes",
        "QUIET": "off",
        "ON": "on",
        "OCTAL": "15",
    }
    assert web.host_config == {"init": True, "nano_cpus": 1_500_000_000, "pids_limit": 16}
    assert [(port.exposed_port, port.host_port) for port in web.exposes] == [(80, 8080)]
