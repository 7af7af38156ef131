"""Fixtures for running container maps on the real engine: stand-in images and the getting-started map."""

from __future__ import annotations

import copy
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from tests import helpers

sys.path.insert(0, str(helpers.REPO_ROOT / "examples"))
from getting_started_map import MAP as GETTING_STARTED  # noqa: E402

#: Stand-ins for the getting-started images. Both stop promptly on SIGTERM (a shell as PID 1 ignores
#: it otherwise, and every stop would wait for the timeout).
STANDIN_DOCKERFILES = {
    "nginx": (
        'FROM busybox:latest\nCMD ["sh", "-c", "trap \'exit 0\' TERM; httpd -f -p 80 -h /etc/nginx & wait"]\n'
    ),
    "uwsgi": (
        "FROM busybox:latest\n"
        'CMD ["sh", "-c", "trap \'exit 0\' TERM; echo up > /var/lib/uwsgi/socket/uwsgi.sock; '
        'while true; do sleep 1; done"]\n'
    ),
}


def build_standin(api, repository: str, name: str, extra: str = "") -> str:
    """Build ``<repository>/<name>:latest``; ``extra`` Dockerfile lines make a new image id."""
    return helpers.build_image(api, f"{repository}/{name}:latest", STANDIN_DOCKERFILES[name] + extra)


@dataclass
class Site:
    """The getting-started map on the test engine, with its host directories and client."""

    map: ContainerMap
    client: MappingDockerClient
    root: Path
    repository: str
    #: Host port on 127.0.0.1 of each of nginx's ports (80, 443).
    ports: dict

    def name(self, config: str) -> str:
        return f"{self.map.name}.{config}"


@pytest.fixture
def site(engine, base_image, cleanup, tmp_path) -> Site:
    """The getting-started map, images from a per-run repository and host paths below ``tmp_path``."""
    repository = cleanup.name("repo")
    for name in STANDIN_DOCKERFILES:
        build_standin(engine.api, repository, name)
    root = tmp_path / "site"
    for path in ("config/nginx", "config/app", "data/app"):
        (root / path).mkdir(parents=True)
    (root / "config/nginx/index.html").write_text("served by the nginx stand-in\n")
    config = copy.deepcopy(GETTING_STARTED)
    config["host_root"] = str(root)
    config["repository"] = repository
    # Free ports on 127.0.0.1 instead of 80 and 443 on every interface of a shared engine.
    ports = {80: helpers.free_port(), 443: helpers.free_port()}
    config["nginx"]["exposes"] = [(port, host_port, "local") for port, host_port in ports.items()]
    container_map = ContainerMap(cleanup.name("gs"), config)
    client_config = ClientConfiguration(base_url=engine.base_url, interfaces={"local": "127.0.0.1"})
    client = MappingDockerClient(container_map, client_config)
    return Site(container_map, client, root, repository, ports)
