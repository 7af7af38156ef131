"""Shell command formatters: ``rm``, ``chown``, ``mkdir``, ``adduser`` and friends as command strings.

The strings are meant for a POSIX shell (``sh``: dash, busybox ``ash``, bash), e.g. a ``RUN`` line of a
Dockerfile, a container's command or a remote ``run``. Every value passed in (path, user, group, mode,
URL, flag value) is quoted exactly once with :func:`shlex.quote`, so it reaches the command as one literal
argument, whatever characters it holds. Only the command words and flag names are written unquoted; flag
names are checked to need no quoting.

Values starting with ``-`` are still read as options by the command itself: quoting stops the shell, not
the program, from interpreting them.
"""

from __future__ import annotations

import shlex
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

from dockermap.exceptions import InvalidArgumentError
from dockermap.map import SimpleEnum

#: A user and group: ``'user:group'``, ``'user'`` / ``1000`` (same name for both) or a ``(user, group)`` pair.
UserGroup = Union[str, int, Tuple[Any, Any], List[Any]]
#: One group name, or several.
GroupNames = Union[str, Iterable[str]]


class CmdArgMappings(SimpleEnum):
    """Distributions whose user-management commands take different flags (see :data:`CMD_ARG_MAPPING`)."""

    DEBIAN = "debian"
    BUSYBOX = "busybox"
    CENTOS = "centos"


#: Logical option → flag of ``adduser`` / ``addgroup`` per distribution; ``None`` means unsupported.
CMD_ARG_MAPPING: Dict[CmdArgMappings, Dict[str, Optional[str]]] = {
    CmdArgMappings.DEBIAN: {
        "no_login": "--disabled-login",
        "no_create_home": "--no-create-home",
        "no_password": "--disabled-password",
        "gecos": "--gecos",
        "system_user": "--system",
    },
    CmdArgMappings.CENTOS: {
        "no_login": "-s /sbin/nologin",
        "no_create_home": "--no-create-home",
        "no_password": None,
        "gecos": "--comment",
        "system_user": "--system",
    },
    CmdArgMappings.BUSYBOX: {
        "no_login": "-s /sbin/nologin",
        "no_create_home": "-H",
        "no_password": "-D",
        "gecos": "-g",
        "system_user": "-S",
    },
}

# The mapped options of ``adduser``, in the order their flags are written.
_USER_OPTIONS = ("no_login", "no_create_home", "no_password", "gecos", "system_user")
_GROUP_OPTIONS = ("system_user",)
# The mapped options that take a value; the others are switches.
_VALUE_OPTIONS = frozenset({"gecos"})


def str_arg(arg: Any) -> str:
    """Quote a value as one literal word for a POSIX shell (``shlex.quote(str(arg))``).

    Plain words and numbers stay bare; anything else is single-quoted (``''`` for an empty string). A NUL
    character cannot be part of a command-line argument, so it is refused with
    :class:`~dockermap.exceptions.InvalidArgumentError` (a ``ValueError``).
    """
    text = str(arg)
    if "\0" in text:
        raise InvalidArgumentError(
            f"Shell argument {text!r} contains a NUL character, which no argument can hold."
        )
    return shlex.quote(text)


def _flag_text(key: str) -> str:
    # Every word of a flag must be safe without quotes: flags are written as they are.
    text = key.replace("_", "-")
    if not all(word and shlex.quote(word) == word for word in text.split(" ")):
        raise InvalidArgumentError(
            f"Invalid option name {key!r}: an option name must not need shell quoting."
        )
    return text


def _gen_kwargs(flags: Mapping[str, Any]) -> List[str]:
    """Render flags in order: ``_x=v`` → ``-x v``, ``True`` → the bare flag, ``None``/``False`` → nothing.

    A tuple value ``(condition, *words)`` writes the words (quoted, without the flag) if ``condition`` is
    truthy.
    """
    words: List[str] = []
    for key, value in flags.items():
        if isinstance(value, tuple):
            if value and value[0]:
                words.extend(str_arg(item) for item in value[1:])
        elif value is True:
            words.append(_flag_text(key))
        elif value is not None and value is not False:
            words.append(f"{_flag_text(key)} {str_arg(value)}")
    return words


def _format_cmd(cmd: str, /, *args: Any, **kwargs: Any) -> str:
    """Join the command word, its flags (see :func:`_gen_kwargs`) and the quoted positional arguments."""
    return " ".join([cmd, *_gen_kwargs(kwargs), *(str_arg(arg) for arg in args)])


#: Strings that turn a switch off (in any case); any other value counts by its truth.
_OFF_TEXTS = frozenset({"", "0", "false", "no", "off"})


def switch(value: Any) -> bool:
    """Whether a switch (``recursive``, ``force``, ``system``, ...) is on: ``1``/``0``, ``True``/``False``,
    ``'true'``/``'false'``, ``'yes'``/``'no'``, ``'on'``/``'off'`` as they say, other values by their
    truth. A switch is written as a bare flag or not at all, never with a value."""
    if isinstance(value, str):
        return value.strip().lower() not in _OFF_TEXTS
    return bool(value)


