"""Test helpers shared by the unit and integration tests (one place, never copied)."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import docker

REPO_ROOT = Path(__file__).resolve().parent.parent
ENGINE_SCRIPT = REPO_ROOT / "scripts" / "engine.sh"
#: Label put on everything the tests create; its value is the run id.
TEST_RUN_LABEL = "dockermap.test.run"
#: Stand-in for ``dockermap.DEFAULT_COREIMAGE``; built locally from the static busybox binary.
BASE_IMAGE = "busybox:latest"
BUSYBOX_BINARY = "/bin/busybox"


@dataclass
class TestRun:
    """Identity of one test session: every engine object it creates carries ``prefix`` and ``labels``."""

    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])

    @property
    def prefix(self) -> str:
        return f"dmt{self.run_id}-"

    @property
    def labels(self) -> dict:
        return {TEST_RUN_LABEL: self.run_id}

    def name(self, suffix: str) -> str:
        return f"{self.prefix}{suffix}"


def api_client(base_url: str) -> docker.APIClient:
    """A plain SDK client, used by the harness to prepare and verify (never the code under test)."""
    return docker.APIClient(base_url=base_url, version="auto", timeout=120)


def engine_answers(base_url: str) -> bool:
    try:
        api_client(base_url).ping()
    except Exception:
        return False
    return True


def start_engine(state_dir: str, netns: str = "") -> str:
    """Start a private engine through scripts/engine.sh; returns its base URL."""
    args = ["bash", str(ENGINE_SCRIPT), "start", state_dir] + ([netns] if netns else [])
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"could not start a Docker Engine in {state_dir}: {proc.stderr.strip()}")
    return proc.stdout.strip().splitlines()[-1]


def restart_engine(state_dir: str) -> str:
    """Restart the engine of ``state_dir`` keeping its state; returns its base URL."""
    proc = subprocess.run(["bash", str(ENGINE_SCRIPT), "restart", state_dir], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"could not restart the Docker Engine in {state_dir}: {proc.stderr.strip()}")
    return proc.stdout.strip().splitlines()[-1]


def dump_engine_goroutines(state_dir: str) -> str:
    """Ask the engine of ``state_dir`` to write its goroutine stacks (SIGUSR1) and copy the file out of
    the state directory; returns the copy's path ('' when there is none)."""
    pid = int(Path(state_dir, "dockerd.pid").read_text())
    os.kill(pid, signal.SIGUSR1)
    for _ in range(30):
        dumps = sorted(Path(state_dir).glob("exec/goroutine-stacks-*.log"))
        if dumps:
            time.sleep(0.5)  # the engine may still be writing it
            kept = Path(tempfile.gettempdir()) / f"dockermap-{Path(state_dir).name}-{dumps[-1].name}"
            shutil.copy(dumps[-1], kept)
            return str(kept)
        time.sleep(0.1)
    return ""


def halt_engine(state_dir: str) -> None:
    """Stop the engine of ``state_dir``, waiting until it is gone; its state stays for a restart."""
    subprocess.run(["bash", str(ENGINE_SCRIPT), "halt", state_dir], check=True)


def stop_engine(state_dir: str) -> None:
    subprocess.run(["bash", str(ENGINE_SCRIPT), "stop", state_dir], check=False)


