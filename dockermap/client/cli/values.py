"""Shared pieces of the command lines: the :data:`Args` type, the
:class:`~dockermap.exceptions.UnsupportedOption` error, and values rendered as ``--flag=value`` arguments."""

from __future__ import annotations

import shlex
import signal
from typing import Any, List, Mapping, Optional

from dockermap.exceptions import UnsupportedOption as UnsupportedOption

#: Keyword argument → command-line flag, where the flag is not the keyword with dashes for underscores.
KWARG_MAP = {
    "timeout": "time",
    "extra_hosts": "add-host",
    "nocache": "no-cache",
    "volumes": "volume",
    "options": "opt",
    "ipv4_address": "ip",
    "ipv6_address": "ip6",
    "links": "link",
    "aliases": "alias",
    "mem_limit": "memory",
    "mem_reservation": "memory-reservation",
    "memswap_limit": "memory-swap",
    "labels": "label",
    "driver_opts": "opt",
    "environment": "env",
    "link_local_ips": "link-local-ip",
    "enable_ipv6": "ipv6",
}

#: A command or part of one, as its list of words.
Args = List[str]


def flag_name(keyword: str) -> str:
    """The command-line flag of a keyword argument: :data:`KWARG_MAP`, else underscores become dashes."""
    return KWARG_MAP.get(keyword, keyword.replace("_", "-"))


def text(value: Any) -> str:
    """A value as command-line text (signals by name, booleans as ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, signal.Signals):
        return value.name
    return str(value)


def flag_args(flag: str, value: Any) -> Args:
    """``--flag=value`` arguments: a list or tuple repeats the flag, a dict gives ``key=value`` per entry,
    ``True`` gives the bare flag; ``None`` and ``False`` give nothing."""
    if value is None or value is False:
        return []
    if value is True:
        return [f"--{flag}"]
    if isinstance(value, Mapping):
        return [f"--{flag}={key}={'' if item is None else text(item)}" for key, item in value.items()]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [f"--{flag}={text(item)}" for item in value]
    return [f"--{flag}={text(value)}"]


def generic_args(kwargs: Mapping[str, Any], renames: Optional[Mapping[str, str]] = None) -> Args:
    """Flags for keyword arguments in order, named by ``renames``, then :func:`flag_name`."""
    args: Args = []
    for key, value in kwargs.items():
        args.extend(flag_args((renames or {}).get(key) or flag_name(key), value))
    return args


def filter_args(filters: Optional[Mapping[str, Any]]) -> Args:
    """``--filter=key=value`` per filter value (a list gives one per entry, a boolean ``true``/``false``)."""
    args: Args = []
    for key, values in (filters or {}).items():
        for value in values if isinstance(values, (list, tuple, set)) else [values]:
            args.append(f"--filter={key}={text(value)}")
    return args


def words(value: Any) -> Optional[List[str]]:
    """A command as a list of words; a string is split as the SDK does (shell-like)."""
    if value is None:
        return None
    if isinstance(value, str):
        return shlex.split(value)
    return [text(item) for item in value]


def duration(value: Any) -> str:
    """A Docker SDK duration (integer nanoseconds) as a command-line duration, e.g. ``30s``."""
    if isinstance(value, str):
        return value
    nanoseconds = int(value)
    if nanoseconds % 1_000_000_000 == 0:
        return f"{nanoseconds // 1_000_000_000}s"
    return f"{nanoseconds}ns"


def _camel(key: str) -> str:
    return "".join(part.title() for part in key.split("_"))


def lookup(mapping: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """A value by its SDK keyword (``start_period``) or its API key (``StartPeriod``)."""
    if key in mapping:
        return mapping[key]
    return mapping.get(_camel(key), default)
