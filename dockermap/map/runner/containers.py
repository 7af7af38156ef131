"""Container verbs: create, start, stop, kill, restart, remove, update, connect, disconnect, exec.

The container is addressed by the action's engine name. Keywords the plan may put in ``Action.args``
are listed per verb; without them the values come from the :class:`DesiredContainer` record.
"""

from __future__ import annotations

import signal
import time
from typing import Any, Dict, List, Optional

from dockermap.client.protocol import DockerClient
from dockermap.log import logger

from ..items import DesiredContainer, DesiredEndpoint
from .readiness import wait_ready
from .step import Step
from .utils import endpoint_kwargs, host_config_kwargs, wait_exit_code

log = logger(__name__)

#: Seconds to wait for a container to stop after a signal when no ``stop_timeout`` is configured
#: (Docker's own default for ``docker stop``).
DEFAULT_STOP_TIMEOUT = 10


def create_container(
    client: DockerClient,
    desired: DesiredContainer,
    name: str,
    create_kwargs: Optional[Dict[str, Any]] = None,
    host_config: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """Create ``name`` from a desired record, connected to its first network.

    ``create_kwargs``/``host_config`` replace the record's values (the script runner adds its mounts).
    """
    host_kwargs = desired.host_config if host_config is None else host_config
    networking_config = None
    if desired.endpoints:
        first = desired.endpoints[0]
        endpoint = client.create_endpoint_config(**endpoint_kwargs(first))
        networking_config = client.create_networking_config({first.network: endpoint})
    kwargs = {**(desired.create_kwargs if create_kwargs is None else create_kwargs), "name": name}
    kwargs.setdefault("image", desired.image)
    kwargs.update(host_config_kwargs(client, host_kwargs))
    return client.create_container(**kwargs, networking_config=networking_config)


def create(step: Step) -> Dict[str, Any]:
    """Create the container (``create_container`` result: ``Id``, ``Warnings``).

    Args: ``keep_volumes``: container path -> volume of a container this one replaces, mounted again.
    """
    desired = step.require(DesiredContainer)
    kept = step.args.get("keep_volumes") or {}
    host_config = None
    if kept:
        binds = [f"{volume}:{path}:rw" for path, volume in kept.items()]
        host_config = {**desired.host_config, "binds": [*(desired.host_config.get("binds") or []), *binds]}
    return create_container(step.client, desired, step.action.name, host_config=host_config)


def start(step: Step) -> None:
    """Start the container, wait until it meets its readiness condition, then pause for its
    ``start_delay`` if one is configured (dependents start only after this action finished)."""
    step.client.start(step.action.name)
    if not isinstance(step.desired, DesiredContainer):
        return
    wait_ready(step.client, step.action.name, step.desired.ready)
    if step.desired.start_delay:
        time.sleep(step.desired.start_delay)


def _is_sigterm(sig: Any) -> bool:
    return sig == signal.SIGTERM or str(sig).upper() in ("SIGTERM", "TERM")


def stop(step: Step) -> None:
    """Stop the container. Args: ``timeout``, ``signal`` (default: the configured stop timeout/signal).

    SIGTERM, no signal, or the signal the container was created with (its ``StopSignal``) uses the
    engine's stop: one request, which sends that signal and kills the container after ``timeout``.
    Another signal is sent with ``kill``; if the container still runs after the timeout, it is killed.
    """
    name, client = step.action.name, step.client
    desired = step.desired if isinstance(step.desired, DesiredContainer) else None
    timeout = step.args.get("timeout", desired.stop_timeout if desired else None)
    sig = step.args.get("signal", desired.stop_signal if desired else None)
    created_with = desired.create_kwargs.get("stop_signal") if desired else None
    if sig is None or _is_sigterm(sig) or sig == created_with:
        client.stop(name, timeout=timeout)  # the engine sends the container's own stop signal
        return
    client.kill(name, signal=sig)
    timeout = DEFAULT_STOP_TIMEOUT if timeout is None else timeout
    if wait_exit_code(client, name, timeout) is None:
        log.warning("container %s still runs %s s after %s; killing it", name, timeout, sig)
        client.kill(name)
        client.wait(name)


def kill(step: Step) -> None:
    """Send a signal to the container. Args: ``signal`` (default: the engine's, SIGKILL)."""
    step.client.kill(step.action.name, signal=step.args.get("signal"))


def restart(step: Step) -> None:
    """Restart the container. Args: ``timeout`` (default: the configured stop timeout)."""
    timeout = step.args.get("timeout", getattr(step.desired, "stop_timeout", None))
    kwargs = {} if timeout is None else {"timeout": timeout}
    step.client.restart(step.action.name, **kwargs)


def remove(step: Step) -> None:
    """Remove the container. Args: keywords of ``remove_container`` (``v``, ``force``, ``link``), and
    ``volumes``: volumes it got from a container it replaced, removed after it unless the engine already
    did or another container uses them."""
    args = dict(step.args)
    volumes = args.pop("volumes", ())
    step.client.remove_container(step.action.name, **args)
    for volume in volumes:
        _remove_inherited_volume(step.client, volume)


def _remove_inherited_volume(client: DockerClient, volume: str) -> None:
    listed = client.volumes(filters={"name": volume}).get("Volumes") or []
    if not any(entry["Name"] == volume for entry in listed):
        return  # anonymous after all: the engine removed it with the container
    from docker.errors import APIError  # only here: a teardown that removes none runs without the SDK

    try:
        client.remove_volume(volume)
    except APIError as exc:
        if exc.status_code not in (404, 409):  # gone already, or in use
            raise


def update(step: Step) -> Dict[str, Any]:
    """Change limits and restart policy in place. Args: ``changes`` (default: all updatable values)."""
    changes = step.args.get("changes")
    if changes is None:
        changes = step.require(DesiredContainer).updatable
    return step.client.update_container(step.action.name, **changes)


def _endpoints(step: Step) -> List[DesiredEndpoint]:
    # Given endpoints (records or network names, looked up in the configuration), or every configured
    # network but the first, which the container was connected to at creation.
    given = step.args.get("endpoints")
    if given is None:
        return step.require(DesiredContainer).endpoints[1:]
    configured = getattr(step.desired, "endpoints", [])
    by_network = {endpoint.network: endpoint for endpoint in configured}
    return [
        item if isinstance(item, DesiredEndpoint) else by_network.get(item, DesiredEndpoint(item))
        for item in given
    ]


def connect(step: Step) -> List[str]:
    """Connect the container to networks. Args: ``endpoints`` (default: all but the first configured).

    Returns the names of the networks connected.
    """
    endpoints = _endpoints(step)
    for endpoint in endpoints:
        step.client.connect_container_to_network(
            step.action.name, endpoint.network, **endpoint_kwargs(endpoint)
        )
    return [endpoint.network for endpoint in endpoints]


def disconnect(step: Step) -> List[str]:
    """Disconnect the container from networks. Args: ``networks`` (names; required)."""
    networks = list(step.required_arg("networks"))
    for network in networks:
        step.client.disconnect_container_from_network(step.action.name, network)
    return networks


def exec_commands(step: Step) -> List[Dict[str, Any]]:
    """Run commands in the running container, detached (long-running commands do not block).

    Args: ``commands`` (:class:`DesiredExec` records; default: all configured). Returns the
    ``exec_create`` results (``Id``).
    """
    commands = step.args.get("commands")
    if commands is None:
        commands = step.require(DesiredContainer).exec_commands
    created = []
    for command in commands:
        exec_info = step.client.exec_create(step.action.name, command.cmd, user=command.user or "")
        step.client.exec_start(exec_info["Id"], detach=True)
        created.append(exec_info)
    return created