def _join(commands: List[str], return_list: bool) -> Union[str, List[str]]:
    return commands if return_list else " && ".join(commands)


def _given(value: Any) -> bool:
    # ``0`` (root's uid, mode 0) is a value; only ``None`` and ``''`` mean "not given".
    return value is not None and value != ""


def _group_list(groupnames: GroupNames) -> List[str]:
    # A single string is one group, not a sequence of one-letter groups.
    return [groupnames] if isinstance(groupnames, str) else [str(group) for group in groupnames]


def _map_options(
    options: Dict[str, Any], arg_mapping: CmdArgMappings, names: Sequence[str]
) -> Dict[str, Any]:
    """Replace the logical options ``names`` by the distribution's flags, appended after the other keys."""
    flags = CMD_ARG_MAPPING[arg_mapping]
    for name in names:
        value = options.pop(name, None)
        if name not in _VALUE_OPTIONS:
            value = switch(value)
        if value is None or value is False:
            continue
        flag = flags.get(name)
        if flag is None:
            raise InvalidArgumentError(f"Argument {name} is not supported on {arg_mapping.value}.")
        options[flag] = value
    return options


def get_user_group(user_group: UserGroup) -> str:
    """Return ``'user:group'`` for ``chown``.

    A pair ``(user, group)`` gives ``'user:group'``; an int or a name without ``:`` stands for both user
    and group (``1000`` → ``'1000:1000'``); a string containing ``:`` is returned as it is. The result is a
    plain value, not yet quoted: :func:`chown` quotes it once as a whole.
    """
    if isinstance(user_group, (tuple, list)):
        if len(user_group) != 2:
            raise InvalidArgumentError(f"User and group {user_group!r}: expected a (user, group) pair.")
        user, group = user_group
        return f"{user}:{group}"
    text = str(user_group)
    return text if ":" in text else f"{text}:{text}"


def rm(path: Any, recursive: bool = False, force: bool = False) -> str:
    """``rm [-R] [-f] path``."""
    return _format_cmd("rm", path, _R=switch(recursive), _f=switch(force))


def chown(user_group: UserGroup, path: Any, recursive: bool = True) -> str:
    """``chown [-R] user:group path``, the owner formatted by :func:`get_user_group`."""
    return _format_cmd("chown", get_user_group(user_group), path, _R=switch(recursive))


def chmod(mode: Any, path: Any, recursive: bool = True) -> str:
    """``chmod [-R] mode path``."""
    return _format_cmd("chmod", mode, path, _R=switch(recursive))


def curl(url: str, filename: Optional[str] = None) -> str:
    """``curl [-o filename] url``: download ``url``, to ``filename`` if given (else to standard output)."""
    return _format_cmd("curl", url, _o=filename)


def wget(url: str, filename: Optional[str] = None, *, output_document: Optional[str] = None) -> str:
    """``wget [-o filename] [-O output_document] url``.

    Note that ``filename`` becomes wget's ``-o``, which names the *log file*, not the download (kept as
    in the classic library); pass ``output_document`` (``-O``) to choose where the download is written.
    """
    return _format_cmd("wget", url, _o=filename, _O=output_document)


def tar(filename: Any, source: Any, **kwargs: Any) -> str:
    """``tar -cf filename [flags] source``: pack ``source`` into the archive ``filename``."""
    return _format_cmd("tar", source, _cf=filename, **kwargs)


def untar(filename: Any, target: Any = None, **kwargs: Any) -> str:
    """``tar -xf filename [-C target] [flags]``: unpack ``filename``, into ``target`` if given."""
    return _format_cmd("tar", _xf=filename, _C=target, **kwargs)


def targz(filename: Any, source: Any, **kwargs: Any) -> str:
    """Like :func:`tar`, gzip-compressed (``tar -cf filename -z [flags] source``)."""
    return tar(filename, source, _z=True, **kwargs)


def untargz(filename: Any, target: Any = None, **kwargs: Any) -> str:
    """Like :func:`untar`, for a gzip-compressed archive (``tar -xf filename [-C target] -z [flags]``)."""
    return untar(filename, target, _z=True, **kwargs)


def mkdir(path: Any, create_parent: bool = True, check_if_exists: bool = False) -> str:
    """``mkdir [-p] path``; with ``check_if_exists``, run only when ``path`` is not a directory yet.

    The check uses POSIX ``[ ! -d path ]``, so it also works in dash and busybox ``sh``.
    """
    cmd = _format_cmd("mkdir", path, _p=switch(create_parent))
    if switch(check_if_exists):
        return f"if [ ! -d {str_arg(path)} ]; then {cmd}; fi"
    return cmd


