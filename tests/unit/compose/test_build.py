"""The ``build`` key of Compose services as the ``build`` setting (no engine)."""

from __future__ import annotations

from dockermap.map.input import BuildSettings
from tests.unit.compose.test_load import load, problems


def test_a_string_is_the_context_relative_to_the_file_and_the_image_gets_compose_s_name(tmp_path):
    c_map = load(tmp_path, "name: shop\nservices:\n  web:\n    build: ./web\n")
    web = c_map.containers["web"]
    assert web.build == BuildSettings(str(tmp_path / "web"))
    assert web.image == "shop-web"


def test_the_mapping_form(tmp_path):
    c_map = load(
        tmp_path,
        """
        name: shop
        services:
          api:
            image: registry.example.com/api:2
            build:
              context: api
              dockerfile: docker/Dockerfile
              args: [VERSION=2, TOKEN, UNSET]
              target: runtime
              labels: [tier=api]
              pull: true
              no_cache: true
              x-note: ignored
          worker:
            build:
              args: {MODE: batch}
        """,
        env={"TOKEN": "from-env"},
    )
    api, worker = c_map.containers["api"], c_map.containers["worker"]
    assert api.image == "registry.example.com/api:2"
    assert api.build == BuildSettings(
        str(tmp_path / "api"),
        "docker/Dockerfile",
        {"VERSION": "2", "TOKEN": "from-env"},
        "runtime",
        {"tier": "api"},
        True,
        True,
    )
    assert worker.build == BuildSettings(str(tmp_path), args={"MODE": "batch"})
    assert worker.image == "shop-worker"


def test_an_absolute_dockerfile_inside_the_context_is_made_relative(tmp_path):
    c_map = load(
        tmp_path, f"services:\n  web:\n    build: {{context: ., dockerfile: {tmp_path}/ci/Dockerfile}}\n"
    )
    assert c_map.containers["web"].build.dockerfile == "ci/Dockerfile"


def test_other_keys_are_refused_with_their_location(tmp_path):
    found = problems(
        tmp_path,
        """
        services:
          web:
            build:
              context: .
              dockerfile: ../Dockerfile
              ssh: [default]
              cache_form: [x]
              no_cache: "yes"
          remote:
            build: https://github.com/example/app.git
        """,
    )
    assert found == [
        f"services.web.build.dockerfile: a Dockerfile outside the build context ({tmp_path.parent}/"
        "Dockerfile) is not supported by dockermap",
        "services.web.build.ssh: not supported by dockermap",
        "services.web.build.cache_form: unknown key; did you mean 'cache_from'?",
        "services.web.build.no_cache: expected true or false, found 'yes'",
        "services.remote.build: a remote build context (https://github.com/example/app.git) is not "
        "supported by dockermap; use a directory",
    ]
