"""Script verb: run a one-off container of a configuration, optionally with a script directory mounted.

Args of the ``script`` action (all optional):

* ``script_path``: a directory (mounted as is) or a file (its directory is mounted); the in-container
  path is ``container_script_dir`` (default :data:`CONTAINER_SCRIPT_DIR`), plus the file name for a file;
* ``command_format``: the command (string or list), each part formatted with ``{script_path}``;
  without it the configured command runs;
* ``entrypoint``: replaces the configured entrypoint;
* ``wait_timeout``: seconds to wait for the container (default: the configured ``stop_timeout``, else
  no limit);
* ``timestamps``, ``tail``: passed to ``logs``;
* ``remove_created_after``: overrides the runner option of the same name.

The result is ``{'id', 'client', 'exit_code', 'log'}`` (the log as ``bytes``, as ``client.logs`` gives
it), or ``{'id', 'client', 'error'}`` on timeout.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple, Union

from ..exceptions import ScriptRunException
from ..items import DesiredContainer
from ..labels import LABEL_FINGERPRINT
from .containers import create_container
from .step import Step
from .utils import wait_exit_code

#: Where the script directory is mounted in the container.
CONTAINER_SCRIPT_DIR = "/tmp/script_run"
TIMEOUT_MESSAGE = "Timed out while waiting for the container to finish."

Command = Union[str, List[str]]


def _script_location(script_path: str, container_dir: str) -> Tuple[str, str]:
    # (host directory to mount, script path inside the container)
    host_path = os.path.abspath(script_path)
    if os.path.isdir(host_path):
        return host_path, container_dir
    return os.path.dirname(host_path), f"{container_dir}/{os.path.basename(host_path)}"


def _format_command(command_format: Optional[Command], script_path: str) -> Optional[Command]:
    if isinstance(command_format, str):
        return command_format.format(script_path=script_path)
    if command_format is not None:
        return [str(part).format(script_path=script_path) for part in command_format]
    return None


def _script_container_config(step: Step, desired: DesiredContainer) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    # The configuration's create keywords and host config with the script's command and mount. The
    # fingerprint label is dropped: this container does not match the configuration, and an update
    # must not take a left-over script container for the configured one.
    args = step.args
    create_kwargs = dict(desired.create_kwargs)
    host_config = dict(desired.host_config)
    create_kwargs["labels"] = {
        key: value for key, value in (create_kwargs.get("labels") or {}).items() if key != LABEL_FINGERPRINT
    }
    command = args.get("command_format")
    script_path = args.get("script_path")
    if script_path:
        container_dir = args.get("container_script_dir", CONTAINER_SCRIPT_DIR)
        host_dir, container_script = _script_location(script_path, container_dir)
        create_kwargs["volumes"] = [*(create_kwargs.get("volumes") or []), container_dir]
        host_config["binds"] = [*(host_config.get("binds") or []), f"{host_dir}:{container_dir}:rw"]
        command = _format_command(command, container_script)
    if command is not None:
        create_kwargs["command"] = command
    if args.get("entrypoint") is not None:
        create_kwargs["entrypoint"] = args["entrypoint"]
    return create_kwargs, host_config


def run_script(step: Step) -> Dict[str, Any]:
    """Create and start the container, wait for it, collect exit code and output, then remove it."""
    desired = step.require(DesiredContainer)
    client, args = step.client, step.args
    create_kwargs, host_config = _script_container_config(step, desired)
    created = create_container(client, desired, step.action.name, create_kwargs, host_config)
    if not created or not created.get("Id"):
        raise ScriptRunException(f"No new containers were created for {step.action.name!r}.")
    container = created["Id"]
    result: Dict[str, Any] = {"id": container, "client": step.action.client}
    try:
        client.start(container)
        exit_code = wait_exit_code(client, container, args.get("wait_timeout") or desired.stop_timeout)
        if exit_code is None:
            result["error"] = TIMEOUT_MESSAGE
        else:
            result["exit_code"] = exit_code
            result["log"] = client.logs(
                container, timestamps=bool(args.get("timestamps")), tail=args.get("tail", "all")
            )
    finally:
        if args.get("remove_created_after", step.options.remove_created_after):
            client.remove_container(container, force=True)
    return result
