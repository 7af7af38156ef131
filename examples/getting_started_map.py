"""The getting-started container map: nginx in front of a uWSGI application server.

nginx reads its configuration from the host, writes its log to an attached volume and talks to
uWSGI through a socket in a volume that the uwsgi container attaches; the application's
configuration and data come from the host, below ``host_root``.
"""

from dockermap.map.config.main import ContainerMap

MAP = {
    "nginx": {
        "image": "nginx",
        "binds": {"nginx_config": "ro"},
        "uses": "uwsgi_socket",
        "attaches": "nginx_log",
        "exposes": {80: 80, 443: 443},
    },
    "uwsgi": {
        "image": "uwsgi",
        "binds": ({"app_config": "ro"}, "app_data"),
        "attaches": ("app_log", "uwsgi_socket"),
        "user": 2000,
        "permissions": "u=rwX,g=rX,o=",
    },
    "volumes": {
        "nginx_config": "/etc/nginx",
        "nginx_log": "/var/log/nginx",
        "uwsgi_socket": "/var/lib/uwsgi/socket",
        "app_config": "/var/lib/app/config",
        "app_log": "/var/lib/app/log",
        "app_data": "/var/lib/app/data",
    },
    "host": {
        "nginx_config": "config/nginx",
        "app_config": "config/app",
        "app_data": "data/app",
    },
    "host_root": "/var/lib/site",
}


def build_map() -> ContainerMap:
    """The map named ``main`` (checked on creation)."""
    return ContainerMap("main", MAP)
