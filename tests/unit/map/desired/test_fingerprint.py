"""Container fingerprints: stable for the same configuration, changed by every create setting except the
in-place updatable limits and restart policy."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any, Callable, Dict

import pytest

import dockermap
from dockermap.map.items import DesiredContainer
from tests.helpers import REPO_ROOT
from tests.unit.map.desired.test_init import container


def base_map() -> Dict[str, Any]:
    """A map whose ``app`` uses every kind of create setting."""
    return {
        "networks": {"front": {}, "back": {}},
        "volumes": {"data": "/data", "conf": "/etc/app"},
        "host": {"conf": "/srv/conf"},
        "db": {},
        "cache": {},
        "app": {
            "image": "app:1",
            "binds": "conf",
            "attaches": "data",
            "links": "db",
            "exposes": [(80, 8080)],
            "networks": "front",
            "user": "app",
            "stop_signal": "SIGINT",
            "stop_timeout": 10,
            "healthcheck": {"test": "true", "interval": "10s"},
            "create_options": {
                "environment": {"A": "1", "B": "2"},
                "command": "serve",
                "entrypoint": ["/init"],
                "labels": {"team": "a"},
                "working_dir": "/srv",
            },
            "host_config": {
                "cap_add": ["NET_ADMIN"],
                "dns": ["1.1.1.1"],
                "tmpfs": {"/run": ""},
                "ulimits": [{"name": "nofile", "soft": 1024, "hard": 2048}],
            },
        },
    }


def app_record(map_dict: Dict[str, Any]) -> DesiredContainer:
    return container(map_dict, "app")


def reordered(value: Any) -> Any:
    """``value`` with every dict's keys in reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    return value


def test_same_configuration_same_fingerprint() -> None:
    assert app_record(base_map()).fingerprint == app_record(base_map()).fingerprint


def test_fingerprint_ignores_dict_order() -> None:
    assert app_record(reordered(base_map())).fingerprint == app_record(base_map()).fingerprint


def test_fingerprint_is_stable_across_processes() -> None:
    code = (
        "from tests.unit.map.desired.test_fingerprint import app_record, base_map; "
        "print(app_record(base_map()).fingerprint)"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO_ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outputs == {app_record(base_map()).fingerprint}


def test_library_version_is_not_part_of_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    before = app_record(base_map()).fingerprint
    monkeypatch.setattr(dockermap, "__version__", "99.0")
    assert app_record(base_map()).fingerprint == before


def options(map_dict: Dict[str, Any]) -> Dict[str, Any]:
    return map_dict["app"]["create_options"]


def host_config(map_dict: Dict[str, Any]) -> Dict[str, Any]:
    return map_dict["app"]["host_config"]


CHANGES: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "environment value": lambda m: options(m)["environment"].update(B="3"),
    "environment key": lambda m: options(m)["environment"].update(C="1"),
    "command": lambda m: options(m).update(command="serve --debug"),
    "entrypoint": lambda m: options(m).update(entrypoint=["/init2"]),
    "labels": lambda m: options(m).update(labels={"team": "b"}),
    "working_dir": lambda m: options(m).update(working_dir="/opt"),
    "cap_add": lambda m: host_config(m).update(cap_add=["SYS_ADMIN"]),
    "dns": lambda m: host_config(m).update(dns=["8.8.8.8"]),
    "tmpfs": lambda m: host_config(m).update(tmpfs={"/run": "size=1m"}),
    "ulimits": lambda m: host_config(m).update(ulimits=[{"name": "nofile", "soft": 2048, "hard": 2048}]),
    "privileged": lambda m: host_config(m).update(privileged=True),
    "healthcheck": lambda m: m["app"].update(healthcheck={"test": "true", "interval": "20s"}),
    "user": lambda m: m["app"].update(user="root"),
    "image": lambda m: m["app"].update(image="app:2"),
    "stop_signal": lambda m: m["app"].update(stop_signal="SIGTERM"),
    "stop_timeout": lambda m: m["app"].update(stop_timeout=11),
    "bind read-only": lambda m: m["app"].update(binds={"conf": "ro"}),
    "bind host path": lambda m: m["host"].update(conf="/srv/conf2"),
    "attached path": lambda m: m["volumes"].update(data="/data2"),
    "published port": lambda m: m["app"].update(exposes=[(80, 8081)]),
    "exposed port": lambda m: m["app"].update(exposes=[(80, 8080), 443]),
    "links": lambda m: m["app"].update(links="cache"),
    "link alias": lambda m: m["app"].update(links=[("db", "database")]),
    "network": lambda m: m["app"].update(networks="back"),
    "endpoint aliases": lambda m: m["app"].update(networks={"front": {"aliases": ["x"]}}),
    "extra network": lambda m: m["app"].update(networks=["front", "back"]),
}


@pytest.mark.parametrize("change", list(CHANGES.values()), ids=list(CHANGES))
def test_every_create_setting_changes_the_fingerprint(change: Callable[[Dict[str, Any]], Any]) -> None:
    changed = base_map()
    change(changed)
    assert app_record(changed).fingerprint != app_record(base_map()).fingerprint


@pytest.mark.parametrize(
    ("values", "updatable"),
    [
        ({"mem_limit": "64m"}, {"mem_limit": 64 * 1024**2}),
        (
            {"restart_policy": {"Name": "on-failure", "MaximumRetryCount": 3}},
            {"restart_policy": {"Name": "on-failure", "MaximumRetryCount": 3}},
        ),
        ({"cpu_shares": 256, "memswap_limit": "1g"}, {"cpu_shares": 256, "memswap_limit": 1024**3}),
    ],
)
def test_updatable_values_change_only_the_updatable_part(
    values: Dict[str, Any], updatable: Dict[str, Any]
) -> None:
    base = app_record(base_map())
    changed_map = base_map()
    host_config(changed_map).update(values)
    changed = app_record(changed_map)
    assert changed.fingerprint == base.fingerprint
    assert (base.updatable, changed.updatable) == ({}, updatable)
    assert (
        changed.create_kwargs["labels"]["io.dockermap.updatable"]
        != base.create_kwargs["labels"]["io.dockermap.updatable"]
    )
    assert changed.create_kwargs["labels"]["io.dockermap.fingerprint"] == changed.fingerprint
