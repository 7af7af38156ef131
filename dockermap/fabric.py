"""Use dockermap from Fabric tasks: Docker clients for the host of a Fabric ``Connection``.

Two ways to reach the Docker Engine of a connection's host (Fabric 3, the ``fabric`` extra):

* ``'api'`` — the Engine API through the Docker SDK's ``ssh://`` transport, carried by the
  connection's own SSH session: every HTTP connection of the client is a channel of that session
  running ``docker system dial-stdio`` on the host. The connection's user, port, keys, gateway and
  host key policy therefore apply, and nothing has to be set up in ``~/.ssh/config``.
* ``'cli'`` or ``'sudo'`` — ``docker`` command lines run through ``Connection.run`` or
  ``Connection.sudo`` by the command-line client, for hosts where the user may only run ``sudo docker``.

:func:`client_configuration` wraps either in a :class:`~dockermap.map.config.client.ClientConfiguration`,
so that a :class:`~dockermap.map.client.MappingDockerClient` for the host is one line::

    MappingDockerClient(container_map, client_configuration(c, mode='sudo'))
"""

from __future__ import annotations

import io
import posixpath
import shlex
from typing import Any, Callable, Optional, Union

from docker.constants import (
    DEFAULT_MAX_POOL_SIZE,
    DEFAULT_NUM_POOLS_SSH,
    DEFAULT_TIMEOUT_SECONDS,
    MINIMUM_DOCKER_API_VERSION,
)
from docker.errors import DockerException
from docker.transport.basehttpadapter import BaseHTTPAdapter
from docker.transport.sshconn import SSHHTTPAdapter
from fabric import Connection

from dockermap.build.context import DockerContext
from dockermap.build.dockerfile import DockerFile
from dockermap.client.base import DockerClientWrapper
from dockermap.client.cmdline import DockerCommandLineClient
from dockermap.exceptions import InvalidArgumentError
from dockermap.exceptions import RemoteCommandError as RemoteCommandError
from dockermap.map.config.client import ClientConfiguration

#: Client modes: the Engine API over SSH, ``docker`` command lines, ``sudo docker`` command lines.
MODES = ("api", "cli", "sudo")
#: Mount point of the SDK's ``ssh://`` adapter in ``APIClient``.
_SSH_MOUNT = "http+docker://ssh"


def connection_base_url(connection: Connection) -> str:
    """The ``ssh://user@host:port`` URL of the connection's host."""
    return f"ssh://{connection.user}@{connection.host}:{connection.port}"


class ConnectionSSHAdapter(SSHHTTPAdapter):
    """The SDK's ``ssh://`` adapter, opening its channels on a Fabric connection's SSH transport.

    The connection is opened on first use, and again (with fresh channels) after it was closed.
    Closing the adapter leaves the connection open: it belongs to the caller.
    """

    def __init__(self, connection: Connection, timeout: int, max_pool_size: int = DEFAULT_MAX_POOL_SIZE):
        self.connection = connection
        # shell_out keeps the base class from logging in by itself; the client is set right after.
        super().__init__(
            connection_base_url(connection),
            timeout,
            pool_connections=DEFAULT_NUM_POOLS_SSH,
            max_pool_size=max_pool_size,
            shell_out=True,
        )
        self.ssh_client = connection.client

    def get_connection(self, url: str, proxies: Any = None) -> Any:
        """The connection pool for ``url``, on the connection's current SSH transport."""
        if not self.connection.is_connected:
            # Pools of an earlier transport would open channels on a closed one.
            self.pools.clear()
            self.connection.open()
        return super().get_connection(url, proxies)

    def close(self) -> None:
        """Close the connection pools, not the Fabric connection."""
        BaseHTTPAdapter.close(self)


class ConnectionDockerClient(DockerClientWrapper):
    """A :class:`~dockermap.client.base.DockerClientWrapper` for the Docker Engine of a connection's host.

    :param connection: The Fabric connection; it is opened when needed.
    :param version: Engine API version; ``None`` or ``'auto'`` asks the engine (opening the connection).
    :param timeout: Timeout of each request in seconds.
    :param max_pool_size: Most HTTP connections (SSH channels) kept open at once.
    :param kwargs: Further arguments of ``docker.APIClient`` (e.g. ``user_agent``).
    """

    def __init__(
        self,
        connection: Connection,
        version: Optional[str] = None,
        timeout: int = DEFAULT_TIMEOUT_SECONDS,
        max_pool_size: int = DEFAULT_MAX_POOL_SIZE,
        **kwargs: Any,
    ) -> None:
        negotiate = version is None or version.lower() == "auto"
        # The SDK builds an ssh:// adapter of its own; a fixed version keeps it from being used before
        # it is replaced with one on the connection's transport.
        super().__init__(
            connection_base_url(connection),
            version=MINIMUM_DOCKER_API_VERSION if negotiate else version,
            timeout=timeout,
            use_ssh_client=True,
            max_pool_size=max_pool_size,
            **kwargs,
        )
        self.connection = connection
        self._custom_adapter = ConnectionSSHAdapter(connection, timeout, max_pool_size)
        self.mount(_SSH_MOUNT, self._custom_adapter)
        if negotiate:
            try:
                self._version = self._retrieve_server_version()
            except DockerException as exc:
                raise DockerException(
                    f"No Docker Engine answered through SSH on {connection_base_url(connection)} "
                    f"(docker system dial-stdio): {exc}"
                ) from exc


