"""The getting-started container map in action: start it, look at it, change it, update it, shut it down.

Run it with ``scripts/demo.sh`` (after ``getting_started.py``), or directly with ``DOCKER_HOST`` set.
Nothing is pulled: the images ``nginx`` and ``uwsgi`` of the map are small stand-ins built FROM the
local ``busybox:latest`` under the repository prefix ``dockermap-demo/``, and nginx's ports are
published on free ports of 127.0.0.1 instead of 80 and 443. Everything is removed at the end.
"""

from __future__ import annotations

import copy
import logging
import os
import stat
import sys
import tempfile

from getting_started import DEMO_NAME, ensure_base_image, fetch, free_port
from getting_started_map import MAP

from dockermap.api import ClientConfiguration, ContainerMap, DockerFile, MappingDockerClient
from dockermap.map.labels import LABEL_MAP

MAP_NAME = DEMO_NAME
REPOSITORY = DEMO_NAME

#: The stand-in images. Both exit at once on SIGTERM, so stopping them does not wait for a timeout.
STANDINS = {
    # A web server for the files in the configuration directory bound from the host.
    "nginx": "trap 'exit 0' TERM; httpd -f -p 80 -h /etc/nginx & wait",
    # Leaves a greeting in the socket volume it shares with nginx, notes each start in its log volume.
    "uwsgi": (
        "trap 'exit 0' TERM; "
        'echo "${GREETING:-Hello} from uwsgi" > /var/lib/uwsgi/socket/greeting; '
        'echo "started with GREETING=${GREETING:-(unset)}" >> /var/lib/app/log/starts.log; '
        "while true; do sleep 1; done"
    ),
}

#: A CGI script of the nginx stand-in: answers with what uwsgi left in the socket volume.
GREETING_CGI = (
    "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\ncat /var/lib/uwsgi/socket/greeting\n"
)


def heading(text: str) -> None:
    """Print the title of a step of the demo."""
    print(f"\n== {text}")


def build_standins(docker) -> None:
    """Build the stand-in images of the map's ``nginx`` and ``uwsgi`` under ``REPOSITORY``."""
    for name, script in STANDINS.items():
        with DockerFile("busybox:latest") as df:
            df.command = ["sh", "-c", script]
            # An image of its own (a label, no build cache), never the same image as an equal build elsewhere.
            df.labels = {f"{DEMO_NAME}.stand-in": name}
            docker.build_from_file(df, f"{REPOSITORY}/{name}:latest", rm=True, nocache=True)
        print(f"built {REPOSITORY}/{name}:latest")


def prepare_host_root(root: str) -> None:
    """The host directories the map binds (below ``host_root``), with nginx's page and script."""
    for path in ("config/nginx/cgi-bin", "config/app", "data/app"):
        os.makedirs(os.path.join(root, path))
    with open(os.path.join(root, "config/nginx/index.html"), "w") as page:
        page.write("<h1>Welcome to the getting-started site</h1>\n")
    script = os.path.join(root, "config/nginx/cgi-bin/greeting")
    with open(script, "w") as cgi:
        cgi.write(GREETING_CGI)
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def demo_map(root: str, http_port: int, https_port: int) -> ContainerMap:
    """The getting-started map with host paths below ``root`` and ports on the interface ``local``."""
    config = copy.deepcopy(MAP)
    config["host_root"] = root
    config["repository"] = REPOSITORY
    config["nginx"]["exposes"] = [(80, http_port, "local"), (443, https_port, "local")]
    return ContainerMap(MAP_NAME, config)


def map_containers(docker) -> list:
    """Names of the map's containers on the engine (dockermap labels everything it creates)."""
    found = docker.containers(all=True, filters={"label": f"{LABEL_MAP}={MAP_NAME}"})
    return sorted(c["Names"][0].lstrip("/") for c in found)


def map_volumes(docker) -> list:
    """Names of the map's volumes on the engine."""
    found = docker.volumes(filters={"label": f"{LABEL_MAP}={MAP_NAME}"}).get("Volumes") or []
    return sorted(v["Name"] for v in found)


