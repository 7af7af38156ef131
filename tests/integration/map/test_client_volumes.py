"""Acceptance: a volume's data is never lost as a side effect, and volume work survives a crash.

A changed volume is recreated only with ``recreate_volumes`` (``discard`` or ``copy``), owner and mode
changes are applied in place, and a run killed (SIGKILL) after any engine request leaves nothing that the
next run cannot finish: leftover helpers are removed, a preparation is repeated, copied data comes back.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict

import pytest

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.exceptions import ActionRunnerException, VolumeChangeRefused
from dockermap.map.labels import LABEL_HELPER, LABEL_KIND, LABEL_RUN, LABEL_VOLUME
from tests.helpers import REPO_ROOT, exec_in

#: Runs until SIGTERM, then exits at once.
SLEEPER = ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"]
#: Files with their own owners, modes and times, in the volume mounted at /data.
WRITE_DATA = (
    "mkdir -p /data/sub && echo one > /data/one && echo two > /data/sub/two && ln -s one /data/link "
    "&& chown 1234:5678 /data/one && chmod 640 /data/one && chown -h 42:43 /data/link "
    "&& chown 7:8 /data/sub && chmod 711 /data/sub && touch -d '2001-02-03 04:05:06' /data/one /data/sub/two "
    "&& touch -d '2002-03-04 05:06:07' /data/sub"
)
LIST_DATA = "cd /data && find . | sort | while read f; do stat -c '%n %F %u %g %a %Y' \"$f\"; done"
#: Run in a child process: one map call, killed (SIGKILL) right after its n-th changing engine request.
CHILD = """
import json, os, signal, sys
import requests

from dockermap.client import reader

spec = json.loads(sys.argv[1])
count = 0
send = requests.Session.send
direct_request = reader._Connection.request

def counted(method):
    global count
    if method != "GET":
        count += 1
        if count == spec["kill_after"]:
            os.kill(os.getpid(), signal.SIGKILL)

def counting_send(self, request, **kwargs):  # requests through the Docker SDK
    response = send(self, request, **kwargs)
    counted(request.method)
    return response

def counting_request(self, method, target, timeout):  # and through dockermap's own HTTP client
    answer = direct_request(self, method, target, timeout)
    counted(method)
    return answer

requests.Session.send = counting_send
reader._Connection.request = counting_request
from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient

client = MappingDockerClient(
    ContainerMap(spec["name"], spec["map"]), ClientConfiguration(base_url=spec["base_url"])
)
getattr(client, spec["action"])("app", **spec["options"])
"""


@dataclass
class VolumeSite:
    """A map of one container ``app`` attaching the volume ``data`` at /data."""

    name: str
    base_url: str
    base_image: str
    root: Path

    def bound(self, directory: str) -> Dict[str, str]:
        """Driver options of a local volume kept in ``directory`` (a new, empty one) below ``root``."""
        path = self.root / directory
        path.mkdir()
        return {"type": "none", "device": str(path), "o": "bind"}

    @property
    def container(self) -> str:
        return f"{self.name}.app"

    @property
    def volume(self) -> str:
        return f"{self.name}.data"

    def config(self, **volume: Any) -> Dict[str, Any]:
        return {
            "app": {"image": self.base_image, "attaches": "data", "create_options": {"command": SLEEPER}},
            "volumes": {"data": {"default_path": "/data", **volume}},
        }

    def client(self, options: Any = None, **volume: Any) -> MappingDockerClient:
        container_map = ContainerMap(self.name, self.config(**volume))
        config = ClientConfiguration(base_url=self.base_url)
        return MappingDockerClient(container_map, config, option_defaults=options)

    def run_killed(self, kill_after: int, action: str, options: Any = None, **volume: Any) -> bool:
        """Run ``action`` in a child process killed after ``kill_after`` changing requests; whether it was."""
        spec = {
            "name": self.name,
            "map": self.config(**volume),
            "base_url": self.base_url,
            "action": action,
            "options": options or {},
            "kill_after": kill_after,
        }
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(spec)], env=env, capture_output=True, timeout=300
        )
        if done.returncode not in (0, -signal.SIGKILL):
            pytest.fail(f"the child run failed: {done.stderr.decode()}")
        return done.returncode == -signal.SIGKILL


@pytest.fixture
def vsite(engine, base_image, cleanup, tmp_path) -> VolumeSite:
    return VolumeSite(cleanup.name("vol"), engine.base_url, base_image, tmp_path)


def leftovers(api, site: VolumeSite) -> list:
    """Names of helper containers and temporary volumes of the site's volume."""
    found = [c["Names"][0].lstrip("/") for c in api.containers(all=True, filters={"name": site.volume + "."})]
    volumes = api.volumes(filters={"name": site.volume + "."}).get("Volumes") or []
    return found + [v["Name"] for v in volumes]


