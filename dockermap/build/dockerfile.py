"""Generate Dockerfiles from Python: :class:`DockerFile` and its formatting helpers.

Instructions are written immediately in call order; the final-image settings (``VOLUME``, ``USER``,
``WORKDIR``, ``SHELL``, ``ENTRYPOINT``, ``CMD``, ``EXPOSE``, ``LABEL``, ``STOPSIGNAL``, ``HEALTHCHECK``)
are properties written once by :meth:`DockerFile.finalize`. Files added with ``ADD``/``COPY`` are
recorded, so that :class:`~dockermap.build.context.DockerContext` can put them into the build context.
"""

from __future__ import annotations

import json
import os
import re
import tarfile
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Optional, Union

from dockermap import DEFAULT_BASEIMAGE
from dockermap.build.buffer import DockerStringBuffer

# ARG values made only of these characters are written without quotes.
_PLAIN_VALUE = re.compile(r"[\w.,:/@%+=-]+\Z")
# Names of ARG and ENV variables: no whitespace, quotes or '='.
_VARIABLE_NAME = re.compile(r"[^\s=\"']+\Z")
# ADD/COPY paths containing whitespace must be written in JSON form.
_WHITESPACE = re.compile(r"\s")
# A backslash that does not escape a '$' (those are kept, so that '\$' stays a literal dollar sign).
_PLAIN_BACKSLASH = re.compile(r"\\(?!\$)")


class ContextFile(NamedTuple):
    """A local file or directory that an ``ADD``/``COPY`` instruction expects in the build context."""

    #: Path on the local file system.
    source: str
    #: Name of the file or directory inside the build context.
    arcname: str
    #: The Dockerfile instruction that refers to it (for error messages).
    instruction: str


def prepare_path(
    path: str, replace_space: bool, replace_sep: bool, expandvars: bool, expanduser: bool
) -> str:
    """Prepare a path for a Dockerfile: expand variables, then ``~``, then use ``/`` as separator and
    escape spaces with a backslash, each step only if its flag is set."""
    if expandvars:
        path = os.path.expandvars(path)
    if expanduser:
        path = os.path.expanduser(path)
    if replace_sep and os.sep != "/":
        path = path.replace(os.sep, "/")
    if replace_space:
        path = path.replace(" ", "\\ ")
    return path


def _split_command(cmd: str) -> list[str]:
    # Split on spaces, but keep a backslash-escaped space inside its part.
    parts: list[str] = []
    for piece in cmd.split(" "):
        if parts and parts[-1].endswith("\\"):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return [part for part in parts if part]


def format_command(cmd: Union[str, list, tuple], shell: bool = False) -> str:
    """Format the argument of ``CMD`` or ``ENTRYPOINT``: a JSON array (exec form), or with ``shell`` a
    plain command line (shell form). An empty command gives ``[]``."""
    if not isinstance(cmd, (str, list, tuple)):
        raise ValueError(f"A command must be a string, list or tuple, found {type(cmd).__name__}: {cmd!r}.")
    if not cmd:
        return "[]"
    if shell:
        return cmd if isinstance(cmd, str) else " ".join(str(item) for item in cmd)
    items = _split_command(cmd) if isinstance(cmd, str) else [str(item) for item in cmd]
    return json.dumps(items)


def format_expose(expose: Any) -> Iterable[str]:
    """Port list for ``EXPOSE``: a string is used as-is, other items are converted with ``str``."""
    if isinstance(expose, str):
        return (expose,)
    if isinstance(expose, Iterable):
        return (str(item) for item in expose)
    return (str(expose),)


def quote_value(value: str) -> str:
    """Double-quote a value for ``ENV`` or ``LABEL``: backslashes and double quotes are escaped, so the
    builder reads the value as written. ``$NAME`` references are still expanded by the builder; ``\\$``
    keeps a literal dollar sign."""
    escaped = _PLAIN_BACKSLASH.sub(r"\\\\", value).replace('"', '\\"')
    return f'"{escaped}"'