def tar_context(files: dict) -> io.BytesIO:
    """An uncompressed build context from ``{member name: bytes or local path}``."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, content in files.items():
            if isinstance(content, (str, os.PathLike)):
                tar.add(str(content), arcname=name)
            else:
                info = tarfile.TarInfo(name)
                info.size = len(content)
                info.mode = 0o755
                tar.addfile(info, io.BytesIO(content))
    buf.seek(0)
    return buf


def build_image(
    api: docker.APIClient, tag: str, dockerfile: str, files: dict = None, labels: dict = None
) -> str:
    """Build ``tag`` from Dockerfile text plus ``files`` (see :func:`tar_context`); returns the image id.

    Test builds never use the build cache: a layer shared with a parallel test run could be removed by
    that run's cleanup while this build still refers to it.
    """
    context = tar_context({"Dockerfile": dockerfile.encode(), **(files or {})})
    output = api.build(
        fileobj=context, custom_context=True, tag=tag, forcerm=True, nocache=True, labels=labels, decode=True
    )
    for chunk in output:
        if "error" in chunk:
            raise RuntimeError(f"building {tag} failed: {chunk['error']}")
    return api.inspect_image(tag)["Id"]


#: Label of the harness's base image. Not the run label: containers inherit image labels.
BASE_IMAGE_LABELS = {"dockermap.test.base": "busybox"}


def build_busybox_image(api: docker.APIClient, tag: str) -> str:
    """Build ``tag`` FROM scratch with the static busybox binary and its applets; returns the image id."""
    if not shutil.which("busybox") and not os.path.exists(BUSYBOX_BINARY):
        raise RuntimeError("busybox-static is not installed (scripts/engine.sh install brings it)")
    dockerfile = (
        "FROM scratch\n"
        "COPY busybox /bin/busybox\n"
        'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        'RUN ["/bin/mkdir", "-p", "/tmp", "/etc"]\n'
        'RUN ["/bin/sh", "-c", "echo root:x:0:0:root:/root:/bin/sh > /etc/passwd; '
        'echo root:x:0: > /etc/group"]\n'
        'CMD ["sh"]\n'
    )
    return build_image(api, tag, dockerfile, {"busybox": BUSYBOX_BINARY}, BASE_IMAGE_LABELS)


def remove_test_objects(api: docker.APIClient, run: TestRun, images: bool = True) -> list:
    """Remove every container, network, volume (and image) of this run; returns what was removed."""
    label_filter = {"label": f"{TEST_RUN_LABEL}={run.run_id}"}
    removed = []
    for container in api.containers(all=True):
        names = [n.lstrip("/") for n in container.get("Names") or []]
        labelled = (container.get("Labels") or {}).get(TEST_RUN_LABEL) == run.run_id
        if labelled or any(n.startswith(run.prefix) for n in names):
            api.remove_container(container["Id"], force=True, v=True)
            removed.append(("container", names[0] if names else container["Id"]))
    labelled_networks = {n["Name"] for n in api.networks(filters=label_filter)}
    for network in api.networks():
        if network["Name"].startswith(run.prefix) or network["Name"] in labelled_networks:
            api.remove_network(network["Id"])
            removed.append(("network", network["Name"]))
    volumes = api.volumes().get("Volumes") or []
    labelled_volumes = {v["Name"] for v in api.volumes(filters=label_filter).get("Volumes") or []}
    for volume in volumes:
        if volume["Name"].startswith(run.prefix) or volume["Name"] in labelled_volumes:
            api.remove_volume(volume["Name"], force=True)
            removed.append(("volume", volume["Name"]))
    if images:
        removed.extend(_remove_test_images(api, run))
    return removed


def _remove_test_images(api: docker.APIClient, run: TestRun) -> list:
    """Untag the run's image tags and remove the images labelled with its run id.

    Tags, not ids: identical builds of other runs share image ids through the build cache, and a
    forced untag leaves an image that another run's container still uses in place. Children go before
    their parents (a rebuilt image may use an older one as its cache parent).
    """
    removed = []
    pending = []
    for image in api.images(all=True):
        pending.extend(t for t in image.get("RepoTags") or [] if t.startswith(run.prefix))
        if (image.get("Labels") or {}).get(TEST_RUN_LABEL) == run.run_id:
            pending.append(image["Id"])
    while pending:
        blocked = []
        for reference in pending:
            try:
                api.remove_image(reference, force=True)
            except docker.errors.NotFound:
                continue
            except docker.errors.APIError as exc:
                if exc.status_code != 409:
                    raise
                blocked.append(reference)
                continue
            removed.append(("image", reference))
        if len(blocked) == len(pending):
            raise RuntimeError(f"images of run {run.run_id} cannot be removed: {blocked}")
        pending = blocked
    return removed


class RequestCountingProxy:
    """A proxy in front of an engine that records every HTTP request line passing through.

    It listens on ``socket_path``, or on a free TCP port of 127.0.0.1 when that is ``None``. Point a
    client at :attr:`base_url`; :attr:`requests` lists ``(method, path)`` in order, :attr:`connections`
    counts the connections opened.
    """

    _REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP/1\.[01]\r\n")

    def __init__(self, engine_url: str, socket_path: Optional[str]):
        if not engine_url.startswith("unix://"):
            raise ValueError(f"the proxy needs a unix socket engine, not {engine_url}")
        self.upstream = "/" + engine_url[len("unix://") :].lstrip("/")
        self.socket_path = socket_path
        self.requests: list = []
        self.connections = 0
        self._lock = threading.Lock()
        if socket_path is None:  # plain TCP on a free port of 127.0.0.1
            self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._server.bind(("127.0.0.1", 0))
        else:
            self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._server.bind(socket_path)
        self._server.listen(128)  # Compose opens many connections at once
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        if self.socket_path is None:
            return f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
        return f"unix://{self.socket_path}"

    def mutating(self) -> list:
        return [r for r in self.requests if r[0] != "GET" and r[0] != "HEAD"]

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.connections = 0

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self._server.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(self.upstream)
            threading.Thread(target=self._pump, args=(downstream, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, downstream, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, record: bool) -> None:
        pending = b""
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if record:
                    pending = self._record(pending + data)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _record(self, data: bytes) -> bytes:
        end = 0
        for match in self._REQUEST_LINE.finditer(data):
            with self._lock:
                self.requests.append((match.group(1).decode(), match.group(2).decode()))
            end = match.end()
        # Keep a tail in case a request line is split between two reads.
        return data[max(end, len(data) - 512) :]


def fetch(url: str, attempts: int = 50) -> str:
    """GET ``url`` (a port published on 127.0.0.1), retrying while the server in the container starts."""
    error: Exception = RuntimeError("no attempt")
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read().decode()
        except OSError as exc:
            error = exc
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered at {url}: {error}")


def exec_in(api: docker.APIClient, container: str, cmd: str) -> str:
    """Run ``sh -c cmd`` in a running container; returns its output, stripped."""
    exec_id = api.exec_create(container, ["sh", "-c", cmd])
    return api.exec_start(exec_id).decode().strip()


def mounts(api: docker.APIClient, container: str) -> dict:
    """The container's mounts by destination path."""
    return {m["Destination"]: m for m in api.inspect_container(container)["Mounts"]}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Terminate a server process the tests started, killing it if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class CommandResult:
    """Exit code and output of one run of the ``dockermap`` command."""

    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    @property
    def lines(self) -> list:
        return self.out.splitlines()

    def json_lines(self) -> list:
        """Every line of stdout parsed as one JSON object."""
        return [json.loads(line) for line in self.lines]

    def __repr__(self) -> str:
        return f"exit {self.code}\nstdout:\n{self.out}\nstderr:\n{self.err}"


def ok(result: CommandResult) -> CommandResult:
    """``result``, after checking that the command succeeded."""
    assert result.code == 0, result
    return result
