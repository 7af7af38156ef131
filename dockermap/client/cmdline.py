"""A Docker client working through ``docker`` command lines, for hosts where one may only run ``sudo docker``.

:class:`DockerCommandLineClient` offers the ``docker.APIClient`` methods that
:class:`~dockermap.map.client.MappingDockerClient` uses and returns the same data shapes, so maps can be run
on a host reached only through a shell: each call becomes one or two ``docker`` commands
(:class:`~dockermap.client.cli.output.DockerCommandLineOutput`), run by a callable, and their output is
parsed back.
Failed commands raise what :class:`~dockermap.client.base.DockerClientWrapper` raises for the same
condition (the contract of :mod:`dockermap.client.failures`): the Docker SDK's
:class:`docker.errors.NotFound` (``ImageNotFound`` for images) for missing objects,
:class:`docker.errors.APIError` (with the status code the engine answers with, e.g. 409 for conflicts)
otherwise, and :class:`~dockermap.exceptions.DockerStatusError` for a failed pull or push.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
import shlex
import subprocess
import uuid
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import docker
import requests
from docker.types import HostConfig

from dockermap.exceptions import CommandError as CommandError
from dockermap.log import logger

from . import parse_api_version
from .cli import (
    DockerCommandLineOutput,
    UnsupportedOption,
    container_list_entry,
    link_specs,
    parse_images_output,
    parse_info_output,
    parse_inspect_output,
    parse_top_output,
    parse_version_output,
)
from .cli.events import EventProcess, events_args
from .failures import tolerated, transfer_action, transfer_failure

#: Which output streams a command's result is made of.
STDOUT, STDERR, BOTH = "stdout", "stderr", "both"
_REDIRECTS = {STDOUT: "", STDERR: " 2>&1 >/dev/null", BOTH: " 2>&1"}
#: Exit code of ``timeout`` when the command it runs took too long.
TIMEOUT_EXIT_CODE = 124
#: Separator in the ``docker ps`` format that lists ids and status texts.
_SEPARATOR = "||"
#: How the docker command line starts the error text of a request the engine refused.
DAEMON_ERROR_PREFIX = "Error response from daemon: "

log = logger(__name__)

#: Runs a shell command line and returns its output; it may also accept a keyword ``stdin`` (text for
#: the command's standard input). Commands that read a secret (``login``) need it: a secret never goes
#: on a command line.
Run = Callable[..., Any]


def _takes_stdin(run: Run) -> bool:
    try:
        return "stdin" in inspect.signature(run).parameters
    except (TypeError, ValueError):
        return False


def run_local(args: Sequence[str], stdin: Optional[str] = None, streams: str = STDOUT) -> str:
    """Run a command locally from its argument list, without a shell; returns its output as text.

    :param streams: The result is standard output (``'stdout'``), standard error (``'stderr'``) or both.
    :raises CommandError: on a non-zero exit status.
    """
    proc = subprocess.run(
        list(args),
        input=None if stdin is None else stdin.encode(),
        stdin=subprocess.DEVNULL if stdin is None else None,
        stdout=subprocess.DEVNULL if streams == STDERR else subprocess.PIPE,
        stderr=subprocess.STDOUT if streams == BOTH else subprocess.PIPE,
        check=False,
    )
    output = (proc.stderr if streams == STDERR else proc.stdout).decode("utf-8", "replace")
    errors = output if streams == BOTH else (proc.stderr or b"").decode("utf-8", "replace")
    if proc.returncode != 0:
        raise CommandError(shlex.join(args), proc.returncode, errors, output)
    return output


def _text_of(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def output_of(result: Any) -> str:
    """The standard output of what a ``run`` callable returned: text, bytes, or a result object with
    ``stdout`` (as Fabric's ``Connection.run`` returns)."""
    if isinstance(result, (str, bytes)) or result is None:
        return _text_of(result)
    return _text_of(getattr(result, "stdout", result))


def failure_details(exc: BaseException) -> Tuple[Optional[int], str, str]:
    """``(exit code, standard output, message)`` of an exception raised by a ``run`` callable.

    Understands :class:`CommandError`, exceptions with ``exit_code``/``returncode`` and ``stdout``/``stderr``
    attributes, and Fabric's (invoke's) ``UnexpectedExit`` with its ``result``; otherwise the message is the
    exception text.
    """
    result = getattr(exc, "result", None)
    sources = [exc] + ([result] if result is not None else [])
    exit_code = None
    for source in sources:
        for attribute in ("exit_code", "returncode", "exited"):
            value = getattr(source, attribute, None)
            if isinstance(value, int) and exit_code is None:
                exit_code = value
    stdout = next((_text_of(s.stdout) for s in sources if getattr(s, "stdout", None)), "")
    stderr = next((_text_of(s.stderr) for s in sources if getattr(s, "stderr", None)), "")
    return exit_code, stdout, stderr.strip() or str(exc)


_NOT_FOUND = re.compile(
    r"no such (container|object|image|volume|network|exec)|network \S+ not found|manifest unknown"
    r"|repository does not exist|pull access denied|page not found",
    re.IGNORECASE,
)
_IMAGE = re.compile(r"no such image|manifest unknown|repository does not exist|pull access denied", re.I)
_CONFLICT = re.compile(
    r"is not running|is paused|is restarting|already in use|conflict|is in use|already exists"
    r"|has active endpoints|cannot remove a running container",
    re.IGNORECASE,
)
_UNAUTHORIZED = re.compile(r"unauthorized|authentication required|incorrect username or password", re.I)
_REASONS = {401: "Unauthorized", 404: "Not Found", 409: "Conflict", 500: "Internal Server Error"}


def status_of(message: str) -> int:
    """The HTTP status the engine answers with for the error a docker command printed."""
    if _NOT_FOUND.search(message):
        return 404
    if _CONFLICT.search(message):
        return 409
    if _UNAUTHORIZED.search(message):
        return 401
    return 500


def api_error(command: str, message: str) -> docker.errors.APIError:
    """The Docker SDK exception for a failed command; ``str()`` names the command and its error output."""
    status = status_of(message)
    response = requests.Response()
    response.status_code = status
    response.reason = _REASONS[status]
    response.url = command
    if status == 404:
        error_class = docker.errors.ImageNotFound if _IMAGE.search(message) else docker.errors.NotFound
    else:
        error_class = docker.errors.APIError
    return error_class(message, response=response, explanation=message)


#: Methods that change nothing on the engine: they keep what the last container listing inspected.
READ_METHODS = frozenset(
    {
        "version",
        "info",
        "containers",
        "inspect_container",
        "top",
        "logs",
        "wait",
        "volumes",
        "inspect_volume",
        "networks",
        "inspect_network",
        "images",
        "inspect_image",
    }
)


def _unique(values: Sequence[str]) -> List[str]:
    return list(dict.fromkeys(values))


#: Keywords of ``create_host_config`` (those of the SDK's ``HostConfig``).
HOST_CONFIG_PARAMETERS = frozenset(inspect.signature(HostConfig.__init__).parameters) - {"self", "version"}


class DockerCommandLineClient:
    """A Docker client running ``docker`` command lines; the methods and results of ``docker.APIClient``.

    :param run: Runs one command and returns its standard output, raising on a non-zero exit status with the
        error output in the exception (e.g. ``lambda cmd: connection.sudo(cmd, hide=True)`` with Fabric; a
        result object's ``stdout`` is used). It receives a POSIX shell command line with every value quoted;
        a command may end in ``2>&1`` (to read a container's log). ``login`` needs a ``run`` that also takes
        a keyword ``stdin`` (the password, for the command's standard input); with another ``run`` it raises
        :class:`~dockermap.client.cli.UnsupportedOption`. Without ``run``, commands run locally from
        argument lists, without a shell.
    :param cmd_prefix: Words before the binary, e.g. ``'sudo'``.
    :param default_bin: The docker binary.
    :param cmd_args: Global arguments of every command, e.g. ``['-H', 'tcp://127.0.0.1:2375']``.
    :param run_cmd: Runs a shell command on the Docker host (same contract as ``run``); when set, attached
        volumes get their owner and mode set there instead of in a helper container.
    """

    #: Every call starts a process (and, on a remote host, a connection): observing reads each kind of
    #: object in one call, e.g. every image at once instead of the images it needs one by one.
    reads_in_bulk = True

    def __init__(
        self,
        run: Optional[Run] = None,
        cmd_prefix: Optional[str] = None,
        default_bin: str = "docker",
        cmd_args: Optional[Sequence[str]] = None,
        run_cmd: Optional[Run] = None,
    ) -> None:
        self.output = DockerCommandLineOutput(cmd_prefix, default_bin, cmd_args)
        self.run = run
        self.run_cmd = run_cmd
        self._api_version: Optional[str] = None
        self._execs: Dict[str, Dict[str, Any]] = {}
        #: What the last container listing inspected, by id, until a command may change it: an
        #: ``inspect_container`` right after the listing (to read a listed container's details) reuses it.
        self._listed: Dict[str, Dict[str, Any]] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({' '.join(self.output.base_args)!r})"

    def push_log(self, info: str, level: int, *args: Any, **kwargs: Any) -> None:
        """Report a message; logs to ``dockermap.client.cmdline``. Override to redirect output."""
        log.log(level, info, *args, **kwargs)

    # --- running commands -------------------------------------------------------------------------------

    def execute(self, args: Sequence[str], stdin: Optional[str] = None, streams: str = STDOUT) -> str:
        """Run a command given as argument list through ``run`` (or locally); returns its output.

        Errors are those of the ``run`` callable (:class:`CommandError` locally).
        """
        if self.run is None:
            return run_local(args, stdin, streams)
        command = shlex.join(args) + _REDIRECTS[streams]
        if stdin is None:
            return output_of(self.run(command))
        if not _takes_stdin(self.run):
            raise UnsupportedOption(
                f"{command} reads a secret from its standard input, but the run callable "
                f"{getattr(self.run, '__name__', type(self.run).__name__)} takes no 'stdin' keyword; "
                "give it one (e.g. dockermap.fabric.remote_runner) or log in on the host beforehand"
            )
        return output_of(self.run(command, stdin=stdin + "\n"))

    def call(
        self, method: str, *args: Any, _stdin: Optional[str] = None, _streams: str = STDOUT, **kwargs: Any
    ) -> str:
        """Run the command of SDK method ``method`` with these arguments; returns its output.

        :raises docker.errors.APIError: (or ``NotFound``) when the command fails;
            ``requests.exceptions.ReadTimeout`` when a ``wait`` runs out of time.
        """
        argv = self.output.get_args(method, *args, **kwargs)
        if argv is None:
            raise UnsupportedOption(f"{method} has no docker command of its own")
        if method not in READ_METHODS:
            self._listed.clear()
        if _stdin is not None:
            return self._call_with_secret(argv, _stdin, _streams)
        try:
            return self.execute(argv, _stdin, _streams)
        except Exception as exc:
            exit_code, _, message = failure_details(exc)
            command = shlex.join(argv)
            if method == "wait" and exit_code == TIMEOUT_EXIT_CODE:
                raise requests.exceptions.ReadTimeout(f"{command}: timed out") from exc
            raise api_error(command, message) from exc

    def _call_with_secret(self, argv: List[str], secret: str, streams: str) -> str:
        # The error of the run callable may repeat its input: it is neither chained nor kept as the
        # context of the error raised here, and the secret is masked in the message.
        message = None
        try:
            return self.execute(argv, secret, streams)
        except UnsupportedOption:
            raise
        except Exception as exc:  # turned into the SDK's error below, outside this block
            message = failure_details(exc)[2]
            if secret:
                message = message.replace(secret, "***")
        raise api_error(shlex.join(argv), message)

    def _inspect_many(self, method: str, names: List[str]) -> List[Dict[str, Any]]:
        # One inspect of everything. What went away since it was listed is named in the error: inspect
        # the rest again in one command; one by one only if the error names none of them.
        remaining = list(names)
        while remaining:
            try:
                return json.loads(self.call(method, remaining))
            except docker.errors.NotFound as exc:
                gone = {name for name in remaining if name in str(exc.explanation)}
                if not gone:
                    return self._inspect_each(method, remaining)
                remaining = [name for name in remaining if name not in gone]
        return []

    def _inspect_each(self, method: str, names: List[str]) -> List[Dict[str, Any]]:
        found = []
        for name in names:
            try:
                found.extend(json.loads(self.call(method, name)))
            except docker.errors.NotFound:
                continue
        return found

    # --- engine -----------------------------------------------------------------------------------------

    @property
    def api_version(self) -> str:
        """The Engine API version the docker command line speaks with the engine (asked once)."""
        if self._api_version is None:
            out = self.call("version")
            versions = [
                parse_version_output(out, section).get("ApiVersion") for section in ("Client", "Server")
            ]
            self._api_version = min((v for v in versions if v), key=parse_api_version)
        return self._api_version

    def version(self, api_version: bool = True) -> Dict[str, Any]:
        """The engine's version data (``Version``, ``ApiVersion``, ``Os``, ...)."""
        return parse_version_output(self.call("version"), "Server")

    def info(self) -> Dict[str, Any]:
        """System-wide information (``docker info``)."""
        return parse_info_output(self.call("info"))

    def ping(self) -> bool:
        """Whether the engine answers."""
        return bool(self.version())

    def close(self) -> None:
        """Nothing to close (each command runs on its own)."""

    # --- containers -------------------------------------------------------------------------------------

    def containers(
        self,
        quiet: bool = False,
        all: bool = False,
        trunc: bool = False,
        latest: bool = False,
        since: Optional[str] = None,
        before: Optional[str] = None,
        limit: int = -1,
        size: bool = False,
        filters: Optional[Dict[str, Any]] = None,
    ) -> List[Dict[str, Any]]:
        """Containers as ``APIClient.containers`` lists them: ``docker ps`` for ids and status texts, then one
        ``docker inspect`` of all of them (``Names`` holds the container's own name, no link aliases)."""
        listing = self.call(
            "containers",
            all=all,
            latest=latest,
            since=since,
            before=before,
            limit=limit,
            filters=filters,
            format=f"{{{{.ID}}}}{_SEPARATOR}{{{{.Status}}}}",
        )
        statuses = dict(line.split(_SEPARATOR, 1) for line in listing.splitlines() if line.strip())
        if quiet:
            return [{"Id": container_id} for container_id in statuses]
        if not statuses:
            return []
        found = self._inspect_many("inspect_container", list(statuses))
        self._listed.update((info["Id"], info) for info in found)
        return [container_list_entry(info, statuses.get(info["Id"], "")) for info in found]

    def inspect_container(self, container: str) -> Dict[str, Any]:
        """``docker inspect`` of one container; a container the last listing inspected (named by its id,
        nothing changed since) is not inspected again."""
        listed = self._listed.pop(container, None)
        if listed is not None:
            return listed
        return parse_inspect_output(self.call("inspect_container", container), "container")

    def events(
        self, decode: bool = True, filters: Optional[Dict[str, Any]] = None, since: Any = None
    ) -> EventProcess:
        """The engine's events as they happen (decoded dicts), from a ``docker events`` process.

        Only when commands run locally: a ``run`` callable gives a command's output after it ended.
        Without ``since`` it starts a second back, as the command connects a while after it started.
        """
        if self.run is not None:
            raise UnsupportedOption("streaming events needs locally run commands")
        return EventProcess(events_args(self.output.base_args, filters, since))

    def top(self, container: str, ps_args: Optional[str] = None) -> Dict[str, Any]:
        return parse_top_output(self.call("top", container, ps_args=ps_args))

    def logs(
        self,
        container: str,
        stdout: bool = True,
        stderr: bool = True,
        stream: bool = False,
        timestamps: bool = False,
        tail: Any = "all",
        since: Any = None,
        follow: Any = None,
        until: Any = None,
    ) -> bytes:
        """The container's output so far (standard output and error together, as the engine has them)."""
        if stream or follow:
            raise UnsupportedOption("the command-line client cannot stream logs")
        streams = BOTH if stdout and stderr else STDERR if stderr else STDOUT
        out = self.call(
            "logs", container, timestamps=timestamps, tail=tail, since=since, until=until, _streams=streams
        )
        return out.encode("utf-8")

    def create_host_config(self, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        """The host-config keywords for :meth:`create_container` (a plain dict; the command checks values)."""
        if args:
            raise TypeError("create_host_config takes keyword arguments only")
        unknown = set(kwargs) - HOST_CONFIG_PARAMETERS
        if unknown:
            raise TypeError(
                f"create_host_config got unexpected keyword arguments: {', '.join(sorted(unknown))}"
            )
        return {key: value for key, value in kwargs.items() if value is not None}

    def create_networking_config(self, endpoints_config: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """``{'EndpointsConfig': {network: endpoint config}}``."""
        return {"EndpointsConfig": dict(endpoints_config)} if endpoints_config else {}

    def create_endpoint_config(
        self,
        aliases: Optional[List[str]] = None,
        links: Any = None,
        ipv4_address: Optional[str] = None,
        ipv6_address: Optional[str] = None,
        link_local_ips: Optional[List[str]] = None,
        driver_opt: Optional[Dict[str, str]] = None,
        mac_address: Optional[str] = None,
    ) -> Dict[str, Any]:
        """An endpoint configuration in the Engine API form, as the SDK's ``EndpointConfig``."""
        config: Dict[str, Any] = {}
        if aliases:
            config["Aliases"] = list(aliases)
        if links:
            config["Links"] = link_specs(links)
        ipam = {
            key: value
            for key, value in (
                ("IPv4Address", ipv4_address),
                ("IPv6Address", ipv6_address),
                ("LinkLocalIPs", list(link_local_ips or ()) or None),
            )
            if value
        }
        if ipam:
            config["IPAMConfig"] = ipam
        if driver_opt:
            config["DriverOpts"] = dict(driver_opt)
        if mac_address:
            config["MacAddress"] = mac_address
        return config

    def create_container(self, image: str, command: Any = None, **kwargs: Any) -> Dict[str, Any]:
        """``docker create``; returns ``{'Id', 'Warnings'}``. ``host_config`` comes from
        :meth:`create_host_config`, ``networking_config`` may name one network (the command line's limit)."""
        out = self.call("create_container", image, command, **kwargs)
        return {"Id": out.strip().splitlines()[-1], "Warnings": []}

    def start(self, container: str) -> None:
        self.call("start", container)

    def stop(self, container: str, timeout: Optional[float] = None, raise_on_error: bool = True) -> None:
        """Stop a container; errors (a missing container too) are logged, and raised if ``raise_on_error``."""
        with tolerated(f"stop container {container!r}", self.push_log, raise_on_error, None):
            self.call("stop", container, timeout=timeout)

    def restart(self, container: str, timeout: Optional[float] = None) -> None:
        self.call("restart", container, timeout=timeout)

    def kill(self, container: str, signal: Any = None) -> None:
        self.call("kill", container, signal=signal)

    def wait(self, container: str, timeout: Optional[float] = None, condition: Optional[str] = None) -> Dict:
        """Wait for the container to stop; ``{'StatusCode', 'Error'}``.

        :raises requests.exceptions.ReadTimeout: if it still runs after ``timeout`` seconds.
        """
        out = self.call("wait", container, timeout=timeout, condition=condition)
        return {"StatusCode": int(out.strip().splitlines()[-1]), "Error": None}

    def remove_container(
        self,
        container: str,
        v: bool = False,
        link: bool = False,
        force: bool = False,
        raise_on_error: bool = True,
        raise_not_found: bool = False,
    ) -> None:
        """Remove a container; a missing one is ignored unless ``raise_not_found``, other errors are logged
        and raised if ``raise_on_error``."""
        with tolerated(f"remove container {container!r}", self.push_log, raise_on_error, raise_not_found):
            self.call("remove_container", container, v=v, link=link, force=force)

    def update_container(self, container: str, **kwargs: Any) -> Dict[str, Any]:
        """``docker update`` with limits and restart policy (``update_container`` keywords)."""
        self.call("update_container", container, **{k: v for k, v in kwargs.items() if v is not None})
        return {"Warnings": []}

    # --- exec -------------------------------------------------------------------------------------------

    def exec_create(self, container: str, cmd: Any, **kwargs: Any) -> Dict[str, str]:
        """Remember a command to run in ``container``: ``docker exec`` runs it on :meth:`exec_start`."""
        exec_id = f"cli-{uuid.uuid4().hex}"
        self._execs[exec_id] = {"container": container, "cmd": cmd, "kwargs": kwargs, "exit_code": None}
        return {"Id": exec_id}

    def exec_start(
        self,
        exec_id: Any,
        detach: bool = False,
        tty: bool = False,
        stream: bool = False,
        socket: bool = False,
        demux: bool = False,
    ) -> bytes:
        """Run the command of :meth:`exec_create`; its output (nothing when detached).

        A command that fails does not raise (see ``ExitCode`` of :meth:`exec_inspect`); a missing or stopped
        container does.
        """
        if stream or socket or demux:
            raise UnsupportedOption("the command-line client cannot stream exec output")
        record = self._execs[exec_id["Id"] if isinstance(exec_id, dict) else exec_id]
        self._listed.clear()
        kwargs = {**record["kwargs"], "tty": tty or record["kwargs"].get("tty", False)}
        argv = self.output.command_args(
            "exec_create", record["container"], record["cmd"], detach=detach, **kwargs
        )
        try:
            out = self.execute(argv, streams=STDOUT if detach else BOTH)
        except Exception as exc:
            exit_code, out, message = failure_details(exc)
            if exit_code is None or detach or re.match(r"Error( response from daemon)?:", message):
                raise api_error(shlex.join(argv), message) from exc
            record["exit_code"] = exit_code
            return out.encode("utf-8")
        record["exit_code"] = None if detach else 0
        return out.encode("utf-8")

    def exec_inspect(self, exec_id: Any) -> Dict[str, Any]:
        """What is known of an exec: ``ExitCode`` after a non-detached run, else ``None``."""
        key = exec_id["Id"] if isinstance(exec_id, dict) else exec_id
        record = self._execs[key]
        return {
            "ID": key,
            "ContainerID": record["container"],
            "Running": False,
            "ExitCode": record["exit_code"],
            "ProcessConfig": {"cmd": record["cmd"], "user": record["kwargs"].get("user", "")},
        }

    # --- volumes ----------------------------------------------------------------------------------------

    def volumes(self, filters: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """``{'Volumes': [...], 'Warnings': None}`` with the entries as ``docker volume inspect`` has them."""
        names = _unique(self.call("volumes", filters=filters, quiet=True).split())
        return {"Volumes": self._inspect_many("inspect_volume", names) if names else [], "Warnings": None}

    def create_volume(self, name: Optional[str] = None, **kwargs: Any) -> Dict[str, Any]:
        created = self.call("create_volume", name, **kwargs).strip()
        return self.inspect_volume(created)

    def inspect_volume(self, name: str) -> Dict[str, Any]:
        return parse_inspect_output(self.call("inspect_volume", name), "volume")

    def remove_volume(self, name: str, force: bool = False) -> None:
        self.call("remove_volume", name, force=force)

    # --- networks ---------------------------------------------------------------------------------------

    def networks(
        self,
        names: Optional[List[str]] = None,
        ids: Optional[List[str]] = None,
        filters: Optional[Dict[str, Any]] = None,
        greedy: bool = False,
    ) -> List[Dict[str, Any]]:
        """Networks with the entries as ``docker network inspect`` has them; ``Containers`` is left empty
        unless ``greedy`` asks for it, as in the engine's list."""
        found = _unique(self.call("networks", names=names, ids=ids, filters=filters, quiet=True).split())
        entries = self._inspect_many("inspect_network", found) if found else []
        return entries if greedy else [{**entry, "Containers": {}} for entry in entries]

    def create_network(self, name: str, **kwargs: Any) -> Dict[str, Any]:
        return {"Id": self.call("create_network", name, **kwargs).strip(), "Warning": ""}

    def inspect_network(
        self, net_id: str, verbose: Optional[bool] = None, scope: Optional[str] = None
    ) -> Dict:
        return parse_inspect_output(
            self.call("inspect_network", net_id, verbose=verbose, scope=scope), "network"
        )

    def remove_network(self, net_id: str) -> None:
        self.call("remove_network", net_id)

    def connect_container_to_network(self, container: str, net_id: str, **kwargs: Any) -> None:
        self.call("connect_container_to_network", container, net_id, **kwargs)

    def disconnect_container_from_network(self, container: str, net_id: str, force: bool = False) -> None:
        self.call("disconnect_container_from_network", container, net_id, force=force)

    # --- images and registries --------------------------------------------------------------------------

    def images(
        self,
        name: Optional[str] = None,
        quiet: bool = False,
        all: bool = False,
        filters: Optional[Dict] = None,
    ) -> List[Any]:
        """Images (``Id`` and ``RepoTags``), or their ids with ``quiet``."""
        out = self.call("images", name=name, quiet=quiet, all=all, filters=filters)
        return _unique(out.split()) if quiet else parse_images_output(out)

    def inspect_image(self, image: str) -> Dict[str, Any]:
        return parse_inspect_output(self.call("inspect_image", image), "image")

    def remove_image(
        self,
        image: str,
        force: bool = False,
        noprune: bool = False,
        raise_on_error: bool = True,
        raise_not_found: bool = False,
    ) -> None:
        """Remove an image; a missing one is ignored unless ``raise_not_found``, other errors are logged and
        raised if ``raise_on_error``."""
        with tolerated(f"remove image {image!r}", self.push_log, raise_on_error, raise_not_found):
            self.call("remove_image", image, force=force, noprune=noprune)

    def tag(self, image: str, repository: str, tag: Optional[str] = None, force: bool = False) -> bool:
        """``docker tag``; it always moves an existing tag, which is what ``force`` asks for."""
        self.call("tag", image, repository, tag)
        return True

    def pull(
        self, repository: str, tag: Optional[str] = None, raise_on_error: bool = True, **kwargs: Any
    ) -> bool:
        """Pull an image; whether it succeeded.

        :raises DockerStatusError: if it failed (unless ``raise_on_error=False``), with the engine's reason.
        """
        return self._transfer("pull", repository, tag, raise_on_error, kwargs)

    def push(
        self, repository: str, tag: Optional[str] = None, raise_on_error: bool = True, **kwargs: Any
    ) -> bool:
        """Push an image; whether it succeeded.

        :raises DockerStatusError: if it failed (unless ``raise_on_error=False``), with the engine's reason.
        """
        return self._transfer("push", repository, tag, raise_on_error, kwargs)

    def _transfer(
        self, method: str, repository: str, tag: Optional[str], raise_on_error: bool, kwargs: Dict[str, Any]
    ) -> bool:
        # The command line prints the engine's refusal of the request after a prefix, and an error reported
        # while transferring without it: only a refusal has a status code, as through the API.
        action = transfer_action("Pulling" if method == "pull" else "Pushing", repository, tag)
        try:
            self.call(method, repository, tag, **kwargs)
        except docker.errors.APIError as exc:
            message = str(exc.explanation)
            refused = message.startswith(DAEMON_ERROR_PREFIX)
            reason = message[len(DAEMON_ERROR_PREFIX) :] if refused else message
            self.push_log("%s failed: %s", logging.ERROR, action, reason)
            if raise_on_error:
                raise transfer_failure(action, reason, exc.status_code if refused else None) from exc
            return False
        return True

    def login(
        self,
        username: str,
        password: Optional[str] = None,
        email: Optional[str] = None,
        registry: Optional[str] = None,
        reauth: bool = False,
        dockercfg_path: Optional[str] = None,
    ) -> bool:
        """``docker login`` with the password on its standard input; whether it succeeded."""
        out = self.call(
            "login",
            username=username,
            registry=registry,
            email=email,
            dockercfg_path=dockercfg_path,
            _stdin=password or "",
        )
        return "Login Succeeded" in out
