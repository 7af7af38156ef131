"""Fixtures for the whole suite: the real Docker Engine(s), local images, names and cleanup.

Integration tests (everything under ``tests/integration``) talk to a real engine:
``DOCKER_HOST`` when it is set and answers, otherwise a private engine started here (root needed).
If no engine can be had, those tests fail with the reason; they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import List

import docker
import pytest
import requests

from tests import helpers

INTEGRATION_DIR = Path(__file__).parent / "integration"

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


@pytest.fixture(scope="session", autouse=True)
def parsed_files_cache(tmp_path_factory):
    """The command keeps parsed files under XDG_CACHE_HOME: here a directory of this run, not the user's."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """After a failed test that used the main engine, restart that engine if it hangs (see
    :meth:`_Engine.recover_if_hung`), and say so in the test's report."""
    outcome = yield
    report = outcome.get_result()
    eng = getattr(item, "funcargs", {}).get("engine")
    if report.failed and isinstance(eng, _Engine):
        recovered = eng.recover_if_hung()
        if recovered:
            report.sections.append(("engine", recovered))
            _ENGINE_RESTARTS.append(f"{item.nodeid}: {recovered}")


def pytest_terminal_summary(terminalreporter):
    if _ENGINE_RESTARTS:
        terminalreporter.section("engine restarts")
        for line in _ENGINE_RESTARTS:
            terminalreporter.write_line(line)


def pytest_collection_modifyitems(items):
    for item in items:
        if INTEGRATION_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def test_run() -> helpers.TestRun:
    """Per-run name prefix and labels for every object a test creates."""
    return helpers.TestRun()


#: Set by scripts/with-engine.sh to the state directory of the engine it started for the run.
ENGINE_DIR_VARIABLE = "DOCKERMAP_TEST_ENGINE_DIR"
#: Seconds without an answer to a network listing after which an engine counts as hung.
HUNG_AFTER = 30.0
#: The main engine's restarts after it hung: which test failed, and what was done.
_ENGINE_RESTARTS: List[str] = []


class _Engine:
    """A Docker Engine for the tests: its base URL and a plain SDK client for setup and checks.

    ``restartable_dir``: the state directory of an engine the harness started (``state_dir`` when it
    was started here), so that :meth:`recover_if_hung` may restart it.
    """

    def __init__(self, base_url: str, state_dir: str = "", restartable_dir: str = ""):
        self.base_url = base_url
        self.state_dir = state_dir
        self.restartable_dir = restartable_dir or state_dir
        self.api = helpers.api_client(base_url)

    def recover_if_hung(self, hung_after: float = HUNG_AFTER) -> str:
        """Restart the engine, keeping its state, when it no longer lists its networks in time; returns
        what was done ('' when it answers). Docker Engine 20.10 before 20.10.27 (Debian's ``docker.io``)
        can deadlock in libnetwork while containers join and leave a network at once
        (moby/moby#46661); the restart lets the rest of the run go on."""
        if not self.restartable_dir:
            return ""
        probe = docker.APIClient(base_url=self.base_url, version=self.api.api_version, timeout=hung_after)
        try:
            probe.networks()
            return ""
        except requests.exceptions.Timeout:
            pass
        finally:
            probe.close()
        dump = helpers.dump_engine_goroutines(self.restartable_dir)
        self.base_url = helpers.restart_engine(self.restartable_dir)
        self.api = helpers.api_client(self.base_url)
        return (
            f"the engine did not list its networks within {hung_after:g} s (a libnetwork deadlock of Docker "
            f"20.10 before 20.10.27 looks like this); its goroutines: {dump or 'not dumped'}; restarted it"
        )

    def halt(self) -> None:
        """Stop the daemon, keeping its state for :meth:`restart` (only for engines started here)."""
        assert self.state_dir, "only a private engine can be halted"
        helpers.halt_engine(self.state_dir)

    def restart(self) -> None:
        """Stop the daemon and start it again on the same state (only for engines started here)."""
        assert self.state_dir, "only a private engine can be restarted"
        self.base_url = helpers.restart_engine(self.state_dir)
        self.api = helpers.api_client(self.base_url)