def remote_runner(connection: Connection, use_sudo: bool = False) -> Callable[..., str]:
    """A function that runs a shell command line on the connection's host and returns its output.

    The command runs through ``Connection.sudo`` (answering the password prompt with the connection's
    ``sudo.password`` setting) if ``use_sudo``, else through ``Connection.run``; its output is not echoed.
    A non-zero exit raises :class:`RemoteCommandError` with the command's error output.
    """
    execute = connection.sudo if use_sudo else connection.run

    def run(cmd: str, stdin: Optional[str] = None) -> str:
        in_stream = False if stdin is None else io.StringIO(stdin)
        result = execute(cmd, hide=True, warn=True, in_stream=in_stream)
        if result.failed:
            raise RemoteCommandError(connection.host, cmd, result.exited, result.stderr, result.stdout)
        return result.stdout

    return run


def command_line_client(
    connection: Connection, use_sudo: bool = False, **kwargs: Any
) -> DockerCommandLineClient:
    """A command-line client that runs ``docker`` (or ``sudo docker``) on the connection's host.

    :param kwargs: Further arguments of :class:`~dockermap.client.cmdline.DockerCommandLineClient`
      (``default_bin``, ``cmd_args``, ...).
    """
    return DockerCommandLineClient(run=remote_runner(connection, use_sudo), **kwargs)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise InvalidArgumentError(f"Unknown client mode {mode!r}; expected one of {', '.join(MODES)}.")


def docker_client(connection: Connection, mode: str = "api", **kwargs: Any) -> Any:
    """A Docker client for the connection's host: :class:`ConnectionDockerClient` for mode ``'api'``,
    else the command-line client (``'sudo'``: through ``sudo``). ``kwargs`` go to the client."""
    _check_mode(mode)
    if mode == "api":
        return ConnectionDockerClient(connection, **kwargs)
    return command_line_client(connection, use_sudo=mode == "sudo", **kwargs)


def client_configuration(connection: Connection, mode: str = "api", **settings: Any) -> ClientConfiguration:
    """A client configuration for the connection's host, with the client of :func:`docker_client`.

    :param mode: ``'api'``, ``'cli'`` or ``'sudo'`` (see the module description).
    :param settings: Further arguments of :class:`~dockermap.map.config.client.ClientConfiguration`
      (``interfaces``, ``stop_timeout``, ...).
    """
    client = docker_client(connection, mode)
    return ClientConfiguration(base_url=connection_base_url(connection), client=client, **settings)


def build_image(
    connection: Connection,
    source: Union[DockerFile, DockerContext],
    tag: str,
    mode: str = "api",
    force_rm: bool = True,
) -> str:
    """Build an image on the connection's host from a Dockerfile (and the files it adds) or a context.

    Mode ``'api'`` sends the context through the Engine API; the command-line modes upload it to a
    temporary directory on the host and run ``docker build`` (as root with ``'sudo'``) there.
    With ``force_rm`` (the default), intermediate containers are removed even when the build fails,
    so a failed remote build leaves nothing behind.

    :return: The id of the new image.
    """
    _check_mode(mode)
    if mode == "api":
        client = ConnectionDockerClient(connection)
        try:
            if isinstance(source, DockerContext):
                image_id = client.build_from_context(source, tag, forcerm=force_rm)
            else:
                image_id = client.build_from_file(source, tag, forcerm=force_rm)
        finally:
            client.close()
        if not image_id:
            raise DockerException(f"Building {tag!r} on {connection.host} reported no image id.")
        return image_id
    if isinstance(source, DockerContext):
        return _build_with_cli(connection, source, tag, mode == "sudo", force_rm)
    with DockerContext(source, finalize=True) as context:
        return _build_with_cli(connection, context, tag, mode == "sudo", force_rm)


def _build_with_cli(
    connection: Connection, context: DockerContext, tag: str, use_sudo: bool, force_rm: bool
) -> str:
    context.finalize()
    run = remote_runner(connection)
    work_dir = run("mktemp -d").strip()
    archive = posixpath.join(work_dir, "context.tar")
    context_dir = posixpath.join(work_dir, "context")
    try:
        connection.put(context.fileobj, remote=archive)
        quoted_dir = shlex.quote(context_dir)
        run(f"mkdir {quoted_dir} && tar -xf {shlex.quote(archive)} -C {quoted_dir}")
        remove = " --force-rm" if force_rm else ""
        build = f"docker build --quiet{remove} --tag {shlex.quote(tag)} {shlex.quote(context_dir)}"
        output = remote_runner(connection, use_sudo)(build)
    finally:
        run(f"rm -rf {shlex.quote(work_dir)}")
    lines = output.split()
    if not lines:
        raise DockerException(f"Building {tag!r} on {connection.host} reported no image id.")
    return lines[-1]
