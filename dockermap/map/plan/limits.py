"""Values ``update_container`` changes in place: resource limits and the restart policy.

Both sides are compared in the keyword form of ``update_container`` (``mem_limit`` as a number of
bytes, ``restart_policy`` as ``{'Name': ..., 'MaximumRetryCount': ...}``). The current values come from
``inspect_container`` (:func:`current_from_detail`) or, when the container was not inspected, from the
values dockermap created it with (its updatable label).
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from dockermap.records import field, record

#: ``HostConfig`` key in ``inspect_container`` output -> ``update_container`` keyword.
LIMITS = (
    ("BlkioWeight", "blkio_weight"),
    ("CpuPeriod", "cpu_period"),
    ("CpuQuota", "cpu_quota"),
    ("CpuShares", "cpu_shares"),
    ("CpusetCpus", "cpuset_cpus"),
    ("CpusetMems", "cpuset_mems"),
    ("Memory", "mem_limit"),
    ("MemoryReservation", "mem_reservation"),
    ("MemorySwap", "memswap_limit"),
    ("KernelMemory", "kernel_memory"),
)
_NO_RESTART = ("", "no")


@record
class UpdatableDiff:
    """How the in-place updatable values of a container differ from the configuration."""

    #: Keywords for ``update_container`` that bring the container in line.
    changes: Dict[str, Any] = field(default_factory=dict)
    #: Readable ``'mem_limit 67108864 -> 134217728'`` per change.
    described: List[str] = field(default_factory=list)
    #: Limits set on the container but no longer configured: the engine cannot unset them in place.
    removed: List[str] = field(default_factory=list)


def _set(value: Any) -> Any:
    """``None`` for unset values (the engine reports unset limits as 0 or an empty string)."""
    return None if value in (None, 0, "") else value


def _restart_policy(value: Any) -> Optional[Dict[str, Any]]:
    if not value:
        return None
    name = value.get("Name", value.get("name")) or ""
    if name in _NO_RESTART:
        return None
    return {
        "Name": name,
        "MaximumRetryCount": int(value.get("MaximumRetryCount", value.get("maximum_retry_count")) or 0),
    }


def current_from_detail(host_config: Mapping[str, Any]) -> Dict[str, Any]:
    """The updatable values set on a container, from the ``HostConfig`` of ``inspect_container``."""
    current = {kwarg: _set(host_config.get(key)) for key, kwarg in LIMITS}
    if current["memswap_limit"] == -1:  # unlimited swap, or the kernel cannot limit it
        current["memswap_limit"] = None
    current["restart_policy"] = _restart_policy(host_config.get("RestartPolicy"))
    return {key: value for key, value in current.items() if value is not None}


def _same_policy(want: Optional[Dict[str, Any]], have: Optional[Dict[str, Any]]) -> bool:
    if want is None or have is None:
        return want is have
    if want["Name"] != have["Name"]:
        return False
    return want["Name"] != "on-failure" or bool(want["MaximumRetryCount"] == have["MaximumRetryCount"])


def _policy_text(policy: Optional[Dict[str, Any]]) -> str:
    if policy is None:
        return "no"
    if policy["Name"] == "on-failure":
        return f"on-failure:{policy['MaximumRetryCount']}"
    return str(policy["Name"])


def diff_updatable(desired: Mapping[str, Any], current: Mapping[str, Any]) -> UpdatableDiff:
    """Compare configured with current updatable values.

    Without an explicit ``memswap_limit``, a configured ``mem_limit`` implies twice its value (as the
    engine sets it), compared only where the engine reports a swap limit at all.
    """
    want = {kwarg: _set(desired.get(kwarg)) for _, kwarg in LIMITS}
    implicit_swap = want["memswap_limit"] is None and want["mem_limit"] is not None
    if implicit_swap:
        want["memswap_limit"] = 2 * int(want["mem_limit"])
    diff = UpdatableDiff()
    for _, kwarg in LIMITS:
        have = _set(current.get(kwarg))
        if want[kwarg] == have or (kwarg == "memswap_limit" and implicit_swap and have is None):
            continue
        if want[kwarg] is None:
            diff.removed.append(f"{kwarg} {have}")
        else:
            diff.changes[kwarg] = want[kwarg]
            diff.described.append(f"{kwarg} {'unset' if have is None else have} -> {want[kwarg]}")
    want_policy = _restart_policy(desired.get("restart_policy"))
    have_policy = _restart_policy(current.get("restart_policy"))
    if not _same_policy(want_policy, have_policy):
        diff.changes["restart_policy"] = want_policy or {"Name": "no", "MaximumRetryCount": 0}
        diff.described.append(f"restart_policy {_policy_text(have_policy)} -> {_policy_text(want_policy)}")
    return diff
