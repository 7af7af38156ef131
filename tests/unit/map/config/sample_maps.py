"""Map dicts shared by the configuration and YAML tests."""

from __future__ import annotations

import copy
import runpy
from typing import Any, Dict

from tests.helpers import REPO_ROOT

EXAMPLE_MODULE = REPO_ROOT / "examples" / "getting_started_map.py"
EXAMPLE_YAML = REPO_ROOT / "examples" / "getting_started_map.yaml"


def getting_started() -> Dict[str, Any]:
    """A fresh copy of the getting-started map dict of ``examples/getting_started_map.py``."""
    return copy.deepcopy(runpy.run_path(str(EXAMPLE_MODULE))["MAP"])


def full_featured() -> Dict[str, Any]:
    """A map in the ``containers:`` form that uses every map and container key."""
    return {
        "repository": "registry.example.com",
        "default_tag": "stable",
        "default_domain": "example.com",
        "set_hostname": False,
        "use_attached_parent_name": False,
        "clients": ["one", "two"],
        "groups": {"frontend": ["web", "app.a"], "everything": ["web", "app", "db"]},
        "host_root": "/srv",
        "host": {"static": "static", "app_data": {"a": "data/a", "b": "data/b", "default": "data/x"}},
        "volumes": {
            "static": "/var/www",
            "app_data": {"default_path": "/data", "user": "app", "permissions": "0750"},
            "app_socket": {"default_path": "/run/app", "driver": "local", "driver_options": {"o": "bind"}},
            "db_data": "/var/lib/db",
        },
        "networks": {
            "front": {"driver": "bridge", "internal": False, "driver_options": {"mtu": "1400"}},
            "back": {"internal": True, "create_options": {"labels": {"tier": "back"}}},
        },
        "containers": {
            "base": {
                "abstract": True,
                "user": "app",
                "stop_timeout": 20,
                "create_options": {"environment": {"A": "1"}},
                "host_config": {"restart_policy": {"Name": "always"}},
                "exec_commands": [[["touch", "/ready"]]],
            },
            "web": {
                "extends": "base",
                "image": "nginx:1.25",
                "binds": [{"static": "ro"}, ["/etc/web", "/etc/host-web", "ro"]],
                "uses": "app_socket",
                "links": [("app.a", "app")],
                "exposes": [(80, 8080, "public"), (443, 8443)],
                "networks": ["front", {"back": {"aliases": ["web"]}}],
                "healthcheck": {"test": ["CMD", "true"], "interval": "10s", "retries": 3},
                "stop_signal": "SIGQUIT",
                "start_delay": 1.5,
            },
            "app": {
                "extends": ["base"],
                "image": "/local/app",
                "instances": ["a", "b"],
                "shares": ["/tmp/cache"],
                "binds": "app_data",
                "attaches": ["app_socket", {"app_log": "/var/log/app"}],
                "links": "db",
                "networks": "back",
                "permissions": "u=rwX,g=rX,o=",
                "persistent": True,
                "exec_commands": [("echo started", "root", "initial")],
            },
            "db": {
                "image": "postgres",
                "attaches": "db_data",
                "network_mode": "bridge",
                "persistent": True,
                "clients": ["one"],
            },
            "sidecar": {"image": "busybox", "network_mode": "app.a"},
        },
    }
