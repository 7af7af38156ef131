"""The README's demo runs against the real engine and shows what it promises."""

import os
import subprocess
import sys

from tests.helpers import REPO_ROOT


def test_getting_started_demo(engine, base_image):
    proc = subprocess.run(
        [sys.executable, str(REPO_ROOT / "examples" / "getting_started.py")],
        env={**os.environ, "DOCKER_HOST": engine.base_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "index.html: <h1>Hello from a dockermap-built image</h1>" in proc.stdout
    assert "about.txt:  built by dockermap" in proc.stdout
    assert "Step 2/" in proc.stderr  # the build output reached the dockermap logger
    assert not engine.api.containers(all=True, filters={"name": "dockermap-demo-site"})
    assert not engine.api.images(name="dockermap-demo/site")