def mkdir_chown(
    paths: Union[Any, Sequence[Any]],
    user_group: Optional[UserGroup] = None,
    permissions: Any = "ug=rwX,o=rX",
    create_parent: bool = True,
    check_if_exists: bool = False,
    recursive: bool = False,
    return_list: bool = False,
) -> Union[str, List[str], List[List[str]]]:
    """Create directories and set their owner and mode.

    Per path: :func:`mkdir`, then :func:`chown` (if ``user_group`` is given) and :func:`chmod` (if
    ``permissions`` is given), both with ``-R`` only when ``recursive``. For one path (not a list or tuple)
    the commands are joined with `` && `` (or returned as a list); for a list or tuple of paths each path's
    commands are joined so and the paths separated by ``'; '`` (or returned as a list of lists).
    """

    def path_commands(path: Any) -> List[str]:
        commands = [mkdir(path, create_parent, check_if_exists)]
        if user_group is not None and _given(user_group):
            commands.append(chown(user_group, path, recursive))
        if _given(permissions):
            commands.append(chmod(permissions, path, recursive))
        return commands

    if isinstance(paths, (list, tuple)):
        per_path = [path_commands(path) for path in paths]
        return per_path if return_list else "; ".join(" && ".join(commands) for commands in per_path)
    return _join(path_commands(paths), return_list)


def addgroup(
    groupname: str,
    gid: Any = None,
    system: bool = False,
    arg_mapping: Union[CmdArgMappings, str] = CmdArgMappings.DEBIAN,
    **kwargs: Any,
) -> str:
    """``addgroup [-g gid] [flags] [<system flag>] groupname``; any truthy ``system`` adds the flag."""
    options: Dict[str, Any] = dict(_g=gid, system_user=switch(system))
    options.update(kwargs)
    return _format_cmd(
        "addgroup", groupname, **_map_options(options, CmdArgMappings(arg_mapping), _GROUP_OPTIONS)
    )


def adduser(
    username: str,
    uid: Any = None,
    system: bool = False,
    no_login: bool = True,
    no_password: bool = False,
    gecos: Optional[str] = None,
    arg_mapping: Union[CmdArgMappings, str] = CmdArgMappings.DEBIAN,
    **kwargs: Any,
) -> str:
    """``adduser [-u uid] [flags] <mapped flags> username`` for the distribution ``arg_mapping``.

    ``no_login`` also skips the home directory and, except on CentOS, the password. Extra ``kwargs`` are
    flags (``_G='a,b'`` → ``-G a,b``) or override the logical options (e.g. ``no_create_home=False``).
    The logical options are written last, as the distribution's flags, in the order ``no_login``,
    ``no_create_home``, ``no_password``, ``gecos``, ``system_user``; an option the distribution lacks
    raises :class:`ValueError`.
    """
    mapping = CmdArgMappings(arg_mapping)
    if mapping is CmdArgMappings.DEBIAN and gecos is None:
        gecos = ""  # Debian's adduser would otherwise ask for it interactively.
    options: Dict[str, Any] = dict(
        system_user=switch(system), no_password=switch(no_password), gecos=gecos, _u=uid
    )
    if switch(no_login):
        options.update(no_create_home=True, no_login=True)
        if mapping is not CmdArgMappings.CENTOS:
            options["no_password"] = True
    options.update(kwargs)
    return _format_cmd("adduser", username, **_map_options(options, mapping, _USER_OPTIONS))


def assignuser(
    username: str,
    groupnames: GroupNames,
    arg_mapping: Union[CmdArgMappings, str] = CmdArgMappings.DEBIAN,
    return_list: bool = False,
    **kwargs: Any,
) -> Union[str, List[str]]:
    """Add an existing user to groups.

    Busybox: one ``adduser username group`` per group; other distributions: ``usermod -aG g1,g2
    username``. Joined with `` && `` unless ``return_list``. No groups, no commands.
    """
    groups = _group_list(groupnames)
    if not groups:
        commands = []
    elif CmdArgMappings(arg_mapping) is CmdArgMappings.BUSYBOX:
        commands = [_format_cmd("adduser", username, group, **kwargs) for group in groups]
    else:
        commands = [_format_cmd("usermod", username, _aG=",".join(groups), **kwargs)]
    return _join(commands, return_list)


def addgroupuser(
    username: str,
    groupnames: GroupNames,
    uid: Any = None,
    system: bool = False,
    no_login: bool = True,
    no_password: bool = False,
    gecos: Optional[str] = None,
    arg_mapping: Union[CmdArgMappings, str] = CmdArgMappings.DEBIAN,
    return_list: bool = False,
    **kwargs: Any,
) -> Union[str, List[str]]:
    """Create a user that belongs to ``groupnames``.

    Busybox: :func:`adduser`, then :func:`assignuser` for the groups; other distributions: a single
    ``adduser ... -G g1,g2 ... username``. Joined with `` && `` unless ``return_list``. ``kwargs`` go to
    :func:`adduser`.
    """
    mapping = CmdArgMappings(arg_mapping)
    groups = _group_list(groupnames)
    user_args = (username, uid, system, no_login, no_password, gecos, mapping)
    if mapping is CmdArgMappings.BUSYBOX:
        commands = [adduser(*user_args, **kwargs), *assignuser(username, groups, mapping, return_list=True)]
    else:
        commands = [adduser(*user_args, _G=",".join(groups) or None, **kwargs)]
    return _join(commands, return_list)