def format_labels(labels: Any) -> Iterable[str]:
    """Items of a ``LABEL`` instruction from a dict or pairs, as ``"key"="value"`` (quoted with
    :func:`quote_value`); a string is used as-is. A newline inside a value becomes a line continuation."""
    if isinstance(labels, str):
        return (labels,)
    if isinstance(labels, Mapping):
        pairs = labels.items()
    elif isinstance(labels, Iterable):
        pairs = labels
    else:
        raise ValueError(f"Labels must be a string, dict or list of pairs, found {labels!r}.")
    return [
        f"{quote_value(str(key))}={quote_value(str(value))}".replace("\n", "\\\n") for key, value in pairs
    ]


def _check_variable(kind: str, name: str) -> None:
    if not isinstance(name, str) or not _VARIABLE_NAME.match(name):
        raise ValueError(
            f"Invalid {kind} variable name {name!r}: it must not be empty or contain blanks, quotes or '='."
        )


def _format_env(name: str, value: Any) -> str:
    _check_variable("ENV", name)
    if value is None:
        raise ValueError(f"ENV variable {name!r} has no value.")
    text = str(value)
    if "\n" in text:
        raise ValueError(f"ENV variable {name!r}: a Dockerfile cannot represent the newline in {text!r}.")
    return f"{name}={quote_value(text)}"


def _target_name(path: str) -> str:
    # Last component of a path; for a trailing separator the one before it.
    seps = os.sep + (os.altsep or "")
    name = os.path.basename(path.rstrip(seps))
    if not name:
        raise ValueError(f"Cannot derive a destination from source path {path!r}; pass dst_path.")
    return name


def _deferred(name: str, doc: str) -> property:
    # A setting written at finalize; it can be changed only until then.
    attr = f"_{name}"

    def fget(self: DockerFile) -> Any:
        return getattr(self, attr)

    def fset(self: DockerFile, value: Any) -> None:
        self.check_not_finalized()
        setattr(self, attr, value)

    return property(fget, fset, doc=doc)


# Constructor keyword arguments and the properties they set.
_KWARG_PROPERTIES = {
    "volumes": "volumes",
    "entrypoint": "entrypoint",
    "command": "command",
    "command_shell": "command_shell",
    "cmd_user": "command_user",
    "cmd_workdir": "command_workdir",
    "expose": "expose",
    "labels": "labels",
    "shell": "shell",
    "stopsignal": "stopsignal",
    "healthcheck": "healthcheck",
}


