"""The Docker SDK names dockermap builds on, in one place (Docker SDK for Python 7.x).

Other modules import ``APIClient`` and the request helpers from here, so a change of SDK touches only this
file. ``CLIENT_FEATURES`` lives with the client configuration (``dockermap.map.config.client``, which must not
import docker) and is re-exported here lazily to avoid an import cycle.
"""

from __future__ import annotations

from typing import Any

from docker import APIClient
from docker.types import EndpointConfig, HostConfig, IPAMConfig, IPAMPool, NetworkingConfig

__all__ = [
    "APIClient",
    "HostConfig",
    "NetworkingConfig",
    "EndpointConfig",
    "IPAMPool",
    "IPAMConfig",
    "CLIENT_FEATURES",  # noqa: F822 -- provided lazily by __getattr__ below
    "CLIENT_CONSTRAINTS",
    "INSECURE_REGISTRIES",
]

#: Resource constraints as (keyword argument, key in the daemon's ``info()`` saying whether it is supported).
CLIENT_CONSTRAINTS = (
    ("mem_limit", "MemoryLimit"),
    ("memswap_limit", "SwapLimit"),
    ("kernel_memory", "KernelMemory"),
    ("cpu_period", "CpuCfsPeriod"),
    ("cpu_quota", "CpuCfsQuota"),
    ("cpu_shares", "CPUShares"),
    ("cpuset_cpus", "CPUSet"),
    ("cpuset_mems", "CPUSet"),
    ("oom_kill_disable", "OomKillDisable"),
    ("pids_limit", "PidsLimit"),
)

#: SDK 7 has no ``insecure_registry`` argument for pull/push/login (the daemon's configuration decides).
INSECURE_REGISTRIES = False


def __getattr__(name: str) -> Any:
    if name == "CLIENT_FEATURES":
        from dockermap.map.config.client import CLIENT_FEATURES

        return CLIENT_FEATURES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
