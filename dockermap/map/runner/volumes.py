"""Volume verbs: create, remove, prepare (owner and mode), and the steps of recreating a volume with its data.

Owner and mode are set by ``chown -R`` and ``chmod -R`` on the volume's contents: on the Docker host
through the client's ``run_cmd`` hook when it has one (and ``prepare_local`` is set), otherwise in a
short-lived helper container of the core image, running as root without network.

Everything here is safe to interrupt at any point, because the next run can tell what is left to do:

* A volume that needs preparation is created together with its (not yet started) preparation helper,
  in one request. The helper is removed only once the preparation succeeded, so a labelled helper left
  on the engine means the preparation did not complete.
* Recreating a volume with its data copies it into a temporary volume, with a completion marker written
  after the copy; the volume is removed only after that. The new volume carries the same run id as the
  copy, which tells it from the original. Copying back wipes the new volume first, so it can simply be
  repeated; the temporary volume is removed last.

Helper containers carry dockermap's labels (kind ``helper``, the volume, the purpose and the run) and
are named ``<volume>.dockermap-<purpose>``; a failed helper is left for inspection and removed by the
next run (``clean``).
"""

from __future__ import annotations

import shlex
from typing import Any, Dict, List, Optional

from dockermap.map.exceptions import VolumeHelperError

from ..items import DesiredVolume
from ..labels import KIND_HELPER, KIND_VOLUME_COPY, LABEL_RUN, helper_labels, helper_name
from .step import Step
from .utils import container_log, host_config_kwargs, wait_exit_code

#: Where helper containers mount the volume they prepare or copy.
PREPARATION_PATH = "/volume-tmp"
#: Where the copy helpers mount the temporary copy of the volume.
COPY_PATH = "/volume-copy"
#: In the temporary copy: the volume's data, and the file written once the copy is complete.
COPY_DATA = f"{COPY_PATH}/data"
COPY_COMPLETE = f"{COPY_PATH}/complete"
#: Seconds a helper container may take.
PREPARATION_TIMEOUT = 300
#: Exit code of the restore helper when the temporary copy is incomplete.
INCOMPLETE_COPY = 3


def _labels(step: Step, kind: str, purpose: str) -> Dict[str, str]:
    volume_labels = step.require(DesiredVolume).create_kwargs.get("labels") or {}
    return helper_labels(volume_labels, kind, step.action.name, purpose, step.run_id)


def _create_helper(step: Step, purpose: str, script: str, **host_config: Any) -> str:
    """Create (not start) the helper container of ``purpose`` running ``script``; its name."""
    name = helper_name(step.action.name, purpose)
    client = step.client
    client.create_container(
        image=step.core_image,
        command=["sh", "-c", script],
        name=name,
        user="0",  # root by id: the core image needs no /etc/passwd
        network_disabled=True,
        labels=_labels(step, KIND_HELPER, purpose),
        **host_config_kwargs(client, host_config),
    )
    return name


def _run_helper(step: Step, helper: str, script: str, accepted: tuple = (0,)) -> int:
    """Start a created helper and wait for it; removed when its exit code is ``accepted``.

    A helper that fails or times out stays on the engine (the next run removes it) and the error
    carries its output.
    """
    client = step.client
    client.start(helper)
    exit_code = wait_exit_code(client, helper, PREPARATION_TIMEOUT)
    if exit_code is None or exit_code not in accepted:
        outcome = f"exit code {exit_code}" if exit_code is not None else f"timeout ({PREPARATION_TIMEOUT} s)"
        raise VolumeHelperError(
            f"helper {helper} of volume {step.action.name!r} failed: {script!r} in {step.core_image} "
            f"ended with {outcome}; output:\n{container_log(client, helper).strip()}"
        )
    client.remove_container(helper, force=True)
    return exit_code


def _bind(volume: str, path: str, mode: str = "rw") -> str:
    return f"{volume}:{path}:{mode}"


def create(step: Step) -> Dict[str, Any]:
    """Create the named volume (``create_volume``/``inspect_volume`` result), labelled with the run id.

    Args: ``through_helper``: create it as a mount of its preparation helper (see the module notes).
    """
    desired = step.require(DesiredVolume)
    labels = {**(desired.create_kwargs.get("labels") or {}), LABEL_RUN: step.run_id}
    kwargs = {**desired.create_kwargs, "name": step.action.name, "labels": labels}
    if not step.args.get("through_helper"):
        return step.client.create_volume(**kwargs)
    from docker.types import DriverConfig, Mount

    mount = Mount(
        PREPARATION_PATH,
        step.action.name,
        type="volume",
        labels=kwargs.get("labels"),
        driver_config=DriverConfig(kwargs.get("driver") or "local", kwargs.get("driver_opts")),
    )
    _create_helper(step, "prepare", _preparation_script(desired), mounts=[mount])
    return step.client.inspect_volume(step.action.name)


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


