"""Fixtures for the DockerClientWrapper tests: the client under test, a local registry, helpers."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockermap.client.base import DockerClientWrapper

REGISTRY_BINARY = "docker-registry"
REGISTRY_USER = "tester"
REGISTRY_PASSWORD = "dockermap-test"
# bcrypt hash (cost 4, so that the registry checks it quickly) of REGISTRY_PASSWORD.
REGISTRY_PASSWORD_HASH = "$2b$04$Q2z/UxkCS974lXzWN7XDKeypxDdEXg2AqCTisrbE06pqwYW.5OF1O"
REGISTRY_CONFIG = """\
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: {root}/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:{port}
auth:
  htpasswd:
    realm: dockermap-test
    path: {root}/htpasswd
"""


@pytest.fixture
def client(engine) -> DockerClientWrapper:
    """The client under test, connected to the main engine (API version negotiated)."""
    wrapper = DockerClientWrapper(engine.base_url, timeout=120)
    yield wrapper
    wrapper.close()


@pytest.fixture
def run_container(engine, cleanup):
    """``run(image, command, suffix) -> output``: run a prefixed, labelled container to its end."""

    def run(image: str, command: str, suffix: str) -> str:
        container = engine.api.create_container(
            image, command, name=cleanup.name(suffix), labels=cleanup.labels
        )
        engine.api.start(container)
        status = engine.api.wait(container, timeout=60)["StatusCode"]
        output = engine.api.logs(container).decode()
        assert status == 0, output
        return output

    return run


@dataclass
class Registry:
    """A local registry with basic authentication; the engine treats 127.0.0.1 as insecure (plain HTTP)."""

    host: str
    username: str = REGISTRY_USER
    password: str = REGISTRY_PASSWORD


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_registry(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError as exc:
            if exc.code == 401:  # up, and asking for credentials
                return
        except OSError:
            pass
        time.sleep(0.1)
    pytest.fail(f"the test registry did not start; its log:\n{log_path.read_text()}", pytrace=False)


@pytest.fixture(scope="session")
def registry():
    """A private registry (Debian package ``docker-registry``) on a free local port, for this session."""
    binary = shutil.which(REGISTRY_BINARY)
    if not binary:
        pytest.fail("docker-registry is not installed (apt-get install docker-registry)", pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="dockermap-registry."))
    port = _free_port()
    (root / "htpasswd").write_text(f"{REGISTRY_USER}:{REGISTRY_PASSWORD_HASH}\n")
    (root / "config.yml").write_text(REGISTRY_CONFIG.format(root=root, port=port))
    log_path = root / "registry.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen([binary, "serve", str(root / "config.yml")], stdout=log_file, stderr=log_file)
    try:
        _wait_for_registry(f"http://127.0.0.1:{port}/v2/", proc, log_path)
        yield Registry(f"127.0.0.1:{port}")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(root, ignore_errors=True)
