"""Host-config keywords (``create_host_config``) as ``docker create`` and ``docker update`` flags."""

from __future__ import annotations

from typing import Any, Callable, Dict, Mapping

from .specs import device_spec, extra_host_specs, mount_spec, restart_spec, tmpfs_specs, ulimit_spec
from .values import Args, UnsupportedOption, flag_args, lookup


def _log_config_args(config: Mapping[str, Any]) -> Args:
    return flag_args("log-driver", lookup(config, "type")) + flag_args(
        "log-opt", lookup(config, "config") or {}
    )


def _throttle_args(flag: str, key: str) -> Callable[[Any], Args]:
    # device_read_bps & co: [{'Path': ..., 'Rate': ...}] → --flag=path:rate
    return lambda items: [f"--{flag}={lookup(item, 'path')}:{lookup(item, key)}" for item in items or ()]


#: Host-config keywords (``create_host_config``) whose flag takes the value as is
#: (:func:`~dockermap.client.cli.values.flag_args`).
HOST_CONFIG_FLAGS = {
    "publish_all_ports": "publish-all",
    "privileged": "privileged",
    "dns": "dns",
    "dns_search": "dns-search",
    "dns_opt": "dns-option",
    "volumes_from": "volumes-from",
    "cap_add": "cap-add",
    "cap_drop": "cap-drop",
    "read_only": "read-only",
    "pid_mode": "pid",
    "ipc_mode": "ipc",
    "uts_mode": "uts",
    "userns_mode": "userns",
    "cgroupns": "cgroupns",
    "security_opt": "security-opt",
    "mem_limit": "memory",
    "memswap_limit": "memory-swap",
    "mem_reservation": "memory-reservation",
    "kernel_memory": "kernel-memory",
    "mem_swappiness": "memory-swappiness",
    "cgroup_parent": "cgroup-parent",
    "group_add": "group-add",
    "cpu_quota": "cpu-quota",
    "cpu_period": "cpu-period",
    "cpu_shares": "cpu-shares",
    "cpuset_cpus": "cpuset-cpus",
    "cpuset_mems": "cpuset-mems",
    "cpu_rt_period": "cpu-rt-period",
    "cpu_rt_runtime": "cpu-rt-runtime",
    "cpu_count": "cpu-count",
    "cpu_percent": "cpu-percent",
    "blkio_weight": "blkio-weight",
    "oom_kill_disable": "oom-kill-disable",
    "oom_score_adj": "oom-score-adj",
    "shm_size": "shm-size",
    "sysctls": "sysctl",
    "pids_limit": "pids-limit",
    "isolation": "isolation",
    "auto_remove": "rm",
    "storage_opt": "storage-opt",
    "init": "init",
    "volume_driver": "volume-driver",
    "runtime": "runtime",
    "device_cgroup_rules": "device-cgroup-rule",
}
#: Host-config keywords whose values need converting; binds, port bindings, links and the network mode are
#: rendered together with the container configuration (see :func:`~dockermap.client.cli.create.create_args`).
HOST_CONFIG_RENDERERS: Dict[str, Callable[[Any], Args]] = {
    "restart_policy": lambda policy: flag_args("restart", restart_spec(policy) if policy else None),
    "extra_hosts": lambda hosts: flag_args("add-host", extra_host_specs(hosts)),
    "tmpfs": lambda tmpfs: flag_args("tmpfs", tmpfs_specs(tmpfs)),
    "ulimits": lambda ulimits: flag_args("ulimit", [ulimit_spec(u) for u in ulimits or ()]),
    "log_config": lambda config: _log_config_args(config) if config else [],
    "nano_cpus": lambda value: flag_args("cpus", None if value is None else f"{int(value) / 1e9:g}"),
    "devices": lambda devices: flag_args("device", [device_spec(d) for d in devices or ()]),
    "mounts": lambda mounts: flag_args("mount", [mount_spec(m) for m in mounts or ()]),
    "blkio_weight_device": _throttle_args("blkio-weight-device", "weight"),
    "device_read_bps": _throttle_args("device-read-bps", "rate"),
    "device_write_bps": _throttle_args("device-write-bps", "rate"),
    "device_read_iops": _throttle_args("device-read-iops", "rate"),
    "device_write_iops": _throttle_args("device-write-iops", "rate"),
}
#: Host-config keywords handled with the container configuration.
HOST_CONFIG_JOINT = frozenset({"binds", "port_bindings", "links", "network_mode"})
#: Every host-config keyword of the command line.
HOST_CONFIG_KEYWORDS = frozenset(HOST_CONFIG_FLAGS) | frozenset(HOST_CONFIG_RENDERERS) | HOST_CONFIG_JOINT
#: SDK host-config keywords the command line cannot set.
HOST_CONFIG_UNSUPPORTED = frozenset({"lxc_conf", "init_path", "device_requests"})


def host_config_args(host_config: Mapping[str, Any]) -> Args:
    """Flags of the host-config keywords other than binds, port bindings, links and network mode."""
    args: Args = []
    for key, value in host_config.items():
        if key in HOST_CONFIG_JOINT or value is None:
            continue
        if key in HOST_CONFIG_FLAGS:
            args.extend(flag_args(HOST_CONFIG_FLAGS[key], value))
        elif key in HOST_CONFIG_RENDERERS:
            args.extend(HOST_CONFIG_RENDERERS[key](value))
        elif key in HOST_CONFIG_UNSUPPORTED:
            raise UnsupportedOption(f"host config {key!r} cannot be set on the docker command line")
        else:
            raise UnsupportedOption(f"unknown host config keyword {key!r}")
    return args