def start_with_data(api, site: VolumeSite, **volume: Any) -> str:
    """Start the site, write the data; the listing of the data (names, owners, modes, times)."""
    site.client(**volume).startup("app")
    exec_in(api, site.container, WRITE_DATA)
    return exec_in(api, site.container, LIST_DATA)


def test_changed_driver_options_are_refused_and_nothing_changes(engine, vsite):
    api = engine.api
    listing = start_with_data(api, vsite)
    container_id = api.inspect_container(vsite.container)["Id"]
    client = vsite.client(driver_options=vsite.bound("new"))
    for call in (lambda: client.plan("update", "app"), lambda: client.update("app")):
        with pytest.raises(VolumeChangeRefused) as caught:
            call()
        message = str(caught.value)
        assert f"volume {vsite.volume} is configured differently" in message
        assert "driver option type is configured but not set on the volume" in message
        assert "recreate_volumes='copy'" in message
    assert api.inspect_container(vsite.container)["Id"] == container_id
    assert api.inspect_volume(vsite.volume)["Options"] in (None, {})
    assert exec_in(api, vsite.container, LIST_DATA) == listing


def test_discard_recreates_the_volume_empty(engine, vsite):
    api = engine.api
    start_with_data(api, vsite)
    options = vsite.bound("new")
    vsite.client(driver_options=options).update("app", recreate_volumes="discard")
    assert api.inspect_volume(vsite.volume)["Options"] == options
    assert exec_in(api, vsite.container, "ls -A /data") == ""


def test_copy_keeps_every_file_with_owner_mode_and_times_both_ways(engine, vsite):
    api = engine.api
    listing = start_with_data(api, vsite)
    options = vsite.bound("new")
    vsite.client({"recreate_volumes": "copy"}, driver_options=options).update("app")
    assert api.inspect_volume(vsite.volume)["Options"] == options
    assert exec_in(api, vsite.container, LIST_DATA) == listing
    # removing the options is a change as well
    client = vsite.client()
    with pytest.raises(VolumeChangeRefused, match="driver option type is set on the volume but no longer"):
        client.update("app")
    client.update("app", recreate_volumes="copy")
    assert api.inspect_volume(vsite.volume)["Options"] in (None, {})
    assert exec_in(api, vsite.container, LIST_DATA) == listing
    assert leftovers(api, vsite) == []


def test_the_map_setting_consents_and_a_call_overrides_it(engine, vsite):
    api = engine.api
    listing = start_with_data(api, vsite)

    def client(**volume: Any) -> MappingDockerClient:
        config = {**vsite.config(**volume), "recreate_volumes": "copy"}
        return MappingDockerClient(
            ContainerMap(vsite.name, config), ClientConfiguration(base_url=vsite.base_url)
        )

    options = vsite.bound("new")
    client(driver_options=options).update("app")
    assert api.inspect_volume(vsite.volume)["Options"] == options
    assert exec_in(api, vsite.container, LIST_DATA) == listing

    client().update("app", recreate_volumes="discard")
    assert api.inspect_volume(vsite.volume)["Options"] in (None, {})
    assert exec_in(api, vsite.container, "ls -A /data") == ""


