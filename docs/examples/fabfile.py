"""Fabric tasks for a small container map: build its image, start it up, update it, shut it down.

Run them with Fabric 3 (``pip install 'dockermap[fabric]'``) from the directory of this file (or name it
with ``fab -r DIRECTORY``) on a Docker host you can log in to::

    fab -H deploy@docker-host build startup
    fab -H deploy@docker-host build --release 2 update
    fab -H deploy@docker-host shutdown

Every task takes ``--mode``:

* ``api`` (default): the Docker Engine API through the SSH connection (``docker system dial-stdio`` on
  the host); the user must be allowed to use the Docker socket there.
* ``sudo``: ``sudo docker`` command lines, for a user who may run only that; answer sudo's password
  question with ``--prompt-for-sudo-password`` or the ``FABRIC_SUDO_PASSWORD`` variable.
* ``cli``: ``docker`` command lines run as the user.

The map: ``store`` keeps the volume ``data``; ``web`` runs the image built by ``build`` (busybox's httpd
serving a page that names the release) and uses that volume, so it starts after ``store``. ``update``
recreates exactly the containers whose image or configuration changed. ``shutdown`` keeps the volume
unless given ``--remove-volumes``. ``--map-name`` and ``--repository`` keep several copies apart on one
host.
"""

from __future__ import annotations

import shlex

from fabric import Connection, task

from dockermap.api import ContainerMap, DockerFile, MappingDockerClient
from dockermap.fabric import build_image, client_configuration

MAP_NAME = "fabric-example"
REPOSITORY = "dockermap-example"
#: A busy loop that ends at once on ``docker stop`` (a shell as PID 1 ignores SIGTERM otherwise).
STORE_COMMAND = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
WEB_COMMAND = ["sh", "-c", "trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
OPTIONS = {
    "mode": "api (Engine API over SSH, the default), sudo (sudo docker command lines) or cli (docker ...)",
    "map-name": f"name of the container map, the prefix of its containers (default {MAP_NAME})",
    "repository": f"repository of the web image (default {REPOSITORY})",
}


def web_image(repository: str) -> str:
    """Name of the image that :func:`build` builds."""
    return f"{repository}/web:latest"


def web_dockerfile(release: str) -> DockerFile:
    """The web server: busybox's httpd serving a page that names ``release``."""
    dockerfile = DockerFile("busybox:latest", command=WEB_COMMAND, expose=[8080], labels={"release": release})
    dockerfile.run(f"mkdir -p /www && echo {shlex.quote(f'release {release}')} > /www/index.html")
    return dockerfile


def example_map(map_name: str, repository: str) -> ContainerMap:
    """The container map: ``web`` uses the volume that ``store`` attaches."""
    return ContainerMap(
        map_name,
        {
            "store": {
                "image": "busybox:latest",
                "attaches": "data",
                "create_options": {"command": STORE_COMMAND},
            },
            "web": {"image": web_image(repository), "uses": "data"},
            "volumes": {"data": "/srv/data"},
        },
    )


def map_client(c: Connection, mode: str, map_name: str, repository: str) -> MappingDockerClient:
    """A client for the map on the connection's host, through the Engine API or ``docker`` command lines."""
    return MappingDockerClient(example_map(map_name, repository), client_configuration(c, mode))


def report(outputs: list) -> None:
    """Print what was done, e.g. ``create volume store.data`` or ``start container store``."""
    for output in outputs:
        item = output.config_id
        name = ".".join(part for part in (item.config_name, item.instance_name) if part)
        print(f"{output.action_type} {item.config_type.value} {name}")


@task(
    help={
        "mode": OPTIONS["mode"],
        "repository": OPTIONS["repository"],
        "release": "text of the page (default 1)",
    }
)
def build(c, mode="api", repository=REPOSITORY, release="1"):
    """Build the web image on the host."""
    image_id = build_image(c, web_dockerfile(release), web_image(repository), mode)
    print(f"built {web_image(repository)}: {image_id}")


@task(help=OPTIONS)
def startup(c, mode="api", map_name=MAP_NAME, repository=REPOSITORY):
    """Create and start the map's containers with their volume, in dependency order."""
    report(map_client(c, mode, map_name, repository).startup("web"))


@task(help=OPTIONS)
def update(c, mode="api", map_name=MAP_NAME, repository=REPOSITORY):
    """Recreate the containers whose image or configuration changed; start what is not running."""
    report(map_client(c, mode, map_name, repository).update("web"))


@task(help={**OPTIONS, "remove-volumes": "remove the volume data as well (it is kept by default)"})
def shutdown(c, mode="api", map_name=MAP_NAME, repository=REPOSITORY, remove_volumes=False):
    """Stop and remove the map's containers, dependents first."""
    client = map_client(c, mode, map_name, repository)
    report(client.shutdown("__all__", remove_attached=remove_volumes))
