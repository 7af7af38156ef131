"""Acceptance: every configuration change the fingerprint notices is explained field by field.

One container runs on the test engine; for each configuration key the fingerprint covers, the
configuration is changed and ``plan('update')`` must explain the replacement with a cause that names the
key and both values (secret values by key only, unless ``show_secret_values`` is passed).
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any, Callable, Dict, List, Tuple

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from tests.helpers import free_port

PORT = free_port()
#: The container as it runs; each row of :data:`CHANGES` edits a copy of it.
BASE: Dict[str, Any] = {
    "db": {
        "image": "busybox:latest",
        "shares": "/var/lib/db",
        "create_options": {"command": ["sleep", "600"]},
    },
    "app": {
        "image": "busybox:latest",
        "binds": {"/var/lib/app": ("/tmp", "ro")},
        "attaches": "app_data",
        "uses": "db",
        "links": [("db", "database")],
        "exposes": [(80, PORT, "loopback")],
        "user": "2000",
        "stop_timeout": 5,
        "stop_signal": "SIGTERM",
        "networks": [("front", {"aliases": ["www"]})],
        "healthcheck": {"test": ["CMD", "true"], "interval": "30s"},
        "create_options": {
            "command": ["sleep", "600"],
            "environment": {"MODE": "one", "DB_PASSWORD": "hunter2"},
            "labels": {"tier": "app"},
            "working_dir": "/srv",
        },
        "host_config": {"cap_add": ["NET_ADMIN"], "dns": ["127.0.0.53"]},
    },
    "volumes": {"app_data": "/var/lib/data", "app_cache": "/var/cache/app"},
    "networks": {"front": {}, "back": {}},
}

Edit = Callable[[Dict[str, Any]], None]


def _set(path: str, value: Any, *more: Any) -> Edit:
    """An edit setting ``app``'s key (``create_options.command``: nested; ``/default_domain``: a key of the
    map) to ``value``; ``more``: further pairs of path and value."""

    def edit(config: Dict[str, Any]) -> None:
        pairs = [(path, value)] + list(zip(more[::2], more[1::2]))
        for item_path, item_value in pairs:
            target = config if item_path.startswith("/") else config["app"]
            item_path = item_path.lstrip("/")
            *parents, key = item_path.split(".")
            for parent in parents:
                target = target.setdefault(parent, {})
            target[key] = item_value

    return edit


#: Configuration key, the edit, and what the cause must contain (key and both values).
CHANGES: List[Tuple[str, Edit, List[str]]] = [
    ("image", _set("image", "other/app:2"), ["image is busybox:latest, expected other/app:2"]),
    (
        "shares",
        _set("shares", "/var/lib/shared"),
        ["volumes is ['/var/lib/app', '/var/lib/data'], expected ["],
    ),
    (
        "binds",
        _set("binds", {"/var/lib/app": ("/tmp", "rw")}),
        ["binds is ['/tmp:/var/lib/app:ro', ", "expected ['/tmp:/var/lib/app:rw', "],
    ),
    ("attaches", _set("attaches", "app_cache"), ["volumes is [", "'/var/lib/data'", "expected ["]),
    ("uses", _set("uses", []), ["volumes_from is ['", "expected not set"]),
    (
        "links",
        _set("links", [("db", "primary")]),
        [": links is [[", "'database']], expected [[", "'primary']]"],
    ),
    ("exposes", _set("exposes", [(81, PORT, "loopback")]), ["ports is [80], expected [81]"]),
    ("user", _set("user", "2001"), ["user is '2000', expected '2001'"]),
    ("stop_timeout", _set("stop_timeout", 7), ["stop_timeout is 5, expected 7"]),
    ("stop_signal", _set("stop_signal", "SIGINT"), ["stop_signal is 'SIGTERM', expected 'SIGINT'"]),
    (
        "network_mode",
        _set("network_mode", "none", "networks", []),
        ["network_mode is '", ".front', expected 'none'"],
    ),
    (
        "networks",
        _set("networks", [("front", {"aliases": ["web"]})]),
        [".front: aliases is ['www'], expected ['web']"],
    ),
    (
        "healthcheck",
        _set("healthcheck", {"test": ["CMD", "true"], "interval": "60s"}),
        ["healthcheck interval is 30000000000, expected 60000000000"],
    ),
    (
        "create_options.command",
        _set("create_options.command", ["sleep", "700"]),
        ["command is ['sleep', '600'], expected ['sleep', '700']"],
    ),
    (  # secret: named by key only
        "create_options.environment",
        _set("create_options.environment", {"MODE": "one", "DB_PASSWORD": "swordfish"}),
        ["environment DB_PASSWORD changed"],
    ),
    (
        "create_options.entrypoint",
        _set("create_options.entrypoint", ["/bin/sh", "-c"]),
        ["entrypoint is not set, expected ['/bin/sh', '-c']"],
    ),
    (
        "default_domain",
        _set("/default_domain", "example.com"),
        ["domainname is not set, expected 'example.com'"],
    ),
    ("set_hostname", _set("/set_hostname", False), ["hostname is '", "', expected not set"]),
    (
        "create_options.labels",
        _set("create_options.labels", {"tier": "web"}),
        ["label tier is 'app', expected 'web'"],
    ),
    (
        "create_options.working_dir",
        _set("create_options.working_dir", "/opt"),
        ["working_dir is '/srv', expected '/opt'"],
    ),
    (
        "host_config.cap_add",
        _set("host_config.cap_add", ["SYS_TIME"]),
        ["cap_add is ['NET_ADMIN'], expected ['SYS_TIME']"],
    ),
    ("host_config.dns", _set("host_config.dns", []), ["dns is ['127.0.0.53'], expected []"]),
    (
        "host_config.tmpfs",
        _set("host_config.tmpfs", {"/run/app": "size=1m"}),
        ["tmpfs /run/app is not set, expected 'size=1m'"],
    ),
]


def _client(name: str, config: Dict[str, Any], base_url: str, **defaults: Any) -> MappingDockerClient:
    container_map = ContainerMap(name, copy.deepcopy(config))
    configuration = ClientConfiguration(base_url=base_url, interfaces={"loopback": "127.0.0.1"})
    return MappingDockerClient(container_map, configuration, option_defaults=defaults)


def _causes(client: MappingDockerClient, container: str, **options: Any) -> List[str]:
    return [action.cause for action in client.plan("update", "app", **options) if action.name == container]


@pytest.fixture
def running(engine, base_image, cleanup):
    name = cleanup.name("causes")
    _client(name, BASE, engine.base_url).startup("app")
    return name


def test_every_fingerprinted_key_is_named_with_both_values(engine, running):
    missing = {}
    for key, edit, expected in CHANGES:
        config = copy.deepcopy(BASE)
        edit(config)
        causes = _causes(_client(running, config, engine.base_url), f"{running}.app")
        if not causes or not all(text in causes[0] for text in expected) or "swordfish" in causes[0]:
            missing[key] = causes[:1]
    assert missing == {}


def _with(path: str, value: Any) -> Dict[str, Any]:
    config = copy.deepcopy(BASE)
    _set(path, value)(config)
    return config


NEW_ENVIRONMENT = {"MODE": "two", "DB_PASSWORD": "swordfish", "EXTRA": "added"}
HIDDEN_CAUSE = (
    "recreate: configuration changed: environment MODE changed; environment DB_PASSWORD changed; "
    "environment EXTRA is not set"
)
SHOWN_CAUSE = (
    "recreate: configuration changed: environment MODE is 'one', expected 'two'; "
    "environment DB_PASSWORD is 'hunter2', expected 'swordfish'; "
    "environment EXTRA is not set, expected 'added'"
)


def test_environment_values_are_named_by_key_only_unless_asked_for(engine, running, caplog):
    config = _with("create_options.environment", NEW_ENVIRONMENT)
    client = _client(running, config, engine.base_url)
    name = f"{running}.app"

    assert _causes(client, name)[0] == HIDDEN_CAUSE
    assert _causes(client, name, show_secret_values=True)[0] == SHOWN_CAUSE
    shown_by_default = _client(running, config, engine.base_url, show_secret_values=True)
    assert _causes(shown_by_default, name)[0] == SHOWN_CAUSE
    assert _causes(shown_by_default, name, show_secret_values=False)[0] == HIDDEN_CAUSE
    stored = json.dumps(engine.api.inspect_container(name)["Config"]["Labels"])
    assert "hunter2" not in stored and "DB_PASSWORD" in stored

    with caplog.at_level(logging.DEBUG):
        client.update("app")
    assert "environment DB_PASSWORD changed" in caplog.text
    assert not any(secret in caplog.text for secret in ("hunter2", "swordfish", "'two'"))
    assert _causes(client, name) == []


def test_keys_configured_as_secret_are_named_by_key_only(engine, running):
    config = _with("create_options.labels", {"tier": "web"})
    _set("create_options.command", ["sleep", "700"])(config)
    client = _client(running, config, engine.base_url, secret_keys=["labels.tier", "command"])
    name = f"{running}.app"

    assert _causes(client, name)[0] == "recreate: configuration changed: command changed; label tier changed"
    shown = _causes(client, name, show_secret_values=True)[0]
    assert "command is ['sleep', '600'], expected ['sleep', '700']" in shown
    assert "label tier is 'app', expected 'web'" in shown
