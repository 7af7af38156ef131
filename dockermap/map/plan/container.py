"""The ``update`` checks of an existing container (the classic rules, as plain comparisons).

Containers dockermap created carry a fingerprint of their complete create configuration: a different
fingerprint means the container must be created again, and the inspected container (observe fetches it
in that case only) tells which fields changed. Containers without the labels (made by the classic
library or by hand) are judged by the classic field rules on their inspected configuration.
"""

from __future__ import annotations

import json
import posixpath
from typing import List, Tuple

from dockermap.records import field, record

from ..flags import StateFlags
from ..input import CmdCheck, ExecPolicy
from ..items import DesiredContainer, DesiredExec, ObservedClient, ObservedContainer
from ..labels import LABEL_FINGERPRINT, LABEL_UPDATABLE, updatable_json
from .detail import classic_differences, explain_differences, split_command
from .endpoints import EndpointDiff, diff_endpoints
from .limits import UpdatableDiff, current_from_detail, diff_updatable
from .options import PlanOptions
from .settings import Secrets, settings_differences


@record
class ContainerCheck:
    """What the ``update`` checks found on one existing container: flags, readable reasons (``causes``)
    and what ``update`` can fix without recreating it."""

    flags: StateFlags = StateFlags.NONE
    causes: List[str] = field(default_factory=list)
    #: ``keep_running`` exec commands that no longer run.
    exec_commands: List[DesiredExec] = field(default_factory=list)
    #: Networks to connect, reconnect or disconnect.
    networks: EndpointDiff = field(default_factory=EndpointDiff)
    #: Limits and restart policy to change with ``update_container``.
    updates: UpdatableDiff = field(default_factory=UpdatableDiff)

    def add(self, flag: StateFlags, cause: str) -> None:
        self.flags |= flag
        if cause not in self.causes:
            self.causes.append(cause)


def short_id(image_id: str) -> str:
    """``sha256:`` and the first 12 hex digits of an id."""
    algorithm, _, digest = image_id.rpartition(":")
    return f"{algorithm or 'sha256'}:{digest[:12]}"


def _image(
    check: ContainerCheck, desired: DesiredContainer, found: ObservedContainer, client: ObservedClient
) -> None:
    current = client.images.get(desired.image)
    # An image that is not on the client yet is pulled first; its id is only known afterwards.
    if current is not None and current != found.image_id:
        check.add(
            StateFlags.IMAGE_MISMATCH,
            f"image {desired.image} is now {short_id(current)}, container runs {short_id(found.image_id)}",
        )


def _endpoint_reasons(
    desired: DesiredContainer, found: ObservedContainer, client: ObservedClient
) -> List[str]:
    diff = diff_endpoints(desired, found, client)
    return (
        [f"not connected to network {endpoint.network}" for endpoint in diff.disconnected]
        + [reason for _, reason in diff.reconnect]
        + [f"connected to network {name}, which is not configured" for name in diff.left]
    )


def _configuration(
    check: ContainerCheck,
    desired: DesiredContainer,
    found: ObservedContainer,
    client: ObservedClient,
    secrets: Secrets,
) -> None:
    fingerprint = found.labels.get(LABEL_FINGERPRINT)
    if fingerprint is None:
        for flag, cause in classic_differences(desired, found.detail, secrets) if found.detail else ():
            check.add(flag, cause)
    elif fingerprint != desired.fingerprint:
        fields = settings_differences(desired, found, secrets)
        if fields is not None:
            explained = [(StateFlags.MISC_MISMATCH, cause) for cause in fields]
        elif found.detail:  # created without the settings label: compare the inspected container
            explained = explain_differences(desired, found.detail, secrets)
            explained.extend(
                (StateFlags.MISC_MISMATCH, reason) for reason in _endpoint_reasons(desired, found, client)
            )
        else:
            explained = []
        flags = StateFlags.MISC_MISMATCH
        for flag, _ in explained:
            flags |= flag
        # Reasons the mount and port checks already gave are not repeated.
        new = [cause for _, cause in explained if cause not in check.causes]
        if explained and not new:
            check.flags |= flags
            return
        what = "; ".join(new) or (
            f"no single field could be named (fingerprint {fingerprint[:12]} -> {desired.fingerprint[:12]})"
        )
        check.add(flags, f"configuration changed: {what}")


def _normal(source: str) -> str:
    return posixpath.normpath(source) if source.startswith("/") else source