def test_changed_owner_and_mode_are_applied_in_place(engine, vsite):
    api = engine.api
    vsite.client(user=2000, permissions="u=rwX,g=rX,o=").startup("app")
    exec_in(api, vsite.container, "echo kept > /data/file")
    client = vsite.client(user=3000, permissions="700")
    assert [a.cause for a in client.plan("update", "app") if a.kind == "prepare"] == [
        "owner and mode changed: owner=2000 mode=u=rwX,g=rX,o=, expected owner=3000 mode=700"
    ]
    volume_actions = [r.action_type for r in client.update("app") if r.config_id.instance_name == "data"]
    assert volume_actions == ["prepare"]
    assert exec_in(api, vsite.container, "stat -c '%u %a' /data /data/file; cat /data/file") == (
        "3000 700\n3000 700\nkept"
    )
    assert str(client.plan("update", "app")) == "nothing to do"


def test_failed_preparation_leaves_a_labelled_helper_that_the_next_run_removes(engine, vsite):
    api = engine.api
    with pytest.raises(ActionRunnerException, match="helper .*dockermap-prepare"):
        vsite.client(user="no-such-user").startup("app")
    helper = f"{vsite.volume}.dockermap-prepare"
    labels = api.inspect_container(helper)["Config"]["Labels"]
    assert (labels[LABEL_KIND], labels[LABEL_VOLUME], labels[LABEL_HELPER]) == (
        "helper",
        vsite.volume,
        "prepare",
    )
    assert labels[LABEL_RUN]
    # the leftover does not block removing the volume
    vsite.client(user="no-such-user").shutdown("app", remove_attached=True)
    assert leftovers(api, vsite) == []
    assert not api.volumes(filters={"name": vsite.volume}).get("Volumes")


def test_missing_helper_image_is_pulled_first_and_an_unpullable_one_changes_nothing(engine, vsite, cleanup):
    api = engine.api
    image = "127.0.0.1:9/dockermap-no-such-core:latest"  # nothing listens on port 9
    client = vsite.client({"core_image": image}, user=2000)
    first = client.plan("startup", "app")[0]
    assert (first.kind, first.name) == ("pull", image)
    assert first.cause == f"image {image} is not on the client; the helper containers of volumes need it"
    with pytest.raises(ActionRunnerException):
        client.startup("app")
    assert not api.volumes(filters={"name": vsite.volume}).get("Volumes")


def converged_prepared(api, site: VolumeSite, client: MappingDockerClient) -> None:
    assert str(client.plan("update", "app")) == "nothing to do"
    assert exec_in(api, site.container, "stat -c '%u %a' /data") == "2000 750"
    assert leftovers(api, site) == []


def test_startup_killed_after_any_request_is_completed_by_the_next_update(engine, vsite):
    api = engine.api
    prepared = {"user": 2000, "permissions": "u=rwX,g=rX,o="}
    client = vsite.client(**prepared)
    kill_after = 1
    while vsite.run_killed(kill_after, "startup", **prepared):
        client.update("app")
        converged_prepared(api, vsite, client)
        client.shutdown("app", remove_attached=True)
        kill_after += 1
    assert kill_after > 4  # helper created with the volume, started, waited for, removed; ...
    converged_prepared(api, vsite, client)


def test_copy_killed_after_any_request_loses_nothing(engine, vsite):
    api = engine.api
    copy = f"{vsite.volume}.dockermap-copy"
    told = set()
    kill_after = 1
    while True:
        listing = start_with_data(api, vsite)
        options = vsite.bound(f"run{kill_after}")
        client = vsite.client({"recreate_volumes": "copy"}, driver_options=options)
        if not vsite.run_killed(kill_after, "update", {"recreate_volumes": "copy"}, driver_options=options):
            break
        told.update(a.cause for a in client.plan("update", "app") if copy in a.cause)
        client.update("app")
        assert exec_in(api, vsite.container, LIST_DATA) == listing
        assert api.inspect_volume(vsite.volume)["Options"] == options
        assert leftovers(api, vsite) == []
        client.shutdown("app", remove_attached=True)
        kill_after += 1
    assert f"its data is in volume {copy}, left by an interrupted copy" in told
    assert exec_in(api, vsite.container, LIST_DATA) == listing