def show_containers(docker) -> dict:
    """Print name, status, id, mounts and published ports of the map's containers; returns their ids."""
    ids = {}
    for name in map_containers(docker):
        info = docker.inspect_container(name)
        ids[name] = info["Id"]
        print(f"{name}  {info['State']['Status']}  id {info['Id'][:12]}")
        for mount in sorted(info["Mounts"], key=lambda m: m["Destination"]):
            source = f"volume {mount['Name']}" if mount["Type"] == "volume" else f"host {mount['Source']}"
            print(f"    {mount['Destination']:<22} {'rw' if mount['RW'] else 'ro'}  {source}")
        ports = info["NetworkSettings"]["Ports"] or {}
        for port in sorted(ports, key=lambda p: int(p.split("/")[0])):
            for binding in ports[port] or ():
                print(f"    port {port} published on {binding['HostIp']}:{binding['HostPort']}")
    return ids


def show_page(site: str, path: str) -> None:
    """Fetch ``path`` through the port nginx publishes and print the answer."""
    print(f"GET {site}{path} -> {fetch(site + path).strip()}")


def run_in(docker, container: str, command: str) -> str:
    """Output of a shell command run in a running container."""
    exec_id = docker.exec_create(container, ["sh", "-c", command])
    return docker.exec_start(exec_id).decode().strip()


def main() -> int:
    # The actions dockermap runs are logged, each with its cause, at INFO level.
    logging.basicConfig(level=logging.INFO, format="  | %(message)s", stream=sys.stdout)
    logging.getLogger("dockermap.client").setLevel(logging.WARNING)  # but not the build output
    http_port, https_port = free_port(), free_port()
    client_config = ClientConfiguration(
        base_url=os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock"),
        interfaces={"local": "127.0.0.1"},
    )
    docker = client_config.get_client()
    ensure_base_image(docker)
    with tempfile.TemporaryDirectory(prefix=f"{DEMO_NAME}.") as root:
        prepare_host_root(root)
        container_map = demo_map(root, http_port, https_port)
        client = MappingDockerClient(container_map, client_config)
        site = f"http://127.0.0.1:{http_port}"
        uwsgi = f"{MAP_NAME}.uwsgi"
        try:
            heading(f"1. Build the stand-in images {REPOSITORY}/nginx and {REPOSITORY}/uwsgi")
            build_standins(docker)

            heading("2. Start the map: client.startup('nginx')")
            print("nginx uses the socket volume of uwsgi, so uwsgi and its volumes come first:")
            client.startup("nginx")

            heading("3. What runs now")
            before = show_containers(docker)
            show_page(site, "/index.html")
            show_page(site, "/cgi-bin/greeting")

            heading("4. Change the configuration: uwsgi gets the environment variable GREETING")
            container_map.containers["uwsgi"].create_options = {"environment": {"GREETING": "Hello again"}}
            client.refresh_names()  # the client caches what it derived from the map
            print("The plan (a dry run), print(client.plan('update', 'nginx')):")
            print(client.plan("update", "nginx"))

            heading("5. Run it: client.update('nginx')")
            client.update("nginx")
            for name in map_containers(docker):
                info = docker.inspect_container(name)
                what = "kept" if before[name] == info["Id"] else f"recreated (was {before[name][:12]})"
                print(f"{name}  {info['State']['Status']}  id {info['Id'][:12]}  {what}")
            print("The log volume of uwsgi kept its data, starts.log:")
            for line in run_in(docker, uwsgi, "cat /var/lib/app/log/starts.log").splitlines():
                print(f"    {line}")
            show_page(site, "/cgi-bin/greeting")
            print(f"client.plan('update', 'nginx') now: {client.plan('update', 'nginx')}")
        finally:
            heading("6. Shut down: client.shutdown('__all__', remove_attached=True)")
            client.shutdown("__all__", remove_attached=True)
            for name in STANDINS:
                docker.remove_image(f"{REPOSITORY}/{name}:latest", raise_not_found=False)
            print(f"removed the images {REPOSITORY}/nginx and {REPOSITORY}/uwsgi")
            left = map_containers(docker) + map_volumes(docker)
            print(f"left of the map on the engine: {', '.join(left) or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
