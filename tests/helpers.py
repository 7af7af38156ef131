"""Test helpers shared by the unit and integration tests (one place, never copied)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

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


#: Label of the harness's base image. Not the run label: containers inherit image labels.
BASE_IMAGE_LABELS = {"dockermap.test.base": "busybox"}


def build_busybox_image(api: docker.APIClient, tag: str, labels: dict = BASE_IMAGE_LABELS) -> str:
    """Build ``tag`` FROM scratch with the static busybox binary and its applets; returns the image id."""
    if not shutil.which("busybox") and not os.path.exists(BUSYBOX_BINARY):
        raise RuntimeError("busybox-static is not installed (scripts/engine.sh install brings it)")
    dockerfile = (
        b"FROM scratch\n"
        b"COPY busybox /bin/busybox\n"
        b'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n'
        b'RUN ["/bin/mkdir", "-p", "/tmp", "/etc"]\n'
        b'RUN ["/bin/sh", "-c", "echo root:x:0:0:root:/root:/bin/sh > /etc/passwd; '
        b'echo root:x:0: > /etc/group"]\n'
        b'CMD ["sh"]\n'
    )
    context = tar_context({"Dockerfile": dockerfile, "busybox": BUSYBOX_BINARY})
    output = api.build(fileobj=context, custom_context=True, tag=tag, rm=True, labels=labels, decode=True)
    for chunk in output:
        if "error" in chunk:
            raise RuntimeError(f"building {tag} failed: {chunk['error']}")
    return api.inspect_image(tag)["Id"]


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
        for image in api.images(all=True):
            tags = image.get("RepoTags") or []
            labelled = (image.get("Labels") or {}).get(TEST_RUN_LABEL) == run.run_id
            if any(t.startswith(run.prefix) for t in tags) or labelled:
                try:
                    api.remove_image(image["Id"], force=True)
                except docker.errors.NotFound:
                    continue
                removed.append(("image", tags[0] if tags else image["Id"]))
    return removed
