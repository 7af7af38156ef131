"""The getting-started demo: build an image from a DockerFile with files added, run it, show it, clean up.

Run it with ``scripts/demo.sh`` (which provides a Docker Engine), or directly with ``DOCKER_HOST`` set.
No registry is needed: the base image is built locally FROM scratch with the static busybox binary
(Debian's ``busybox-static``) unless the engine already has ``busybox:latest``.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import tempfile
import time
import urllib.request

from dockermap.api import DockerClientWrapper, DockerFile

BASE_IMAGE = "busybox:latest"
#: Prefix of every name the demos give: set DOCKERMAP_DEMO_NAME to run them beside another copy.
DEMO_NAME = os.environ.get("DOCKERMAP_DEMO_NAME", "dockermap-demo")
DEMO_IMAGE = f"{DEMO_NAME}/site"
DEMO_CONTAINER = f"{DEMO_NAME}-site"
BUSYBOX = "/bin/busybox"


def ensure_base_image(client: DockerClientWrapper) -> None:
    """Build ``busybox:latest`` FROM scratch when the engine does not have it."""
    if client.images(name=BASE_IMAGE):
        return
    print(f"building {BASE_IMAGE} from scratch with {BUSYBOX}")
    with DockerFile("scratch") as df:
        df.add_file(BUSYBOX, "/bin/busybox")
        df.prefix("RUN", '["/bin/busybox", "--install", "-s", "/bin"]')
        df.command = ["sh"]
        client.build_from_file(df, BASE_IMAGE, rm=True)


def write_site(directory: str) -> str:
    site = os.path.join(directory, "site")
    os.makedirs(site)
    with open(os.path.join(site, "index.html"), "w") as page:
        page.write("<h1>Hello from a dockermap-built image</h1>\n")
    return site


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, attempts: int = 50) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered at {url}")


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="  | %(message)s")
    client = DockerClientWrapper(os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"))
    ensure_base_image(client)
    container = None
    with tempfile.TemporaryDirectory() as tmp:
        site = write_site(tmp)
        with DockerFile(BASE_IMAGE) as df:
            df.add_file(site, "/srv/site")
            df.run("echo 'built by dockermap' > /srv/site/about.txt")
            df.expose = [8080]
            df.command = ["httpd", "-f", "-p", "8080", "-h", "/srv/site"]
            print("Dockerfile:")
            df.finalize()
            print(df.getvalue().decode())
            # No build cache: the demo always shows a full build, sharing no layer with another build.
            image_id = client.build_from_file(
                df, f"{DEMO_IMAGE}:1.0", add_latest_tag=True, rm=True, nocache=True
            )
    print(f"built {DEMO_IMAGE}:1.0 and :latest -> {image_id}")
    try:
        port = free_port()
        container = client.create_container(
            f"{DEMO_IMAGE}:1.0",
            ports=[8080],
            host_config=client.create_host_config(port_bindings={8080: ("127.0.0.1", port)}),
            name=DEMO_CONTAINER,
        )
        client.start(container)
        print(f"container {DEMO_CONTAINER} serves http://127.0.0.1:{port}/ :")
        print("  index.html:", fetch(f"http://127.0.0.1:{port}/index.html").strip())
        print("  about.txt: ", fetch(f"http://127.0.0.1:{port}/about.txt").strip())
    finally:
        if container:
            client.remove_container(container, force=True)
        for tag in (f"{DEMO_IMAGE}:1.0", f"{DEMO_IMAGE}:latest"):
            client.remove_image(tag, raise_not_found=False)
        print("cleaned up the container and the demo image")
    return 0


if __name__ == "__main__":
    sys.exit(main())
