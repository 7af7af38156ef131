"""Generate Dockerfiles from Python: :class:`DockerFile` and its formatting helpers.

Instructions are written immediately in call order; the final-image settings (``VOLUME``, ``USER``,
``WORKDIR``, ``SHELL``, ``ENTRYPOINT``, ``CMD``, ``EXPOSE``, ``LABEL``, ``STOPSIGNAL``, ``HEALTHCHECK``)
are properties written once by :meth:`DockerFile.finalize`. Files added with ``ADD``/``COPY`` are
recorded, so that :class:`~dockermap.build.context.DockerContext` can put them into the build context.

Every value that :class:`DockerFile` formats into an instruction is quoted for the way the builder reads
it, or refused with :class:`~dockermap.exceptions.DockerfileValueError`: a value can never end its
instruction early, continue it into the next line, or run as shell code where it is not meant to.
Text given to ``RUN``/:meth:`DockerFile.prefix` is shell code and written as it is; only newlines that
would start another instruction are refused there. :meth:`DockerFile.write` and
:meth:`DockerFile.writeline` write raw text. The default escape character (``\\``) is assumed.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tarfile
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, Optional, Union

from dockermap import DEFAULT_BASEIMAGE
from dockermap.build.buffer import DockerStringBuffer
from dockermap.build.members import MemberGuard, member_name
from dockermap.exceptions import BuildInputError, DockerfileValueError

# Names of ARG and ENV variables: no whitespace, quotes or '='.
_VARIABLE_NAME = re.compile(r"[^\s=\"']+\Z")
# ADD/COPY paths containing whitespace must be written in JSON form.
_WHITESPACE = re.compile(r"\s")
# Paths, users, ARG values and similar values written without quotes or JSON form.
_PLAIN_WORD = re.compile(r"[\w.,:/@%+=~-]+\Z")
# Characters that the builder's word processing (variables, quotes, escapes) treats specially, outside
# and inside double quotes.
_WORD_SPECIAL = re.compile(r"([\\$'\"])")
_DOUBLE_QUOTED_SPECIAL = re.compile(r"([\\$\"])")
# Names in the build context: the builder treats these characters as wildcards or escapes.
_CONTEXT_NAME_SPECIAL = re.compile(r"[*?\[\\]")
# A line ending in the escape character continues the instruction on the next line.
_CONTINUED = re.compile(r"\\[ \t]*\Z")
# The forms that some values must have, and how an error message describes them. Image references
# (with ARG variables) and --from values just have no blanks, quotes or escapes.
_FORMS = {
    "user": (r"[\w.-]+(?::[\w.-]+)?", "user[:group] for --chown"),
    "signal": (r"[A-Za-z0-9+-]+", "a signal name or number"),
    "port": (r"[0-9]+(?:-[0-9]+)?(?:/[a-z]+)?", "a port, port range or port/protocol"),
    "stage": (r"[A-Za-z][\w.-]*", "a stage name (a letter, then letters, digits, '_', '.', '-')"),
    "image": (r"[^\s\"'\\]+", "an image or stage reference (no blanks, quotes or backslashes)"),
}
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


def single_line(instruction: str, text: str) -> str:
    """Return ``text`` if written into ``instruction`` it stays one instruction: each newline must follow
    a line continuation (``\\``), and the text must not end with one (that would continue the
    instruction into the next line).

    :raises DockerfileValueError: otherwise.
    """
    if "\r" in text or "\0" in text:
        raise DockerfileValueError(instruction, text, "contains a carriage return or NUL character.")
    lines = text.split("\n")
    continued = False
    for line in lines[:-1]:
        blank = not line.strip(" \t")
        if not (_CONTINUED.search(line) or (blank and continued)):
            raise DockerfileValueError(
                instruction, text, "contains a newline that would start a new instruction."
            )
        continued = True
    if _CONTINUED.search(lines[-1]) or (continued and not lines[-1].strip(" \t")):
        raise DockerfileValueError(instruction, text, "ends with a line continuation.")
    return text


def _no_newline(instruction: str, value: str) -> str:
    if any(char in value for char in "\n\r\0"):
        raise DockerfileValueError(
            instruction, value, "cannot be written into a Dockerfile (newline, carriage return or NUL)."
        )
    return value


def _checked(instruction: str, value: Any, form: str) -> str:
    text = str(value)
    pattern, description = _FORMS[form]
    if not re.fullmatch(pattern, text):
        raise DockerfileValueError(instruction, value, f"is not {description}.")
    return text


def escape_word(value: str) -> str:
    """Escape a value for the builder's processing of words (``ADD``/``COPY`` paths, ``VOLUME``): a
    backslash before each backslash, ``$`` and quote, so that it is taken literally."""
    return _WORD_SPECIAL.sub(r"\\\1", value)


def quote_word(instruction: str, value: str) -> str:
    """A value for an instruction that takes the rest of its line as one word (``USER``, ``WORKDIR``):
    as it is if plain, otherwise double-quoted, taken literally by the builder (no variable expansion)."""
    _no_newline(instruction, value)
    if _PLAIN_WORD.match(value):
        return value
    return '"' + _DOUBLE_QUOTED_SPECIAL.sub(r"\\\1", value) + '"'


def shell_quote(instruction: str, value: str) -> str:
    """Quote one argument for a shell-form command (see :func:`shlex.quote`)."""
    return shlex.quote(_no_newline(instruction, value))


def _split_command(cmd: str) -> list[str]:
    # Split on spaces, but keep a backslash-escaped space inside its part.
    parts: list[str] = []
    for piece in cmd.split(" "):
        if parts and parts[-1].endswith("\\"):
            parts[-1] = f"{parts[-1]} {piece}"
        else:
            parts.append(piece)
    return [part for part in parts if part]


def format_command(
    cmd: Union[str, list[Any], tuple[Any, ...]], shell: bool = False, instruction: str = "CMD"
) -> str:
    """Format the argument of ``CMD`` or ``ENTRYPOINT``: a JSON array (exec form), or with ``shell`` a
    command line (shell form): a string is the command line itself, the items of a list are quoted as
    single arguments. An empty command gives ``[]``.

    :raises DockerfileValueError: if a shell-form command would not stay one instruction.
    """
    if not isinstance(cmd, (str, list, tuple)):
        raise BuildInputError(
            f"A command must be a string, list or tuple, found {type(cmd).__name__}: {cmd!r}."
        )
    if not cmd:
        return "[]"
    if shell:
        if isinstance(cmd, str):
            return single_line(instruction, cmd)
        return " ".join(shell_quote(instruction, str(item)) for item in cmd)
    items = _split_command(cmd) if isinstance(cmd, str) else [str(item) for item in cmd]
    return json.dumps(items)


def format_expose(expose: Any) -> Iterable[str]:
    """Port list for ``EXPOSE``: a string may hold several ports separated by blanks, other items are
    converted with ``str``, empty ones are skipped. Each must be a port or range with an optional
    protocol (``8000-8010/udp``).

    :raises DockerfileValueError: for anything else.
    """
    if isinstance(expose, str):
        items: Iterable[Any] = expose.split()
    elif isinstance(expose, Iterable):
        items = expose
    else:
        items = (expose,)
    return [_checked("EXPOSE", item, "port") for item in items if item != ""]


def quote_value(value: str) -> str:
    """Double-quote a value for ``ENV`` or ``LABEL``: backslashes and double quotes are escaped, so the
    builder reads the value as written. ``$NAME`` references are still expanded by the builder; ``\\$``
    keeps a literal dollar sign."""
    escaped = _PLAIN_BACKSLASH.sub(r"\\\\", value).replace('"', '\\"')
    return f'"{escaped}"'


def _label(key: Any, value: Any) -> str:
    key, value = str(key), str(value)
    if not key or "=" in key:
        raise DockerfileValueError("LABEL", key, "is not a label name (empty or containing '=').")
    return f"{quote_value(_no_newline('LABEL', key))}={quote_value(_no_newline('LABEL', value))}"


def format_labels(labels: Any) -> Iterable[str]:
    """Items of a ``LABEL`` instruction from a dict or pairs, as ``"key"="value"`` (quoted with
    :func:`quote_value`); a string is used as-is (it must stay one instruction).

    :raises DockerfileValueError: for an empty key, a key with ``=``, or a newline in a key or value
      (the builder cannot read it back).
    """
    if isinstance(labels, str):
        return (single_line("LABEL", labels),)
    pairs: Iterable[Any]
    if isinstance(labels, Mapping):
        pairs = labels.items()
    elif isinstance(labels, Iterable):
        pairs = labels
    else:
        raise BuildInputError(f"Labels must be a string, dict or list of pairs, found {labels!r}.")
    return [_label(key, value) for key, value in pairs]


def _check_variable(kind: str, name: str) -> None:
    if not isinstance(name, str) or not _VARIABLE_NAME.match(name):
        raise BuildInputError(
            f"Invalid {kind} variable name {name!r}: it must not be empty or contain blanks, quotes or '='."
        )


def _format_env(name: str, value: Any) -> str:
    _check_variable("ENV", name)
    if value is None:
        raise BuildInputError(f"ENV variable {name!r} has no value.")
    return f"{name}={quote_value(_no_newline(f'ENV {name}', str(value)))}"


def _target_name(path: str) -> str:
    # Last component of a path; for a trailing separator the one before it.
    seps = os.sep + (os.altsep or "")
    name = os.path.basename(path.rstrip(seps))
    if not name:
        raise BuildInputError(f"Cannot derive a destination from source path {path!r}; pass dst_path.")
    return name


def _volume_path(path: str) -> str:
    # The builder strips blanks around VOLUME paths, so they cannot be part of one.
    if path != path.strip():
        raise DockerfileValueError("VOLUME", path, "starts or ends with whitespace, which the builder drops.")
    return _no_newline("VOLUME", path)


def _check_context_name(instruction: str, name: str) -> None:
    # A name inside the build context: literal for the builder, and inside the context.
    if _CONTEXT_NAME_SPECIAL.search(_no_newline(instruction, name)):
        raise DockerfileValueError(
            instruction,
            name,
            "cannot name a file in the build context: the builder reads *, ?, [ and \\ as wildcards "
            "(pass another ctx_path).",
        )
    member_name(name)


def _transfer_flags(instruction: str, from_stage: Any, chown: Optional[str]) -> list[str]:
    flags = []
    if from_stage is not None:
        stage = _checked(instruction, from_stage, "image")
        flags.append(f"--from={stage}")
    if chown:
        flags.append(f"--chown={_checked(instruction, chown, 'user')}")
    return flags


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

    # The values behind the properties above (set in ``__init__``).
    _volumes: Optional[list[Any]]
    _entrypoint: Any
    _command: Any
    _command_shell: bool
    _command_user: Any
    _command_workdir: Any
    _expose: Any
    _labels: Any
    _shell: Any
    _stopsignal: Any
    _healthcheck: Any

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
            self.writeline(f"MAINTAINER {_no_newline('MAINTAINER', maintainer)}")
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
        """Write ``# <input_str>``, or a line with just ``#``.

        :raises DockerfileValueError: if the text has a newline (the next line would be an instruction).
        """
        self.writeline(f"# {_no_newline('#', input_str)}" if input_str else "#")

    def prefix(self, prefix: str = "#", *args: Any) -> None:
        """Write ``prefix``, followed by a space, the ``args`` joined by spaces, and a newline. Without
        ``args`` only ``prefix`` is written (no newline), so that the next write continues the line.

        The arguments are written as they are (for ``RUN`` they are shell code: quote untrusted values
        with :func:`shlex.quote`), but they must stay one instruction (see :func:`single_line`); a
        comment (``#``) cannot have a newline at all.

        :raises DockerfileValueError: otherwise.
        """
        _no_newline("instruction", prefix)
        if args:
            text = " ".join(str(arg) for arg in args)
            if prefix.startswith("#"):
                _no_newline(prefix, text)
            single_line(prefix, text)
            self.write(prefix)
            self.write(" ")
            self.writeline(text)
        else:
            self.write(prefix)

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
        _checked("FROM", image, "image")
        if stage:
            _checked("FROM", stage, "stage")
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
            raise BuildInputError("run_join needs at least one command.")
        self.prefix("RUN", " && ".join(lines))

    def arg(self, name: str, default: Any = None) -> None:
        """Declare a build argument: ``ARG <name>`` or ``ARG <name>=<default>`` (quoted if necessary)."""
        _check_variable("ARG", name)
        if default is None:
            self.writeline(f"ARG {name}")
            return
        text = _no_newline(f"ARG {name}", str(default))
        value = text if _PLAIN_WORD.match(text) else quote_value(text)
        self.writeline(f"ARG {name}={value}")

    def env(
        self, variables: Union[Mapping[str, Any], Iterable[tuple[str, Any]], None] = None, /, **kwargs: Any
    ) -> None:
        """Set environment variables in one line: ``ENV KEY="value" ...``, from a dict or pairs and/or
        keyword arguments. Values are converted with ``str`` and quoted (see :func:`quote_value`)."""
        items = list(dict(variables or {}).items()) + list(kwargs.items())
        if not items:
            raise BuildInputError("ENV needs at least one variable.")
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
            _check_context_name(instruction, written_source)
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
        # Write an ADD/COPY line and return it: plain paths as they are, others in JSON form (the only one
        # for whitespace, and safe from being read as flags), escaped for the builder's word processing.
        paths = [_no_newline(instruction, source), _no_newline(instruction, target)]
        if all(_PLAIN_WORD.match(path) and not path.startswith("-") for path in paths):
            text = " ".join(paths)
        elif not replace_space and _WHITESPACE.search(source + target):
            raise DockerfileValueError(
                instruction,
                paths,
                "contains whitespace, which only the JSON form holds (replace_space=False).",
            )
        else:
            text = json.dumps([escape_word(path) for path in paths])
        line = " ".join([instruction, *flags, text])
        self.writeline(line)
        if remove_final:
            self._remove[shell_quote("RUN", f"./{target}" if target.startswith("-") else target)] = None
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
          only form Docker accepts for them; with ``False`` such paths are refused. Paths are always taken
          literally (no variables, quotes or wildcards) by the builder.
        :param expandvars: Expand environment variables in all paths.
        :param expanduser: Expand ``~`` in all paths.
        :param remove_final: Remove the destination at the end of the build (``RUN rm -Rf``).
        :param chown: ``user:group`` for ``--chown`` (names or ids).
        :return: The context path.
        :raises ValueError: if no destination can be derived from ``src_path``.
        :raises DockerfileValueError: for a newline in a path, a context path with wildcard characters
          (``*?[\\``; pass another ``ctx_path``) or an invalid ``chown``.
        :raises ContextPathError: if the context path leads outside the build context.
        """
        flags = _transfer_flags("ADD", None, chown)
        paths = (src_path, dst_path, ctx_path)
        options = (replace_space, expandvars, expanduser, remove_final)
        return self._add_path("ADD", *paths, flags, *options, True)

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
        flags = _transfer_flags("COPY", from_stage, chown)
        paths = (src_path, dst_path, ctx_path)
        options = (replace_space, expandvars, expanduser, remove_final)
        return self._add_path("COPY", *paths, flags, *options, from_stage is None)

    def add_archive(self, src_file: str, remove_final: bool = False) -> list[str]:
        """Write ``ADD <name> <name>`` for each top-level entry of the tar archive ``src_file``; the
        archive's content is repacked into the build context.

        :return: The top-level entry names.
        :raises ContextPathError: for a member that would leave the build context.
        :raises DockerfileValueError: for a top-level name that cannot be written into ``ADD``.
        """
        names: dict[str, None] = {}
        guard = MemberGuard()
        with tarfile.open(src_file) as archive:
            for member in archive:
                guard.check(member)
                top = member.name.split("/", 1)[0]
                _check_context_name("ADD", top)
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
        lines = self._final_lines()
        if self._remove:
            for path in self._remove:
                self.writeline(f"RUN rm -Rf {path}")
            self.blank()
        self.writelines(lines)
        super().finalize()

    def _final_lines(self) -> list[str]:
        # The final-image settings, formatted (and checked) before anything is written.
        lines = []
        if self._volumes:  # VOLUME and EXPOSE without arguments would fail the build
            paths = [escape_word(_volume_path(str(path))) for path in self._volumes]
            lines.append(f"VOLUME {json.dumps(paths)}")
        if self._command_user:
            lines.append(f"USER {quote_word('USER', str(self._command_user))}")
        if self._command_workdir:
            lines.append(f"WORKDIR {quote_word('WORKDIR', str(self._command_workdir))}")
        if self._shell:
            shell = self._shell
            lines.append(
                f"SHELL {single_line('SHELL', shell) if isinstance(shell, str) else json.dumps(list(shell))}"
            )
        for instruction, cmd in (("ENTRYPOINT", self._entrypoint), ("CMD", self._command)):
            if cmd is not None:
                lines.append(f"{instruction} {format_command(cmd, self._command_shell, instruction)}")
        ports = format_expose(self._expose) if self._expose is not None else []
        if ports:
            lines.append(f"EXPOSE {' '.join(ports)}")
        if self._labels:
            lines.append(f"LABEL {' '.join(format_labels(self._labels))}")
        if self._stopsignal:
            signal = _checked("STOPSIGNAL", self._stopsignal, "signal")
            lines.append(f"STOPSIGNAL {signal}")
        if self._healthcheck:
            lines.append(f"HEALTHCHECK {single_line('HEALTHCHECK', str(self._healthcheck))}")
        return lines