def _mounts(check: ContainerCheck, desired: DesiredContainer, found: ObservedContainer) -> None:
    for path, source in desired.mounts.items():
        have = found.mounts.get(path)
        if have is None:
            check.add(StateFlags.VOLUME_MISMATCH, f"nothing is mounted at {path}, expected {source}")
        elif _normal(have) != _normal(source):
            check.add(StateFlags.VOLUME_MISMATCH, f"{path} mounts {have}, expected {source}")


def _published(check: ContainerCheck, desired: DesiredContainer, found: ObservedContainer) -> None:
    if found.status != "running":  # the engine lists published ports of running containers only
        return
    have = {(port, ip or "0.0.0.0", str(host_port)) for port, ip, host_port in found.published}
    for port, ip, host_port in desired.published:
        if (port, ip or "0.0.0.0", str(host_port)) not in have:
            check.add(
                StateFlags.MISC_MISMATCH, f"port {port} is not published on {ip or '0.0.0.0'}:{host_port}"
            )


#: Shells whose ``-c`` script may replace the shell process when it is a single command.
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})


def command_texts(command: DesiredExec) -> List[str]:
    """The ways the process list can show an exec command: its arguments joined with spaces (strings
    are split like a shell, as the SDK does), and for ``sh -c <script>`` also the script's command,
    which a shell runs in place of itself when the script is a single command."""
    args = split_command(command.cmd)
    texts = [" ".join(args)]
    if len(args) == 3 and posixpath.basename(args[0]) in SHELLS and args[1] == "-c":
        try:
            script = split_command(args[2])
            texts.append(" ".join(script[1:] if script[:1] == ["exec"] else script))
        except ValueError:  # unbalanced quotes: the shell fails on it, only the full text can match
            pass
    return texts


def _runs(command: DesiredExec, processes: List[Tuple[str, str]], mode: CmdCheck) -> bool:
    user = str(command.user if command.user is not None else "root").partition(":")[0]
    texts = command_texts(command)
    return any(
        process_user == user
        and any(args == text if mode is CmdCheck.FULL else text in args for text in texts)
        for process_user, args in processes
    )


def _exec_commands(
    check: ContainerCheck, desired: DesiredContainer, found: ObservedContainer, mode: CmdCheck
) -> None:
    if found.status != "running" or mode is CmdCheck.NONE:
        return
    wanted = [command for command in desired.exec_commands if command.policy is ExecPolicy.KEEP_RUNNING]
    missing = [command for command in wanted if not _runs(command, found.processes or [], mode)]
    if missing:
        check.flags |= StateFlags.EXEC_COMMANDS
        check.exec_commands = missing


def _networks(
    check: ContainerCheck, desired: DesiredContainer, found: ObservedContainer, client: ObservedClient
) -> None:
    diff = diff_endpoints(desired, found, client)
    if diff.disconnected:
        check.flags |= StateFlags.NETWORK_DISCONNECTED
    if diff.reconnect:
        check.flags |= StateFlags.NETWORK_MISMATCH
    if diff.left:
        check.flags |= StateFlags.NETWORK_LEFT
    check.networks = diff


def _updatable(
    check: ContainerCheck, desired: DesiredContainer, found: ObservedContainer, options: PlanOptions
) -> None:
    if found.detail:
        current = current_from_detail(found.detail.get("HostConfig") or {})
    else:
        label = found.labels.get(LABEL_UPDATABLE)
        if label is None or label == updatable_json(desired.updatable):
            return
        current = json.loads(label)  # the values the container was created with
    diff = diff_updatable(desired.updatable, current)
    if diff.removed and not options.skip_limit_reset:
        check.add(StateFlags.MISC_MISMATCH, f"{', '.join(diff.removed)} can not be unset in place")
    if diff.changes:
        check.flags |= StateFlags.HOST_CONFIG_UPDATE
        check.updates = diff


def check_container(
    desired: DesiredContainer, found: ObservedContainer, client: ObservedClient, options: PlanOptions
) -> ContainerCheck:
    """The ``update`` checks of an existing container.

    When anything requires a new container, the checks of what could be fixed in place are skipped.
    """
    check = ContainerCheck()
    if not desired.persistent or options.update_persistent:
        _image(check, desired, found, client)
    _mounts(check, desired, found)
    _published(check, desired, found)
    _configuration(check, desired, found, client, Secrets(options.secret_keys, options.show_secret_values))
    _updatable(check, desired, found, options)
    if check.flags & StateFlags.NEEDS_RESET:
        check.updates = UpdatableDiff()
        check.flags &= ~StateFlags.HOST_CONFIG_UPDATE
        return check
    _exec_commands(check, desired, found, options.check_exec_commands)
    _networks(check, desired, found, client)
    return check
