"""load_compose: dependency conditions, links, secrets and configs of services (no engine)."""

from __future__ import annotations

from dockermap.map.desired import DesiredBuilder
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.readiness import Readiness, get_readiness

from .test_load import load, problems


def test_depends_on_conditions_become_the_readiness_of_the_dependency(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          db: {image: db, healthcheck: {test: [CMD, ready]}}
          migrate: {image: app, depends_on: {db: {condition: service_healthy}}}
          cache: {image: cache}
          web:
            image: app
            depends_on:
              db: {condition: service_started}
              migrate: {condition: service_completed_successfully, required: true, restart: false}
              cache: {condition: service_started}
        """,
        project_name="p",
    )
    containers = c_map.containers
    # Docker Compose waits for these conditions without a time limit
    assert get_readiness(containers["db"].ready) == Readiness("healthy", timeout=None)
    assert get_readiness(containers["migrate"].ready) == Readiness("completed", timeout=None)
    assert "ready" not in containers["cache"].as_dict()
    assert list(containers["web"].depends_on) == ["db", "migrate", "cache"]
    assert list(containers["migrate"].depends_on) == ["db"]


def test_conflicting_conditions_on_one_dependency_are_refused(tmp_path):
    found = problems(
        tmp_path,
        """
        services:
          job: {image: job}
          a: {image: a, depends_on: {job: {condition: service_healthy}}}
          b: {image: b, depends_on: {job: {condition: service_completed_successfully}}}
        """,
    )
    assert found == [
        "services.b.depends_on.job: asks 'job' to be completed, but services.a.depends_on.job asks it to be "
        "healthy; a container cannot wait for both"
    ]


def test_optional_dependencies_on_disabled_services_are_dropped(tmp_path):
    text = """
        services:
          web:
            image: web
            depends_on:
              debug: {condition: service_healthy, required: false}
              db: {condition: service_started}
          db: {image: db}
          debug: {image: debug, profiles: [dev]}
    """
    c_map = load(tmp_path, text, project_name="p")
    assert list(c_map.containers["web"].depends_on) == ["db"]
    with_dev = load(tmp_path, text, project_name="p", env={"COMPOSE_PROFILES": "dev"})
    assert list(with_dev.containers["web"].depends_on) == ["debug", "db"]
    assert get_readiness(with_dev.containers["debug"].ready).condition == "healthy"
    required = text.replace("required: false", "required: true")
    assert problems(tmp_path, required, project_name="p") == [
        "services.web.depends_on.debug: 'debug' is not enabled by COMPOSE_PROFILES"
    ]


def test_links_are_made_on_shared_networks_with_the_service_as_default_alias(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          db: {image: db}
          web: {image: web, links: [db, "db:database"]}
        """,
        project_name="p",
    )
    # made on the network both services join (the engine ignores container links on such networks)
    [endpoint] = c_map.containers["web"].networks
    assert [(link.container, link.alias) for link in endpoint.links] == [("db", "db"), ("db", "database")]
    assert not c_map.containers["web"].links
    apart = load(
        tmp_path,
        """
        services:
          db: {image: db, networks: [back]}
          web: {image: web, networks: [front], links: ["db:database"]}
        networks: {front: {}, back: {}}
        """,
        project_name="p",
    )
    # sharing no network, the link stays a link of the container
    assert [(link.container, link.alias) for link in apart.containers["web"].links] == [("db", "database")]
    assert not apart.containers["web"].networks[0].links
    record = DesiredBuilder({"p": c_map.get_extended_map()}, {}).container(
        "__default__", MapConfigId(ItemType.CONTAINER, "p", "web")
    )
    assert record.endpoints[0].links == (("p-db-1", "db"), ("p-db-1", "database"))


def test_file_secrets_and_configs_are_read_only_binds(tmp_path):
    (tmp_path / "token.txt").write_text("s3cret\n")
    (tmp_path / "app.conf").write_text("level=debug\n")
    c_map = load(
        tmp_path,
        """
        services:
          app:
            image: app
            secrets: [token, {source: token, target: api_token}, {source: token, target: /etc/token}]
            configs: [app_conf, {source: app_conf, target: /etc/app.conf}]
        secrets:
          token: {file: ./token.txt}
        configs:
          app_conf: {file: app.conf}
        """,
        project_name="p",
    )
    binds = [(bind.path, bind.host_path, bind.readonly) for bind in c_map.containers["app"].binds]
    token, conf = str(tmp_path / "token.txt"), str(tmp_path / "app.conf")
    assert binds == [
        ("/run/secrets/token", token, True),
        ("/run/secrets/api_token", token, True),
        ("/etc/token", token, True),
        ("/app_conf", conf, True),
        ("/etc/app.conf", conf, True),
    ]


def test_external_and_named_volumes_and_networks(tmp_path):
    c_map = load(
        tmp_path,
        """
        services:
          app:
            image: app
            volumes: [shared:/shared, own:/own, cache:/cache]
            networks: [outside, back]
        volumes:
          shared: {external: true}
          own: {external: true, name: made-elsewhere}
          cache: {name: fixed-cache}
        networks:
          outside: {external: true, name: edge}
          back: {name: backend-net}
        """,
        project_name="p",
    )
    volumes, networks = c_map.volumes, c_map.networks
    assert (volumes["shared"].external, volumes["shared"].name) == (True, "shared")
    assert (volumes["own"].external, volumes["own"].name) == (True, "made-elsewhere")
    assert not volumes["own"].create_options
    assert (bool(volumes["cache"].external), volumes["cache"].name) == (False, "fixed-cache")
    assert (networks["outside"].external, networks["outside"].name) == (True, "edge")
    assert (bool(networks["back"].external), networks["back"].name) == (False, "backend-net")
    builder = DesiredBuilder({"p": c_map.get_extended_map()}, {})
    app = builder.container("__default__", MapConfigId(ItemType.CONTAINER, "p", "app"))
    assert app.mounts == {"/shared": "shared", "/own": "made-elsewhere", "/cache": "fixed-cache"}
    assert [endpoint.network for endpoint in app.endpoints] == ["edge", "backend-net"]
    own = builder.volume("__default__", MapConfigId(ItemType.VOLUME, "p", "app", "own"))
    assert (own.name, own.external) == ("made-elsewhere", True)
    back = builder.network("__default__", MapConfigId(ItemType.NETWORK, "p", "back"))
    assert (back.name, back.external, back.create_kwargs["name"]) == ("backend-net", False, "backend-net")
    assert builder.network("__default__", MapConfigId(ItemType.NETWORK, "p", "outside")).external


def test_the_default_network_may_be_listed_without_a_declaration(tmp_path):
    c_map = load(tmp_path, "services:\n  app: {image: app, networks: [default]}\n", project_name="p")
    assert [endpoint.network_name for endpoint in c_map.containers["app"].networks] == ["default"]