class DockerFile(DockerStringBuffer):
    """A Dockerfile under construction.

    :param baseimage: Image of the first ``FROM`` line; none is written if empty.
    :param maintainer: Written as ``MAINTAINER`` line.
    :param initial: Line(s) written after the header: a string or an iterable of strings.
    :param stage: Name of the first build stage (``FROM <baseimage> AS <stage>``).
    :param kwargs: Initial values of the properties written at finalize: ``volumes``, ``entrypoint``,
      ``command``, ``command_shell``, ``cmd_user`` (sets ``command_user``), ``cmd_workdir`` (sets
      ``command_workdir``), ``expose``, ``labels``, ``shell``, ``stopsignal``, ``healthcheck``.
    :raises TypeError: for any other keyword argument.
    """

    volumes = _deferred("volumes", "List of paths written as ``VOLUME`` (JSON array) unless empty.")
    entrypoint = _deferred("entrypoint", "``ENTRYPOINT`` as string or list; written if not ``None``.")
    command = _deferred("command", "``CMD`` as string or list; written if not ``None``.")
    command_shell = _deferred(
        "command_shell", "Write ``ENTRYPOINT`` and ``CMD`` in shell form, not exec form."
    )
    command_user = _deferred("command_user", "``USER`` of the final image.")
    command_workdir = _deferred("command_workdir", "``WORKDIR`` of the final image.")
    expose = _deferred("expose", "Port(s) written as ``EXPOSE`` unless empty.")
    labels = _deferred("labels", "``LABEL`` items: a dict, pairs, or a preformatted string.")
    shell = _deferred("shell", "``SHELL``: a string written verbatim, or a list written as JSON array.")
    stopsignal = _deferred("stopsignal", "``STOPSIGNAL`` of the final image.")
    healthcheck = _deferred("healthcheck", "``HEALTHCHECK`` arguments, written verbatim (e.g. ``'NONE'``).")

    def __init__(
        self,
        baseimage: Optional[str] = DEFAULT_BASEIMAGE,
        maintainer: Optional[str] = None,
        initial: Union[str, Iterable[str], None] = None,
        stage: Optional[str] = None,
        **kwargs: Any,
    ) -> None:
        unknown = sorted(set(kwargs) - set(_KWARG_PROPERTIES))
        if unknown:
            raise TypeError(f"DockerFile got unexpected keyword argument(s): {', '.join(unknown)}.")
        super().__init__()
        for prop in _KWARG_PROPERTIES.values():
            setattr(self, f"_{prop}", None)
        self._command_shell = False
        for kwarg, value in kwargs.items():
            setattr(self, f"_{_KWARG_PROPERTIES[kwarg]}", value)
        self._files: list[ContextFile] = []
        self._archives: list[str] = []
        self._remove: dict[str, None] = {}  # insertion-ordered set

        if baseimage:
            self._write_from(baseimage, stage)
        self.blank()
        if maintainer:
            self.writeline(f"MAINTAINER {maintainer}")
            self.blank()
        if isinstance(initial, str):
            self.writeline(initial)
        elif initial is not None:
            self.writelines(initial)

    @property
    def context_files(self) -> tuple[ContextFile, ...]:
        """Local files and directories referenced by ``ADD``/``COPY``, in instruction order."""
        return tuple(self._files)

    @property
    def context_archives(self) -> tuple[str, ...]:
        """Tar archives added with :meth:`add_archive`; their content goes into the build context."""
        return tuple(self._archives)

    # --- plain output -------------------------------------------------------------------------------

    def write(self, input_str: Union[str, bytes]) -> None:
        """Write bytes as-is or text encoded as UTF-8."""
        self.check_not_finalized()
        self.fileobj.write(input_str if isinstance(input_str, bytes) else input_str.encode("utf-8"))

    def writeline(self, input_str: Union[str, bytes]) -> None:
        """Write a line (a newline is appended)."""
        self.write(input_str)
        self.write(b"\n")

    def writelines(self, sequence: Iterable[Union[str, bytes]]) -> None:
        """Write each element as a line."""
        for line in sequence:
            self.writeline(line)

    def blank(self) -> None:
        """Write an empty line."""
        self.write(b"\n")

    def comment(self, input_str: Optional[str] = None) -> None:
        """Write ``# <input_str>``, or a line with just ``#``."""
        self.writeline(f"# {input_str}" if input_str else "#")

    def prefix(self, prefix: str = "#", *args: Any) -> None:
        """Write ``prefix``, followed by a space, the ``args`` joined by spaces, and a newline. Without
        ``args`` only ``prefix`` is written (no newline), so that the next write continues the line."""
        self.write(prefix)
        if args:
            self.write(" ")
            self.writeline(" ".join(str(arg) for arg in args))

    def prefix_all(self, prefix: str = "#", *lines: Any) -> None:
        """:meth:`prefix` each line; a list or tuple gives the arguments of one line, an empty line is
        written as blank line."""
        for line in lines:
            if isinstance(line, (list, tuple)):
                self.prefix(prefix, *line)
            elif line:
                self.prefix(prefix, line)
            else:
                self.blank()

    # --- instructions -------------------------------------------------------------------------------

    def _write_from(self, image: str, stage: Optional[str]) -> None:
        self.writeline(f"FROM {image} AS {stage}" if stage else f"FROM {image}")

    def from_(self, image: str, stage: Optional[str] = None) -> None:
        """Start another build stage: ``FROM <image> [AS <stage>]``, surrounded by blank lines.

        The finalize-time properties and :meth:`add_file`'s ``remove_final`` apply to the last stage,
        i.e. the resulting image.
        """
        self.blank()
        self._write_from(image, stage)
        self.blank()

    def run(self, *args: Any) -> None:
        """Write one ``RUN`` line with the arguments joined by spaces."""
        self.prefix("RUN", *args)

    def run_all(self, *lines: Any) -> None:
        """Write one ``RUN`` line per line (see :meth:`prefix_all`)."""
        self.prefix_all("RUN", *lines)

    def run_join(self, *lines: str) -> None:
        """Write a single ``RUN`` line running all ``lines`` joined by ``&&``."""
        if not lines:
            raise ValueError("run_join needs at least one command.")
        self.prefix("RUN", " && ".join(lines))

    def arg(self, name: str, default: Any = None) -> None:
        """Declare a build argument: ``ARG <name>`` or ``ARG <name>=<default>`` (quoted if necessary)."""
        _check_variable("ARG", name)
        if default is None:
            self.writeline(f"ARG {name}")
            return
        text = str(default)
        if "\n" in text:
            raise ValueError(f"ARG {name!r}: a Dockerfile cannot represent the newline in {text!r}.")
        value = text if _PLAIN_VALUE.match(text) else quote_value(text)
        self.writeline(f"ARG {name}={value}")

    def env(
        self, variables: Union[Mapping[str, Any], Iterable[tuple], None] = None, /, **kwargs: Any
    ) -> None:
        """Set environment variables in one line: ``ENV KEY="value" ...``, from a dict or pairs and/or
        keyword arguments. Values are converted with ``str`` and quoted (see :func:`quote_value`)."""
        items = list(dict(variables or {}).items()) + list(kwargs.items())
        if not items:
            raise ValueError("ENV needs at least one variable.")
        self.writeline("ENV " + " ".join(_format_env(name, value) for name, value in items))

    def _add_path(
        self,
        instruction: str,
        src_path: str,
        dst_path: Optional[str],
        ctx_path: Optional[str],
        flags: list[str],
        replace_space: bool,
        expandvars: bool,
        expanduser: bool,
        remove_final: bool,
        local: bool,
    ) -> str:
        # Write ADD/COPY; record a local source for the build context. Returns the source as written.
        source = prepare_path(src_path, False, False, expandvars, expanduser)
        target_name = dst_path or _target_name(source)
        target = prepare_path(target_name, False, True, expandvars, expanduser)
        if local:
            written_source = prepare_path(ctx_path or target_name, False, True, expandvars, expanduser)
        else:
            written_source = prepare_path(source, False, True, False, False)
        line = self._write_transfer(instruction, flags, written_source, target, replace_space, remove_final)
        if local:
            self._files.append(ContextFile(source, written_source, line))
        return written_source

    def _write_transfer(
        self,
        instruction: str,
        flags: list[str],
        source: str,
        target: str,
        replace_space: bool,
        remove_final: bool,
    ) -> str:
        # Write an ADD/COPY line (Docker requires the JSON form for paths with whitespace) and return it.
        if replace_space and _WHITESPACE.search(source + target):
            paths = json.dumps([source, target])
        else:
            paths = f"{source} {target}"
        line = " ".join([instruction, *flags, paths])
        self.writeline(line)
        if remove_final:
            self._remove[prepare_path(target, replace_space, False, False, False)] = None
        return line

    def add_file(
        self,
        src_path: str,
        dst_path: Optional[str] = None,
        ctx_path: Optional[str] = None,
        replace_space: bool = True,
        expandvars: bool = False,
        expanduser: bool = False,
        remove_final: bool = False,
        chown: Optional[str] = None,
    ) -> str:
        """Write ``ADD <context path> <dst_path>`` and record the local ``src_path`` for the context.

        :param src_path: Local file or directory (only variables and ``~`` are expanded, if requested).
        :param dst_path: Destination in the image; by default the last component of ``src_path``.
        :param ctx_path: Name inside the build context; by default the destination.
        :param replace_space: Write paths containing whitespace in JSON form (``ADD ["a b", "/c d"]``), the
          only form Docker accepts for them, and escape spaces in ``RUN rm -Rf``; ``False`` writes paths as
          they are.
        :param expandvars: Expand environment variables in all paths.
        :param expanduser: Expand ``~`` in all paths.
        :param remove_final: Remove the destination at the end of the build (``RUN rm -Rf``).
        :param chown: ``user:group`` for ``--chown``.
        :return: The context path as written in the instruction.
        :raises ValueError: if no destination can be derived from ``src_path``.
        """
        flags = [f"--chown={chown}"] if chown else []
        return self._add_path(
            "ADD",
            src_path,
            dst_path,
            ctx_path,
            flags,
            replace_space,
            expandvars,
            expanduser,
            remove_final,
            True,
        )

    def copy(
        self,
        src_path: str,
        dst_path: Optional[str] = None,
        from_stage: Optional[str] = None,
        chown: Optional[str] = None,
        ctx_path: Optional[str] = None,
        replace_space: bool = True,
        expandvars: bool = False,
        expanduser: bool = False,
        remove_final: bool = False,
    ) -> str:
        """Write ``COPY [--from=<from_stage>] [--chown=<chown>] <source> <dst_path>``.

        Without ``from_stage`` the source is a local path, recorded for the build context exactly like
        :meth:`add_file` (same path parameters). With ``from_stage`` (a stage name or index, or an image)
        ``src_path`` is a path inside that stage and nothing is added to the context.

        :return: The source as written in the instruction.
        """
        flags = [f"--from={from_stage}"] if from_stage is not None else []
        if chown:
            flags.append(f"--chown={chown}")
        return self._add_path(
            "COPY",
            src_path,
            dst_path,
            ctx_path,
            flags,
            replace_space,
            expandvars,
            expanduser,
            remove_final,
            from_stage is None,
        )

    def add_archive(self, src_file: str, remove_final: bool = False) -> list[str]:
        """Write ``ADD <name> <name>`` for each top-level entry of the tar archive ``src_file``; the
        archive's content is repacked into the build context.

        :return: The top-level entry names.
        """
        names: dict[str, None] = {}
        with tarfile.open(src_file) as archive:
            for member in archive:
                name = member.name
                while name.startswith("./"):
                    name = name[2:]
                top = name.split("/", 1)[0]
                if top and top != ".":
                    names[top] = None
        for name in names:
            self._write_transfer("ADD", [], name, name, True, remove_final)
        self._archives.append(src_file)
        return list(names)

    def add_volume(self, path: str) -> None:
        """Append ``path`` to :attr:`volumes` (written at finalize)."""
        self.check_not_finalized()
        if self._volumes is None:
            self._volumes = []
        self._volumes.append(path)

    # --- finalization -------------------------------------------------------------------------------

    def finalize(self) -> None:
        """Write the removals and the final-image properties, then refuse further changes. Repeated
        calls do nothing."""
        if self.finalized:
            return
        if self._remove:
            for path in self._remove:
                self.writeline(f"RUN rm -Rf {path}")
            self.blank()
        if self._volumes:  # VOLUME and EXPOSE without arguments would fail the build
            self.writeline(f"VOLUME {json.dumps(list(self._volumes))}")
        if self._command_user:
            self.writeline(f"USER {self._command_user}")
        if self._command_workdir:
            self.writeline(f"WORKDIR {self._command_workdir}")
        if self._shell:
            shell = self._shell if isinstance(self._shell, str) else json.dumps(list(self._shell))
            self.writeline(f"SHELL {shell}")
        if self._entrypoint is not None:
            self.writeline(f"ENTRYPOINT {format_command(self._entrypoint, self._command_shell)}")
        if self._command is not None:
            self.writeline(f"CMD {format_command(self._command, self._command_shell)}")
        ports = [port for port in format_expose(self._expose) if port] if self._expose is not None else []
        if ports:
            self.writeline(f"EXPOSE {' '.join(ports)}")
        if self._labels:
            self.writeline(f"LABEL {' '.join(format_labels(self._labels))}")
        if self._stopsignal:
            self.writeline(f"STOPSIGNAL {self._stopsignal}")
        if self._healthcheck:
            self.writeline(f"HEALTHCHECK {self._healthcheck}")
        super().finalize()
