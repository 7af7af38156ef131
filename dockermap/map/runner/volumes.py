"""Volume verbs: create, remove, and prepare (set owner and mode of an attached volume).

Preparation runs ``chown -R`` and ``chmod -R`` on the volume's contents: on the Docker host through
the client's ``run_cmd`` hook when it has one (and ``prepare_local`` is set), otherwise in a
short-lived helper container of the core image, running as root without network, with the volume
mounted at :data:`PREPARATION_PATH`. The helper is always removed; a failure reports its output.
"""

from __future__ import annotations

import shlex
from typing import Any, Dict, List, Optional

from ..items import DesiredVolume
from .step import Step
from .utils import container_log, host_config_kwargs, wait_exit_code

#: Where the helper container mounts the volume it prepares.
PREPARATION_PATH = "/volume-tmp"
#: Seconds the helper container may take.
PREPARATION_TIMEOUT = 300


def create(step: Step) -> Dict[str, Any]:
    """Create the named volume (``create_volume`` result)."""
    desired = step.require(DesiredVolume)
    return step.client.create_volume(**{**desired.create_kwargs, "name": step.action.name})


def remove(step: Step) -> None:
    """Remove the named volume. Args: ``force``."""
    step.client.remove_volume(step.action.name, **step.args)


def preparation_commands(user: Optional[str], permissions: Optional[str], path: str) -> List[str]:
    """Shell commands giving everything under ``path`` the owner ``user`` and mode ``permissions``."""
    commands = []
    if user:
        commands.append(f"chown -R {shlex.quote(str(user))} {shlex.quote(path)}")
    if permissions:
        commands.append(f"chmod -R {shlex.quote(str(permissions))} {shlex.quote(path)}")
    return commands


def prepare(step: Step) -> Any:
    """Set owner and mode of the volume; ``None`` when neither is configured.

    Returns the ``run_cmd`` results (local mode) or ``{'exit_code': 0}`` (helper container).
    """
    desired = step.require(DesiredVolume)
    client = step.client
    run_cmd = getattr(client, "run_cmd", None)
    if step.options.prepare_local and run_cmd is not None:
        mountpoint = client.inspect_volume(step.action.name)["Mountpoint"]
        return [
            run_cmd(command)
            for command in preparation_commands(desired.user, desired.permissions, mountpoint)
        ]
    commands = preparation_commands(desired.user, desired.permissions, PREPARATION_PATH)
    if not commands:
        return None
    script = " && ".join(commands)
    helper = client.create_container(
        image=step.core_image,
        command=["sh", "-c", script],
        user="0",  # root by id: the core image needs no /etc/passwd
        network_disabled=True,
        volumes=[PREPARATION_PATH],
        **host_config_kwargs(client, {"binds": [f"{step.action.name}:{PREPARATION_PATH}:rw"]}),
    )["Id"]
    try:
        client.start(helper)
        exit_code = wait_exit_code(client, helper, PREPARATION_TIMEOUT)
        if exit_code != 0:
            outcome = (
                f"exit code {exit_code}" if exit_code is not None else f"timeout ({PREPARATION_TIMEOUT} s)"
            )
            raise RuntimeError(
                f"preparing volume {step.action.name!r} failed: {script!r} in {step.core_image} "
                f"ended with {outcome}; output:\n{container_log(client, helper).strip()}"
            )
    finally:
        client.remove_container(helper, force=True)
    return {"exit_code": exit_code}