def _own_engine(name: str, netns: str = "") -> _Engine:
    state_dir = tempfile.mkdtemp(prefix=f"dockermap-{name}.")
    try:
        return _Engine(helpers.start_engine(state_dir, netns), state_dir)
    except Exception as exc:
        helpers.stop_engine(state_dir)
        pytest.fail(f"no Docker Engine for the integration tests: {exc}", pytrace=False)


@pytest.fixture(scope="session")
def engine(test_run):
    """The main engine (``DOCKER_HOST`` if it answers, else a private one for this session)."""
    docker_host = os.environ.get("DOCKER_HOST", "")
    if docker_host and helpers.engine_answers(docker_host):
        eng = _Engine(docker_host, restartable_dir=os.environ.get(ENGINE_DIR_VARIABLE, ""))
    elif docker_host:
        pytest.fail(f"DOCKER_HOST={docker_host} does not answer", pytrace=False)
    else:
        eng = _own_engine("engine")
    yield eng
    # Every test removes what it made (the ``cleanup`` fixture, or its own fixture): anything of this
    # run still on the engine now is a leak, reported as an error after it is removed.
    leftovers = [item for item in helpers.remove_test_objects(eng.api, test_run) if item[0] != "image"]
    if eng.state_dir:
        helpers.stop_engine(eng.state_dir)
    if leftovers:
        pytest.fail(f"the test run left objects on the engine: {leftovers}", pytrace=False)


@pytest.fixture(scope="session")
def second_engine(test_run):
    """An independent engine in its own network namespace: a second Docker host for multi-host tests."""
    eng = _own_engine("second", netns=f"dm{test_run.run_id}")
    yield eng
    helpers.stop_engine(eng.state_dir)


@pytest.fixture(scope="module")
def private_engine(test_run):
    """An engine of its own (own network namespace) that a test may restart; one per test module."""
    eng = _own_engine("private", netns=f"dp{test_run.run_id}")
    _ensure_base_image(eng)
    yield eng
    helpers.stop_engine(eng.state_dir)


def _ensure_base_image(eng: _Engine) -> str:
    if not eng.api.images(name=helpers.BASE_IMAGE):
        helpers.build_busybox_image(eng.api, helpers.BASE_IMAGE)
    return helpers.BASE_IMAGE


@pytest.fixture(scope="session")
def base_image(engine) -> str:
    """``busybox:latest`` on the main engine, built locally FROM scratch when the engine lacks it."""
    return _ensure_base_image(engine)


@pytest.fixture(scope="session")
def second_base_image(second_engine) -> str:
    return _ensure_base_image(second_engine)


@pytest.fixture
def cleanup(engine, test_run):
    """Removes every object of this run from the main engine after the test, pass or fail."""
    yield test_run
    helpers.remove_test_objects(engine.api, test_run)


@dataclass
class Registry:
    """A local registry with basic authentication; the engine treats 127.0.0.1 as insecure (plain HTTP)."""

    host: str
    username: str = REGISTRY_USER
    password: str = REGISTRY_PASSWORD


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
    port = helpers.free_port()
    (root / "htpasswd").write_text(f"{REGISTRY_USER}:{REGISTRY_PASSWORD_HASH}\n")
    (root / "config.yml").write_text(REGISTRY_CONFIG.format(root=root, port=port))
    log_path = root / "registry.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen([binary, "serve", str(root / "config.yml")], stdout=log_file, stderr=log_file)
    try:
        _wait_for_registry(f"http://127.0.0.1:{port}/v2/", proc, log_path)
        yield Registry(f"127.0.0.1:{port}")
    finally:
        helpers.stop_process(proc)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def request_proxy(engine):
    """A :class:`~tests.helpers.RequestCountingProxy` in front of the main engine (removed afterwards)."""
    # A short directory: unix socket paths are limited to about 100 characters.
    directory = tempfile.mkdtemp(prefix="dmproxy", dir="/tmp")
    counting = helpers.RequestCountingProxy(engine.base_url, f"{directory}/engine.sock")
    yield counting
    counting.close()
    shutil.rmtree(directory, ignore_errors=True)
