"""The README's demo runs against the real engine and shows what it promises."""

import os
import re
import subprocess
import sys

from dockermap.map.labels import LABEL_MAP
from tests.helpers import REPO_ROOT


def demo_name(test_run) -> str:
    """The demos' name prefix for this run, so that a user's own demo on the engine is never touched."""
    return test_run.name("demo")


def run_example(engine, test_run, name: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / name)],
        env={**os.environ, "DOCKER_HOST": engine.base_url, "DOCKERMAP_DEMO_NAME": demo_name(test_run)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_getting_started_demo(engine, base_image, test_run):
    demo = demo_name(test_run)
    proc = run_example(engine, test_run, "getting_started.py")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "index.html: <h1>Hello from a dockermap-built image</h1>" in proc.stdout
    assert "about.txt:  built by dockermap" in proc.stdout
    assert "Step 2/" in proc.stderr  # the build output reached the dockermap logger
    assert not engine.api.containers(all=True, filters={"name": f"{demo}-site"})
    assert not engine.api.images(name=f"{demo}/site")


ENV_CAUSE = "recreate: configuration changed: environment GREETING is not set"


def _section(output: str, number: int) -> str:
    """The output of the demo's step ``number`` (from its ``== n.`` heading to the next one)."""
    match = re.search(rf"^== {number}\. .*?(?=^== |\Z)", output, re.M | re.S)
    assert match, f"no step {number} in the output:\n{output}"
    return match.group(0)


def _map_demo_leftovers(api, demo: str) -> list:
    """Everything of the demo map and its images still on the engine."""
    by_label = {"label": f"{LABEL_MAP}={demo}"}
    containers = api.containers(all=True, filters=by_label) + api.containers(
        all=True, filters={"name": f"^/?{demo}\\."}
    )
    volumes = api.volumes(filters=by_label).get("Volumes") or []
    images = api.images(name=f"{demo}/nginx") + api.images(name=f"{demo}/uwsgi")
    return (
        [("container", c["Id"]) for c in containers]
        + [("volume", v["Name"]) for v in volumes]
        + [("image", i["Id"]) for i in images]
    )


def _remove(api, leftovers: list) -> None:
    for kind, name in leftovers:
        {"container": lambda n: api.remove_container(n, force=True), "volume": api.remove_volume}.get(
            kind, lambda n: api.remove_image(n, force=True)
        )(name)


def test_map_demo(engine, base_image, test_run):
    demo = demo_name(test_run)
    proc = run_example(engine, test_run, "map_demo.py")
    leftovers = _map_demo_leftovers(engine.api, demo)
    _remove(engine.api, leftovers)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert not leftovers
    assert out.rstrip().endswith("left of the map on the engine: nothing")

    startup = _section(out, 2)
    created = re.findall(r"^  \| create container (\S+): container does not exist$", startup, re.M)
    assert created == [f"{demo}.uwsgi", f"{demo}.nginx"]

    running = _section(out, 3)
    ports = re.findall(r"port (\d+)/tcp published on 127\.0\.0\.1:(\d+)", running)
    assert [port for port, _ in ports] == ["80", "443"]
    assert all(host_port not in ("80", "443") for _, host_port in ports)
    assert f"    /var/lib/uwsgi/socket  rw  volume {demo}.uwsgi_socket" in running
    assert re.search(r"^    /etc/nginx +ro  host /\S+/config/nginx$", running, re.M)
    http = ports[0][1]
    assert (
        f"GET http://127.0.0.1:{http}/index.html -> <h1>Welcome to the getting-started site</h1>" in running
    )
    assert f"GET http://127.0.0.1:{http}/cgi-bin/greeting -> Hello from uwsgi" in running

    plan = _section(out, 4).split("print(client.plan('update', 'nginx')):\n", 1)[1].strip().splitlines()
    assert plan == [
        f"{kind} container {demo}.uwsgi: {ENV_CAUSE}" for kind in ("stop", "remove", "create", "start")
    ]

    update = _section(out, 5)
    assert re.search(rf"^{demo}\.nginx  running  id \w{{12}}  kept$", update, re.M)
    assert re.search(rf"^{demo}\.uwsgi  running  id \w{{12}}  recreated \(was \w{{12}}\)$", update, re.M)
    assert "    started with GREETING=(unset)\n    started with GREETING=Hello again\n" in update
    assert f"GET http://127.0.0.1:{http}/cgi-bin/greeting -> Hello again from uwsgi" in update
    assert "client.plan('update', 'nginx') now: nothing to do" in update
