"""Whole ``docker`` command lines (prefix, binary, global arguments, command) for Docker SDK calls."""

from __future__ import annotations

import shlex
from typing import Any, Optional, Sequence

from .commands import COMMANDS, NO_COMMAND, bind_arguments, parameter_names, positional_args, wait_prefix
from .values import Args, generic_args


class DockerCommandLineOutput:
    """Generates ``docker`` command lines equivalent to Docker SDK (``APIClient``) calls.

    :param cmd_prefix: Words before the binary, e.g. ``'sudo'`` (a trusted fragment, split as a shell does).
    :param default_bin: The docker binary.
    :param cmd_args: Arguments of every command, e.g. ``['-H', 'unix:///run/docker.sock']``.
    """

    def __init__(
        self,
        cmd_prefix: Optional[str] = None,
        default_bin: str = "docker",
        cmd_args: Optional[Sequence[str]] = None,
    ) -> None:
        self.cmd_prefix = cmd_prefix
        self.default_bin = default_bin
        self.cmd_args = list(cmd_args or [])

    @property
    def base_args(self) -> Args:
        """The words every command starts with: prefix, binary, global arguments."""
        prefix = shlex.split(self.cmd_prefix) if self.cmd_prefix else []
        return prefix + [self.default_bin] + [str(arg) for arg in self.cmd_args]

    def get_args(self, c_cmd: str, *args: Any, **kwargs: Any) -> Optional[Args]:
        """The command for SDK method ``c_cmd`` called with ``args`` and ``kwargs``, as an argument list.

        ``None`` for ``exec_start`` (the command is made by ``exec_create`` with ``detach``).

        :raises UnsupportedOption: for arguments the command line cannot express.
        :raises TypeError: for arguments the SDK method does not take positionally or twice.
        """
        if c_cmd in NO_COMMAND:
            return None
        return self.command_args(c_cmd, *args, **kwargs)

    def command_args(self, c_cmd: str, *args: Any, **kwargs: Any) -> Args:
        """As :meth:`get_args`, for a method that has a command of its own (any but ``exec_start``)."""
        bound = bind_arguments(c_cmd, args, kwargs)
        prefix = wait_prefix(c_cmd, bound)
        builder = COMMANDS.get(c_cmd)
        if builder is None:
            positional = [bound.pop(name) for name in parameter_names(c_cmd)[: len(args)]]
            if "container" in bound:
                positional.append(bound.pop("container"))
            command = [c_cmd] + generic_args(bound) + positional_args(positional)
        else:
            command = builder(bound)
        return prefix + self.base_args + command

    def get_cmd(self, c_cmd: str, *args: Any, **kwargs: Any) -> Optional[str]:
        """The command for SDK method ``c_cmd`` as a POSIX shell command line, every keyword value quoted.

        For a sub-command that has no builder of its own (the method name is used verbatim, e.g. ``build``),
        positional ``args`` are appended as written, after the flags, as the classic generator did: they
        are trusted shell words from the calling code, such as ``'- < Dockerfile'``. Other methods bind
        ``args`` to the parameters of the SDK method and quote them.
        """
        if args and c_cmd not in COMMANDS and c_cmd not in NO_COMMAND:
            return " ".join([shlex.join(self.command_args(c_cmd, **kwargs))] + [str(arg) for arg in args])
        arguments = self.get_args(c_cmd, *args, **kwargs)
        return None if arguments is None else shlex.join(arguments)