def _preparation_script(desired: DesiredVolume) -> str:
    return " && ".join(preparation_commands(desired.user, desired.permissions, PREPARATION_PATH))


def prepare(step: Step) -> Any:
    """Set owner and mode of the volume; ``None`` when neither is configured.

    Args: ``helper_created``: the preparation helper was created with the volume and waits to be started.
    Returns the ``run_cmd`` results (local mode) or ``{'exit_code': 0}`` (helper container).
    """
    desired = step.require(DesiredVolume)
    client = step.client
    helper = helper_name(step.action.name, "prepare")
    created = step.args.get("helper_created", False)
    run_cmd = getattr(client, "run_cmd", None)
    if step.options.prepare_local and run_cmd is not None:
        mountpoint = client.inspect_volume(step.action.name)["Mountpoint"]
        results = [
            run_cmd(command)
            for command in preparation_commands(desired.user, desired.permissions, mountpoint)
        ]
        if created:  # it only marked the preparation as pending
            client.remove_container(helper, force=True)
        return results
    script = _preparation_script(desired)
    if not script:
        return None
    if not created:
        _create_helper(step, "prepare", script, binds=[_bind(step.action.name, PREPARATION_PATH)])
    return {"exit_code": _run_helper(step, helper, script)}


def clean(step: Step) -> None:
    """Remove helper containers an interrupted run left. Args: ``containers`` (names)."""
    from docker.errors import NotFound

    for name in step.required_arg("containers"):
        try:
            step.client.remove_container(name, force=True)
        except NotFound:
            pass  # gone meanwhile


def _copy_tree(source: str, target: str) -> str:
    """Shell commands copying everything in ``source`` into ``target`` with owners, modes and times
    (``cp -a`` leaves the times of symbolic links and of ``target`` itself, so they are set after)."""
    link_time = f'touch -h -d "@$(stat -c %Y "$1")" "{target}/$1"'
    return (
        f"cp -a {source}/. {target}/ && touch -r {source} {target} && "
        f"(cd {source} && find . -type l -exec sh -c {shlex.quote(link_time)} _ {{}} \\;)"
    )


def backup(step: Step) -> Dict[str, Any]:
    """Copy the volume's data (owners, modes, timestamps) into its temporary copy. Args: ``copy``."""
    from docker.errors import NotFound

    copy = step.required_arg("copy")
    try:  # a copy left by an earlier run: the volume is the original, the copy is made again
        step.client.remove_volume(copy)
    except NotFound:
        pass
    step.client.create_volume(name=copy, driver="local", labels=_labels(step, KIND_VOLUME_COPY, "copy"))
    volume = PREPARATION_PATH
    script = (
        f"rm -rf {COPY_DATA} {COPY_COMPLETE} && mkdir {COPY_DATA} && {_copy_tree(volume, COPY_DATA)} "
        f"&& sync && touch {COPY_COMPLETE} && sync"
    )
    binds = [_bind(step.action.name, volume, "ro"), _bind(copy, COPY_PATH)]
    helper = _create_helper(step, "copy", script, binds=binds)
    return {"exit_code": _run_helper(step, helper, script), "copy": copy}


def restore(step: Step) -> Dict[str, Any]:
    """Replace the volume's contents by its temporary copy, then remove the copy. Args: ``copy``.

    The plan restores only into a volume created after the copy was complete; an incomplete copy is kept
    and named in the error.
    """
    copy = step.required_arg("copy")
    volume = PREPARATION_PATH
    script = (
        f"[ -f {COPY_COMPLETE} ] || exit {INCOMPLETE_COPY}; "
        f"find {volume} -mindepth 1 -maxdepth 1 -exec rm -rf {{}} \\; "
        f"&& {_copy_tree(COPY_DATA, volume)} && sync"
    )
    binds = [_bind(step.action.name, volume), _bind(copy, COPY_PATH, "ro")]
    helper = _create_helper(step, "restore", script, binds=binds)
    if _run_helper(step, helper, script, accepted=(0, INCOMPLETE_COPY)) == INCOMPLETE_COPY:
        raise VolumeHelperError(
            f"the temporary copy {copy!r} of volume {step.action.name!r} is incomplete; nothing was "
            f"restored and {copy!r} is kept: recover the data from it by hand"
        )
    step.client.remove_volume(copy)
    return {"exit_code": 0, "copy": copy}


def remove_copy(step: Step) -> None:
    """Remove the temporary copy an interrupted copy left (``recreate_volumes='discard'``). Args: ``copy``."""
    step.client.remove_volume(step.required_arg("copy"))
