"""The example fabfile's tasks, run by the ``fab`` program against the test sshd.

Each mode runs the whole life of the example map on the test engine, reached only over SSH (the
``fab`` process gets no ``DOCKER_HOST``): ``api`` logs in as root and talks to the Engine API through
``ssh://`` (``docker system dial-stdio``); ``sudo`` logs in as a user who may not use the Docker socket
and runs ``sudo docker`` command lines, answering sudo's password question; ``cli`` runs ``docker``
command lines as root.
"""

from __future__ import annotations

from typing import Dict, Tuple

import docker
import pytest

from tests.helpers import exec_in

#: Login per mode: ``sudo`` is the unprivileged user of the harness.
LOGINS = {"api": "root", "sudo": "sudo", "cli": "root"}


class ExampleSite:
    """The example map of one mode on the test engine, driven through ``fab``."""

    def __init__(self, ssh_server, engine, run, mode: str) -> None:
        self.server = ssh_server
        self.api = engine.api
        self.mode = mode
        self.map_name = run.name(f"fab-{mode}")
        self.repository = run.name(f"repo-{mode}")

    def fab(self, *tasks: str) -> str:
        """Run ``tasks`` (each with this site's options unless given) and return what ``fab`` printed."""
        args = []
        for task in tasks:
            args += task.split()
            if task.split()[0] != "build":
                args += ["--map-name", self.map_name]
            args += ["--mode", self.mode, "--repository", self.repository]
        return self.server.fab(LOGINS[self.mode], *args).stdout

    def containers(self) -> Dict[str, Tuple[str, str]]:
        """Container name → (id, state) of every container of the map."""
        prefix = self.map_name + "."
        result = {}
        for entry in self.api.containers(all=True):
            name = entry["Names"][0].lstrip("/")
            if name.startswith(prefix):
                result[name[len(prefix) :]] = (entry["Id"], entry["State"])
        return result

    def image_id(self) -> str:
        return self.api.inspect_image(f"{self.repository}/web:latest")["Id"]

    def page(self) -> str:
        """The page that the web container serves."""
        return exec_in(self.api, f"{self.map_name}.web", "wget -q -O - http://127.0.0.1:8080/")

    def running_ids(self) -> Dict[str, str]:
        containers = self.containers()
        assert {name: state for name, (_, state) in containers.items()} == {
            "store": "running",
            "web": "running",
        }
        return {name: container_id for name, (container_id, _) in containers.items()}


@pytest.mark.parametrize("mode", ["api", "sudo", "cli"])
def test_build_startup_update_shutdown(mode, ssh_server, engine, base_image, cleanup):
    site = ExampleSite(ssh_server, engine, cleanup, mode)
    # Releases of this run only: no build cache layer is shared with a parallel test run.
    first, second = f"1-{cleanup.run_id}", f"2-{cleanup.run_id}"

    output = site.fab(f"build --release {first}")
    first_image = site.image_id()
    assert f"built {site.repository}/web:latest: {first_image}" in output
    assert engine.api.inspect_image(first_image)["Config"]["Labels"]["release"] == first

    output = site.fab("startup")
    assert output.index("create volume store.data") < output.index("start container store")
    assert output.index("start container store") < output.index("create container web")
    started = site.running_ids()
    web = engine.api.inspect_container(started["web"])
    assert web["Image"] == first_image
    store_data = {
        m["Destination"]: m["Name"] for m in engine.api.inspect_container(started["store"])["Mounts"]
    }
    web_data = {m["Destination"]: m["Name"] for m in web["Mounts"]}
    assert web_data["/srv/data"] == store_data["/srv/data"]
    assert site.page() == f"release {first}"
    exec_in(engine.api, f"{site.map_name}.store", "echo kept > /srv/data/marker")

    site.fab("update")
    assert site.running_ids() == started

    site.fab(f"build --release {second}", "update")
    second_image = site.image_id()
    assert second_image != first_image
    updated = site.running_ids()
    assert updated["store"] == started["store"]
    assert updated["web"] != started["web"]
    assert engine.api.inspect_container(updated["web"])["Image"] == second_image
    assert site.page() == f"release {second}"
    assert exec_in(engine.api, f"{site.map_name}.web", "cat /srv/data/marker") == "kept"

    site.fab("shutdown")
    assert site.containers() == {}
    volume = store_data["/srv/data"]
    assert engine.api.inspect_volume(volume)["Name"] == volume
    site.fab("shutdown --remove-volumes")
    with pytest.raises(docker.errors.NotFound):
        engine.api.inspect_volume(volume)
    assert f"Accepted publickey for {ssh_server.login(LOGINS[mode])}" in ssh_server.log_file.read_text()
