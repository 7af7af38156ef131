"""Converters of single Compose values into what the container map and the engine expect.

Each raises ``ValueError`` with a short sentence; the caller adds the file, line and key.
"""

from __future__ import annotations

import math
import re
import shlex
from typing import Any, Dict, List, Optional

from dockermap.map.config.engine_names import container_name_problem

_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]*)?)(ns|us|ms|s|m|h)")
_NANOSECONDS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
_BYTES = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([bkmg]?)b?", re.IGNORECASE)
_BYTE_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
_RESTART = re.compile(r"(no|always|unless-stopped|on-failure)(?::([0-9]+))?")


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"expected a string, found {value!r}")
    return str(value)


def container_name(value: Any) -> str:
    """A container name the engine accepts."""
    name = text(value)
    refused = container_name_problem(name)
    if refused:
        raise ValueError(refused)
    return name


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, found {value!r}")
    return value


def integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, found {value!r}")
    return value


def text_list(value: Any) -> List[str]:
    """A string or a list of strings, as a list."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text(item) for item in value]
    raise ValueError(f"expected a string or a list of strings, found {value!r}")


def command(value: Any) -> Any:
    """A command as a list: a string is split like a shell would (without running one)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return shlex.split(value)
        except ValueError as exc:
            raise ValueError(f"cannot split {value!r}: {exc}") from None
    return text_list(value)


def nanoseconds(value: Any) -> int:
    """A Compose duration (``1m30s``, ``10s``, ``500ms``; a number is seconds) in nanoseconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value * 10**9)
    if isinstance(value, str) and value:
        parts = _DURATION_PART.findall(value)
        if "".join(number + unit for number, unit in parts) == value:
            return int(sum(float(number) * _NANOSECONDS[unit] for number, unit in parts))
    raise ValueError(f"expected a duration such as '10s' or '1m30s', found {value!r}")


def seconds(value: Any) -> int:
    """A duration in whole seconds, rounded up."""
    return math.ceil(nanoseconds(value) / 10**9)


def byte_size(value: Any) -> int:
    """A size (``64m``, ``1gb``, ``512k``, bytes as a number) in bytes."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _BYTES.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"expected a size such as '64m' or '1g', found {value!r}")
    return int(float(match.group(1)) * _BYTE_UNITS[match.group(2).lower()])


def nano_cpus(value: Any) -> int:
    try:
        return int(round(float(value) * 10**9))
    except (TypeError, ValueError):
        raise ValueError(f"expected a number of CPUs such as 0.5, found {value!r}") from None


def restart_policy(value: Any) -> Optional[Dict[str, Any]]:
    match = _RESTART.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"expected no, always, unless-stopped or on-failure[:N], found {value!r}")
    name, retries = match.groups()
    if name == "no":
        return None
    policy: Dict[str, Any] = {"Name": name}
    if retries:
        policy["MaximumRetryCount"] = int(retries)
    return policy


def key_values(value: Any, separator: str = "=", allow_bare: bool = True) -> Dict[str, Optional[str]]:
    """A mapping, or a list of ``KEY=VALUE`` (``KEY`` alone: ``None``) entries, as a dict of strings."""
    if isinstance(value, dict):
        return {str(key): None if item is None else scalar_text(item) for key, item in value.items()}
    if isinstance(value, list):
        result: Dict[str, Optional[str]] = {}
        for entry in value:
            key, sep, item = text(entry).partition(separator)
            if not sep and not allow_bare:
                raise ValueError(f"expected KEY{separator}VALUE, found {entry!r}")
            result[key] = item if sep else None
        return result
    raise ValueError(f"expected a mapping or a list of KEY{separator}VALUE, found {value!r}")


def scalar_text(value: Any) -> str:
    """A YAML scalar as the string Compose passes on (``true`` → ``'true'``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return text(value)


def labels(value: Any) -> Dict[str, str]:
    return {key: item or "" for key, item in key_values(value).items()}


def extra_hosts(value: Any) -> Dict[str, str]:
    """``host:ip``/``host=ip`` entries or a mapping, as host → address."""
    if isinstance(value, dict):
        return {str(host): text_list(address)[0] for host, address in value.items()}
    hosts: Dict[str, str] = {}
    for entry in text_list(value):
        separator = "=" if "=" in entry else ":"
        host, sep, address = entry.partition(separator)
        if not sep:
            raise ValueError(f"expected host:address or host=address, found {entry!r}")
        hosts[host] = address.strip("[]")
    return hosts


def sysctls(value: Any) -> Dict[str, str]:
    return {key: item or "" for key, item in key_values(value, allow_bare=False).items()}


def ulimits(value: Any) -> List[Dict[str, Any]]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of limit names, found {value!r}")
    result = []
    for name, limit in value.items():
        if isinstance(limit, dict) and set(limit) == {"soft", "hard"}:
            soft, hard = integer(limit["soft"]), integer(limit["hard"])
        else:
            soft = hard = integer(limit)
        result.append({"name": str(name), "soft": soft, "hard": hard})
    return result


def tmpfs(value: Any) -> Dict[str, str]:
    """``/path`` or ``/path:options`` entries as path → options."""
    mounts = {}
    for entry in text_list(value):
        path, _, options = entry.partition(":")
        mounts[path] = options
    return mounts
