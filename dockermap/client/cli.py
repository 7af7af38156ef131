"""Docker command lines equivalent to Docker SDK calls, and parsers of the ``docker`` command-line output.

:class:`DockerCommandLineOutput` turns the name of a ``docker.APIClient`` method and its arguments into the
``docker`` command that does the same, e.g. ``get_cmd('stop', 'web', timeout=3)`` gives
``docker stop --time=3 web``. Every value is one word of its own, passed as ``--flag=value`` and quoted with
:func:`shlex.quote` in :meth:`~DockerCommandLineOutput.get_cmd`, so nothing taken from a configuration reaches
a shell unquoted; :meth:`~DockerCommandLineOutput.get_args` gives the same command as an argument list, to
run without any shell.

The ``parse_*`` functions read the output of those commands back into the shapes the Docker SDK returns.
"""

from __future__ import annotations

import csv
import functools
import inspect
import io
import json
import re
import shlex
import signal
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import docker
from docker import APIClient

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
#: Repository and tag column of an untagged image in ``docker images``.
NONE_TAG = "<none>"
#: Output format of ``docker ps`` read by :func:`parse_containers_output`.
CONTAINER_FORMAT = "{{.ID}}||{{.Image}}||{{.CreatedAt}}||{{.Status}}||{{.Names}}||{{.Command}}||{{.Ports}}"
CONTAINER_FORMAT_ARG = f"--format={CONTAINER_FORMAT}"
#: Output format of ``docker version`` and ``docker info``: the complete data as JSON.
JSON_FORMAT_ARG = "--format={{json .}}"

Args = List[str]


class UnsupportedOption(ValueError):
    """An argument of an SDK call that has no ``docker`` command-line equivalent."""


# --------------------------------------------------------------------------------------------------
# Rendering values as flags


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


def _get(mapping: Mapping[str, Any], key: str, default: Any = None) -> Any:
    """A value by its SDK keyword (``start_period``) or its API key (``StartPeriod``)."""
    if key in mapping:
        return mapping[key]
    return mapping.get(_camel(key), default)


# --------------------------------------------------------------------------------------------------
# Container and host configuration


def link_specs(links: Any) -> List[str]:
    """``name:alias`` per link: a dict name → alias, ``(name, alias)`` pairs, or ``name[:alias]`` strings."""
    if not links:
        return []
    items = links.items() if isinstance(links, Mapping) else links
    specs = []
    for link in items:
        if isinstance(link, str):
            specs.append(link)
        else:
            name, alias = link
            specs.append(f"{name}:{alias}" if alias else str(name))
    return specs


def bind_specs(binds: Any) -> List[str]:
    """``source:target[:mode]`` per bind: strings, or the SDK's dict source → ``{'bind', 'mode'}``/target."""
    if not binds:
        return []
    if isinstance(binds, Mapping):
        specs = []
        for source, target in binds.items():
            if isinstance(target, Mapping):
                mode = target.get("mode") or ("ro" if target.get("ro") else "rw")
                specs.append(f"{source}:{target['bind']}:{mode}")
            else:
                specs.append(f"{source}:{target}:rw")
        return specs
    return [str(bind) for bind in binds]


def _bind_target(spec: str) -> str:
    parts = spec.split(":")
    return parts[1] if len(parts) > 1 else parts[0]


def _port_key(port: Any) -> str:
    if isinstance(port, tuple):
        number, protocol = port
        return f"{number}/{protocol}"
    return str(port)


def publish_specs(port_bindings: Any) -> List[str]:
    """``[ip:][host port:]port[/protocol]`` per binding of the SDK's ``port_bindings``.

    A binding is a host port, ``(ip, host port)``, ``(ip,)`` (any free port on that address), ``None`` (any
    free port) or a list of these.
    """
    specs = []
    for port, bindings in (port_bindings or {}).items():
        key = _port_key(port)
        for binding in bindings if isinstance(bindings, list) else [bindings]:
            if binding is None:
                specs.append(key)
                continue
            if isinstance(binding, tuple):
                address = str(binding[0])
                host_port = "" if len(binding) < 2 or binding[1] is None else str(binding[1])
            else:
                address, host_port = "", str(binding)
            if ":" in address:
                address = f"[{address}]"
            specs.append(f"{address}:{host_port}:{key}" if address else f"{host_port}:{key}")
    return specs


def expose_specs(ports: Any) -> List[str]:
    """``port[/protocol]`` per entry of the SDK's ``ports`` (a number, ``'53/udp'``, ``(port, protocol)``)."""
    return [_port_key(port) for port in ports or ()]


def restart_spec(policy: Mapping[str, Any]) -> str:
    """``--restart`` value of a restart policy ``{'Name', 'MaximumRetryCount'}``."""
    name = _get(policy, "name") or "no"
    count = _get(policy, "maximum_retry_count")
    return f"{name}:{count}" if name == "on-failure" and count else name


def ulimit_spec(ulimit: Mapping[str, Any]) -> str:
    """``name=soft[:hard]`` of an SDK ulimit (``{'name', 'soft', 'hard'}`` or the ``Ulimit`` type)."""
    name, soft, hard = _get(ulimit, "name"), _get(ulimit, "soft"), _get(ulimit, "hard")
    return f"{name}={soft}:{hard}" if hard is not None else f"{name}={soft}"


def tmpfs_specs(tmpfs: Any) -> List[str]:
    """``path[:options]`` per tmpfs mount (dict path → options, or strings)."""
    if isinstance(tmpfs, Mapping):
        return [f"{path}:{options}" if options else str(path) for path, options in tmpfs.items()]
    return [str(item) for item in tmpfs or ()]


def extra_host_specs(hosts: Any) -> List[str]:
    """``host:ip`` per extra host (dict host → ip, or strings)."""
    if isinstance(hosts, Mapping):
        return [f"{host}:{address}" for host, address in hosts.items()]
    return [str(item) for item in hosts or ()]


def device_spec(device: Any) -> str:
    """``host path[:container path[:permissions]]`` of a device (string or the API's dict)."""
    if isinstance(device, str):
        return device
    parts = [
        _get(device, "path_on_host"),
        _get(device, "path_in_container"),
        _get(device, "cgroup_permissions"),
    ]
    return ":".join(str(part) for part in parts if part)


def _csv(fields: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(list(fields))
    return out.getvalue()


def mount_spec(mount: Mapping[str, Any]) -> str:
    """``--mount`` value (comma-separated ``key=value``) of an SDK ``Mount``."""
    fields = [f"type={_get(mount, 'type') or 'volume'}"]
    if _get(mount, "source"):
        fields.append(f"source={_get(mount, 'source')}")
    fields.append(f"target={_get(mount, 'target')}")
    if _get(mount, "read_only"):
        fields.append("readonly")
    if _get(mount, "consistency"):
        fields.append(f"consistency={_get(mount, 'consistency')}")
    propagation = (_get(mount, "bind_options") or {}).get("Propagation")
    if propagation:
        fields.append(f"bind-propagation={propagation}")
    volume_options = _get(mount, "volume_options") or {}
    if volume_options.get("NoCopy"):
        fields.append("volume-nocopy")
    for key, value in (volume_options.get("Labels") or {}).items():
        fields.append(f"volume-label={key}={value}")
    driver = volume_options.get("DriverConfig") or {}
    if driver.get("Name"):
        fields.append(f"volume-driver={driver['Name']}")
    for key, value in (driver.get("Options") or {}).items():
        fields.append(f"volume-opt={key}={value}")
    tmpfs_options = _get(mount, "tmpfs_options") or {}
    if tmpfs_options.get("SizeBytes"):
        fields.append(f"tmpfs-size={tmpfs_options['SizeBytes']}")
    if tmpfs_options.get("Mode"):
        fields.append(f"tmpfs-mode={tmpfs_options['Mode']:o}")
    return _csv(fields)


def _log_config_args(config: Mapping[str, Any]) -> Args:
    return flag_args("log-driver", _get(config, "type")) + flag_args("log-opt", _get(config, "config") or {})


def _throttle_args(flag: str, key: str) -> Callable[[Any], Args]:
    # device_read_bps & co: [{'Path': ..., 'Rate': ...}] → --flag=path:rate
    return lambda items: [f"--{flag}={_get(item, 'path')}:{_get(item, key)}" for item in items or ()]


#: Host-config keywords (``create_host_config``) whose flag takes the value as is (:func:`flag_args`).
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
#: rendered together with the container configuration (see :func:`create_args`).
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


#: ``create_container`` keywords (container configuration) whose flag takes the value as is.
CREATE_FLAGS = {
    "hostname": "hostname",
    "domainname": "domainname",
    "user": "user",
    "working_dir": "workdir",
    "mac_address": "mac-address",
    "stop_signal": "stop-signal",
    "stop_timeout": "stop-timeout",
    "runtime": "runtime",
    "platform": "platform",
    "tty": "tty",
    "stdin_open": "interactive",
    "labels": "label",
    "environment": "env",
}
#: ``create_container`` keywords without meaning on the command line (``docker create`` is detached and
#: uses the proxy settings of the docker client configuration by itself).
CREATE_IGNORED = frozenset({"detach", "use_config_proxy"})


def healthcheck_args(check: Mapping[str, Any]) -> Args:
    """``--health-*`` flags (``--no-healthcheck`` for ``['NONE']``) of an SDK health check.

    The command line only has the shell form: a ``['CMD', ...]`` test runs as the equivalent shell command.
    """
    test = _get(check, "test")
    if isinstance(test, str):
        test = ["CMD-SHELL", test]
    args: Args = []
    if test:
        kind, rest = test[0], [text(part) for part in test[1:]]
        if kind == "NONE":
            return ["--no-healthcheck"]
        if kind == "CMD-SHELL":
            args.append(f"--health-cmd={' '.join(rest)}")
        elif kind == "CMD":
            args.append(f"--health-cmd={shlex.join(rest)}")
        else:
            raise UnsupportedOption(f"health check test must start with CMD, CMD-SHELL or NONE, not {kind!r}")
    for key in ("interval", "timeout", "start_period", "start_interval"):
        value = _get(check, key)
        if value:
            args.append(f"--health-{key.replace('_', '-')}={duration(value)}")
    if _get(check, "retries"):
        args.append(f"--health-retries={_get(check, 'retries')}")
    return args


def _network_args(kwargs: Dict[str, Any], host_config: Mapping[str, Any]) -> Args:
    """``--network`` with the endpoint settings of the one network ``docker create`` can join, and links."""
    endpoints = dict((kwargs.pop("networking_config", None) or {}).get("EndpointsConfig") or {})
    disabled = kwargs.pop("network_disabled", None)
    mode = host_config.get("network_mode")
    links = link_specs(host_config.get("links"))
    args: Args = []
    if len(endpoints) > 1:
        raise UnsupportedOption(
            f"docker create joins one network, not {len(endpoints)} ({', '.join(endpoints)}); "
            "connect the others with connect_container_to_network"
        )
    if disabled:
        args.append("--network=none")
    elif endpoints:
        ((network, endpoint),) = endpoints.items()
        endpoint = endpoint or {}
        if mode and mode != network:
            raise UnsupportedOption(f"network mode {mode!r} differs from the endpoint network {network!r}")
        if endpoint.get("DriverOpts"):
            raise UnsupportedOption(
                "docker create cannot set endpoint driver options; connect the network later"
            )
        ipam = endpoint.get("IPAMConfig") or {}
        args.append(f"--network={network}")
        args.extend(flag_args("network-alias", list(endpoint.get("Aliases") or ())))
        links += [link for link in link_specs(endpoint.get("Links")) if link not in links]
        args.extend(flag_args("ip", ipam.get("IPv4Address") or None))
        args.extend(flag_args("ip6", ipam.get("IPv6Address") or None))
        args.extend(flag_args("link-local-ip", list(ipam.get("LinkLocalIPs") or ())))
        if endpoint.get("MacAddress") and not kwargs.get("mac_address"):
            kwargs["mac_address"] = endpoint["MacAddress"]
    elif mode:
        args.append(f"--network={mode}")
    return args + flag_args("link", links)


def _host_config_of(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    host_config = dict(kwargs.pop("host_config", None) or {})
    if any(key[:1].isupper() for key in host_config):
        raise UnsupportedOption(
            "host_config must hold create_host_config keywords (e.g. 'binds'), not the API form (e.g. "
            "'Binds'); use create_host_config of the command-line client"
        )
    # Host-config keywords given directly to create_container (the classic merged form).
    for key in list(kwargs):
        if key in HOST_CONFIG_KEYWORDS or key in HOST_CONFIG_UNSUPPORTED:
            host_config[key] = kwargs.pop(key)
    return host_config


def create_args(kwargs: Dict[str, Any]) -> Args:
    """Arguments of ``docker create`` for ``create_container`` keywords (host config included)."""
    if not kwargs.get("image"):
        raise TypeError("create_container() needs an image")
    host_config = _host_config_of(kwargs)
    image = kwargs.pop("image")
    command = words(kwargs.pop("command", None))
    entrypoint = words(kwargs.pop("entrypoint", None))
    args = flag_args("name", kwargs.pop("name", None))
    args += _network_args(kwargs, host_config)
    binds = bind_specs(host_config.get("binds"))
    targets = {_bind_target(spec) for spec in binds}
    targets.update(str(_get(mount, "target")) for mount in host_config.get("mounts") or ())
    targets.update(spec.split(":")[0] for spec in tmpfs_specs(host_config.get("tmpfs")))
    volumes = kwargs.pop("volumes", None) or ()
    volumes = [volumes] if isinstance(volumes, str) else list(volumes)
    args += flag_args("volume", binds + [path for path in volumes if path not in targets])
    args += flag_args("expose", expose_specs(kwargs.pop("ports", None)))
    args += flag_args("publish", publish_specs(host_config.get("port_bindings")))
    healthcheck = kwargs.pop("healthcheck", None)
    if healthcheck:
        args += healthcheck_args(healthcheck)
    if entrypoint is not None:
        args.append(f"--entrypoint={entrypoint[0] if entrypoint else ''}")
        command = entrypoint[1:] + (command or []) if entrypoint else command
    for key in list(kwargs):
        value = kwargs.pop(key)
        if key in CREATE_FLAGS:
            args += flag_args(CREATE_FLAGS[key], value)
        elif key not in CREATE_IGNORED:
            args += flag_args(flag_name(key), value)
    args += host_config_args(host_config)
    return args + [str(image)] + (command or [])


# --------------------------------------------------------------------------------------------------
# Commands per SDK method


@functools.lru_cache(maxsize=None)  # noqa: UP033 -- Python 3.9 has no cache
def _parameters(method: str) -> Tuple[str, ...]:
    func = getattr(APIClient, method, None)
    if func is None:
        return ()
    params = list(inspect.signature(func).parameters.values())[1:]
    return tuple(p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD)


def bind_arguments(method: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    """The arguments of an SDK call by parameter name (positional ones named as ``APIClient`` does)."""
    names = _parameters(method)
    if len(args) > len(names):
        raise TypeError(f"{method}() takes at most {len(names)} positional arguments, {len(args)} given")
    bound = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in bound:
            raise TypeError(f"{method}() got multiple values for argument {key!r}")
        bound[key] = value
    return bound


def positional_args(values: Iterable[Any]) -> Args:
    """Positional arguments; a list or tuple gives one per entry (e.g. several containers to inspect)."""
    args: Args = []
    for value in values:
        if isinstance(value, (list, tuple)):
            args.extend(text(item) for item in value)
        else:
            args.append(text(value))
    return args


class _Simple:
    """A command: sub-command words, the arguments that are positional, flag renames, ignored keywords."""

    def __init__(
        self,
        command: str,
        positional: Sequence[str] = ("container",),
        renames: Optional[Mapping[str, str]] = None,
        ignored: Iterable[str] = (),
    ) -> None:
        self.words = command.split()
        self.positional = tuple(positional)
        self.renames = dict(renames or {})
        self.ignored = frozenset(ignored)

    def __call__(self, kwargs: Dict[str, Any]) -> Args:
        values = [kwargs.pop(name) for name in self.positional if kwargs.get(name) is not None]
        flags = {key: value for key, value in kwargs.items() if key not in self.ignored}
        return self.words + generic_args(flags, self.renames) + positional_args(values)


def _volumes(kwargs: Dict[str, Any]) -> Args:
    filters = filter_args(kwargs.pop("filters", None))
    return ["volume", "ls"] + generic_args(kwargs) + filters


def _containers(kwargs: Dict[str, Any]) -> Args:
    kwargs.pop("trunc", None)
    limit = kwargs.pop("limit", -1)
    filters = filter_args(kwargs.pop("filters", None))
    output_format = kwargs.pop("format", None)
    if output_format is None and not kwargs.get("quiet"):
        output_format = CONTAINER_FORMAT
    args = (
        ["ps", "--no-trunc"]
        + generic_args(kwargs)
        + flag_args("last", limit if limit and limit > 0 else None)
    )
    return args + filters + flag_args("format", output_format)


def _images(kwargs: Dict[str, Any]) -> Args:
    name = kwargs.pop("name", None)
    filters = filter_args(kwargs.pop("filters", None))
    return ["images", "--no-trunc"] + generic_args(kwargs) + filters + ([str(name)] if name else [])


def _networks(kwargs: Dict[str, Any]) -> Args:
    filters = dict(kwargs.pop("filters", None) or {})
    for key, name in (("names", "name"), ("ids", "id")):
        if kwargs.get(key):
            filters[name] = list(kwargs.pop(key))
        kwargs.pop(key, None)
    kwargs.pop("greedy", None)
    return ["network", "ls", "--no-trunc"] + generic_args(kwargs) + filter_args(filters)


def _top(kwargs: Dict[str, Any]) -> Args:
    ps_args = kwargs.pop("ps_args", None)
    return ["top", str(kwargs.pop("container"))] + (ps_args.split() if ps_args else [])


def _logs(kwargs: Dict[str, Any]) -> Args:
    for key in ("stdout", "stderr", "stream"):
        kwargs.pop(key, None)  # the client picks the output streams
    if kwargs.get("tail") == "all":
        del kwargs["tail"]
    for key in ("since", "until"):
        if isinstance(kwargs.get(key), datetime):
            kwargs[key] = int(kwargs[key].timestamp())
    return _Simple("logs")(kwargs)


def _wait(kwargs: Dict[str, Any]) -> Args:
    condition = kwargs.pop("condition", None)
    if condition not in (None, "not-running"):
        raise UnsupportedOption(f"docker wait has no condition {condition!r}")
    kwargs.pop("timeout", None)  # a prefix, see wait_prefix
    return _Simple("wait")(kwargs)


def _exec(kwargs: Dict[str, Any]) -> Args:
    detach = kwargs.pop("detach", False)
    container, command = kwargs.pop("container"), words(kwargs.pop("cmd"))
    for key in ("stdout", "stderr"):
        kwargs.pop(key, None)
    if not kwargs.get("user"):
        kwargs.pop("user", None)
    renames = {"stdin": "interactive"}
    return ["exec"] + flag_args("detach", detach) + generic_args(kwargs, renames) + [str(container)] + command


def _update(kwargs: Dict[str, Any]) -> Args:
    container = kwargs.pop("container")
    return ["update"] + host_config_args(kwargs) + [str(container)]


def _reference(repository: Any, tag: Any) -> str:
    if not tag:
        return str(repository)
    return f"{repository}@{tag}" if ":" in str(tag) else f"{repository}:{tag}"


def _transfer(command: str) -> Callable[[Dict[str, Any]], Args]:
    """``docker pull`` or ``docker push`` of ``repository[:tag]`` (credentials come from ``login``)."""

    def build(kwargs: Dict[str, Any]) -> Args:
        if kwargs.pop("auth_config", None):
            raise UnsupportedOption(
                f"docker {command} takes registry credentials from login, not auth_config"
            )
        for key in ("stream", "decode"):
            kwargs.pop(key, None)
        reference = _reference(kwargs.pop("repository"), kwargs.pop("tag", None))
        return [command] + generic_args(kwargs) + [reference]

    return build


def _tag(kwargs: Dict[str, Any]) -> Args:
    kwargs.pop("force", None)  # moving a tag needs no force since API 1.24
    image, target = kwargs.pop("image"), _reference(kwargs.pop("repository"), kwargs.pop("tag", None))
    return ["tag"] + generic_args(kwargs) + [str(image), target]


def _login(kwargs: Dict[str, Any]) -> Args:
    """``docker login --username=... --password-stdin [registry]``: the password is read from the input."""
    for key in ("password", "email", "reauth", "dockercfg_path"):
        kwargs.pop(key, None)
    registry = kwargs.pop("registry", None)
    args = ["login"] + generic_args(kwargs) + ["--password-stdin"]
    return args + ([str(registry)] if registry else [])


def _create_network(kwargs: Dict[str, Any]) -> Args:
    ipam = kwargs.pop("ipam", None) or {}
    kwargs.pop("check_duplicate", None)
    name = kwargs.pop("name")
    args = ["network", "create"] + generic_args(kwargs)
    args += flag_args("ipam-driver", _get(ipam, "driver"))
    for pool in _get(ipam, "config") or ():
        args += flag_args("subnet", _get(pool, "subnet"))
        args += flag_args("ip-range", _get(pool, "ip_range") or pool.get("IPRange"))
        args += flag_args("gateway", _get(pool, "gateway"))
        args += flag_args("aux-address", _get(pool, "aux_addresses") or pool.get("AuxiliaryAddresses") or {})
    args += flag_args("ipam-opt", _get(ipam, "options") or {})
    return args + [str(name)]


def _connect(kwargs: Dict[str, Any]) -> Args:
    kwargs["links"] = link_specs(kwargs.get("links")) or None
    return _Simple("network connect", ("net_id", "container"))(kwargs)


def _formatted(command: str) -> Callable[[Dict[str, Any]], Args]:
    return lambda kwargs: command.split() + [JSON_FORMAT_ARG]


#: How each SDK method becomes a command; other names are used verbatim as the docker sub-command.
COMMANDS: Dict[str, Callable[[Dict[str, Any]], Args]] = {
    # As through the API, a missing image is an error, not pulled (docker 20.10 and newer).
    "create_container": lambda kwargs: ["create", "--pull=never"] + create_args(kwargs),
    "start": _Simple("start"),
    "stop": _Simple("stop"),
    "restart": _Simple("restart"),
    "kill": _Simple("kill"),
    "pause": _Simple("pause"),
    "unpause": _Simple("unpause"),
    "rename": _Simple("rename", ("container", "name")),
    "wait": _wait,
    "remove_container": _Simple("rm", renames={"v": "volumes"}),
    "update_container": _update,
    "inspect_container": _Simple("inspect --type=container"),
    "containers": _containers,
    "top": _top,
    "logs": _logs,
    "exec_create": _exec,
    "images": _images,
    "inspect_image": _Simple("image inspect", ("image",)),
    "remove_image": _Simple("rmi", ("image",), {"noprune": "no-prune"}),
    "tag": _tag,
    "pull": _transfer("pull"),
    "push": _transfer("push"),
    "login": _login,
    "volumes": _volumes,
    "create_volume": _Simple("volume create", ("name",)),
    "inspect_volume": _Simple("volume inspect", ("name",)),
    "remove_volume": _Simple("volume rm", ("name",)),
    "networks": _networks,
    "create_network": _create_network,
    "inspect_network": _Simple("network inspect", ("net_id",), ignored=("scope",)),
    "remove_network": _Simple("network rm", ("net_id",)),
    "connect_container_to_network": _connect,
    "disconnect_container_from_network": _Simple("network disconnect", ("net_id", "container")),
    "version": _formatted("version"),
    "info": _formatted("info"),
}
#: SDK methods without a command of their own (``docker exec`` both creates and starts).
NO_COMMAND = frozenset({"exec_start"})


def wait_prefix(method: str, kwargs: Mapping[str, Any]) -> Args:
    """``timeout -s INT <seconds>`` before a ``wait`` with a timeout: ``timeout`` exits with 124 then."""
    if method == "wait" and kwargs.get("timeout"):
        return ["timeout", "-s", "INT", text(kwargs["timeout"])]
    return []


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
        bound = bind_arguments(c_cmd, args, kwargs)
        prefix = wait_prefix(c_cmd, bound)
        builder = COMMANDS.get(c_cmd)
        if builder is None:
            positional = [bound.pop(name) for name in _parameters(c_cmd)[: len(args)]]
            if "container" in bound:
                positional.append(bound.pop("container"))
            command = [c_cmd] + generic_args(bound) + positional_args(positional)
        else:
            command = builder(bound)
        return prefix + self.base_args + command

    def get_cmd(self, c_cmd: str, *args: Any, **kwargs: Any) -> Optional[str]:
        """The command for SDK method ``c_cmd`` as a POSIX shell command line, every word quoted."""
        arguments = self.get_args(c_cmd, *args, **kwargs)
        return None if arguments is None else shlex.join(arguments)


# --------------------------------------------------------------------------------------------------
# Parsers


def _lines(out: str) -> List[str]:
    return [line for line in out.splitlines() if line.strip()]


_PS_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.\d+)? ([+-]\d{4})")


def parse_ps_time(value: str) -> int:
    """Epoch seconds of a ``docker ps`` time such as ``2024-05-07 21:09:36 +0200 CEST`` (0 if unreadable)."""
    match = _PS_TIME.match(value.strip())
    if not match:
        return 0
    return int(datetime.strptime(" ".join(match.groups()), "%Y-%m-%d %H:%M:%S %z").timestamp())


_ISO_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)?$")


def parse_iso_time(value: str) -> int:
    """Epoch seconds of an engine timestamp such as ``2024-05-07T21:09:36.123456789Z`` (0 if unreadable)."""
    match = _ISO_TIME.match((value or "").strip())
    if not match:
        return 0
    moment = datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S")
    zone = match.group(2)
    if zone and zone != "Z":
        moment = datetime.strptime(match.group(1) + zone.replace(":", ""), "%Y-%m-%dT%H:%M:%S%z")
        return int(moment.timestamp())
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def _port_range(value: str) -> List[int]:
    first, _, last = value.partition("-")
    return list(range(int(first), int(last or first) + 1))


def parse_ports(value: str) -> List[Dict[str, Any]]:
    """The ``Ports`` of a container list entry from ``docker ps`` text such as
    ``0.0.0.0:8080->80/tcp, 443/tcp`` (ranges give one entry per port)."""
    ports: List[Dict[str, Any]] = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        public, arrow, private = item.rpartition("->")
        private_port, _, protocol = private.partition("/")
        if not arrow:
            ports.extend({"PrivatePort": port, "Type": protocol} for port in _port_range(private_port))
            continue
        address, _, public_port = public.rpartition(":")
        address = address.strip("[]")
        for port, published in zip(_port_range(private_port), _port_range(public_port)):
            ports.append({"IP": address, "PrivatePort": port, "PublicPort": published, "Type": protocol})
    return ports


def parse_containers_output(out: str) -> List[Dict[str, Any]]:
    """Container list entries from ``docker ps`` with :data:`CONTAINER_FORMAT`."""
    containers = []
    for line in _lines(out):
        fields = line.split("||", 6)
        if len(fields) < 7:
            raise ValueError(f"unexpected docker ps output line: {line!r}")
        container_id, image, created, status, names, command, ports = fields
        containers.append(
            {
                "Id": container_id,
                "Image": image,
                "Created": parse_ps_time(created),
                "Status": status,
                "Names": [f"/{name}" for name in names.split(",") if name],
                "Command": command.strip('"'),
                "Ports": parse_ports(ports),
            }
        )
    return containers


def _table_rows(out: str) -> List[List[str]]:
    return [line.split() for line in _lines(out)[1:]]


def parse_networks_output(out: str) -> List[Dict[str, str]]:
    """Network list entries (``Id``, ``Name``, ``Driver``, ``Scope``) from the ``docker network ls`` table."""
    keys = ("Id", "Name", "Driver", "Scope")
    return [dict(zip(keys, row)) for row in _table_rows(out)]


def parse_volumes_output(out: str) -> List[Dict[str, str]]:
    """Volume list entries (``Driver``, ``Name``) from the ``docker volume ls`` table."""
    return [dict(zip(("Driver", "Name"), row)) for row in _table_rows(out)]


def parse_inspect_output(out: str, item_type: str) -> Dict[str, Any]:
    """The object of a ``docker ... inspect`` of one item.

    :raises docker.errors.NotFound: when the output lists nothing.
    """
    items = json.loads(out) if out.strip() else []
    if not items:
        raise docker.errors.NotFound(f"{item_type.title()} not found.", None)
    return items[0]


def parse_images_output(out: str) -> List[Dict[str, Any]]:
    """Image list entries from the ``docker images --no-trunc`` table, one per image id (sorted by id).

    ``RepoTags`` is ``['<none>:<none>']`` for an untagged image, as the engine lists it; the table does not
    tell parents, times or sizes (``ParentId`` ``''``, ``Created``/``Size``/``VirtualSize`` 0).
    """
    tags: Dict[str, List[str]] = {}
    for row in _table_rows(out):
        repository, tag, image_id = row[:3]
        entry = tags.setdefault(image_id, [])
        if repository != NONE_TAG and tag != NONE_TAG:
            entry.append(f"{repository}:{tag}")
    return [
        {
            "Id": image_id,
            "RepoTags": tags[image_id] or [f"{NONE_TAG}:{NONE_TAG}"],
            "ParentId": "",
            "Created": 0,
            "VirtualSize": 0,
            "Size": 0,
        }
        for image_id in sorted(tags)
    ]


def parse_version_output(out: str, section: str = "Client") -> Dict[str, Any]:
    """One section (``Client`` or ``Server``) of ``docker version`` with :data:`JSON_FORMAT_ARG`."""
    data = json.loads(out) if out.strip() else {}
    return data.get(section) or {}


def parse_info_output(out: str) -> Dict[str, Any]:
    """``docker info`` with :data:`JSON_FORMAT_ARG`."""
    return json.loads(out) if out.strip() else {}


def parse_top_output(out: str) -> Dict[str, Any]:
    """``{'Titles', 'Processes'}`` of ``docker top`` (the last column keeps its spaces)."""
    lines = _lines(out)
    if not lines:
        return {"Titles": [], "Processes": []}
    titles = lines[0].split()
    return {"Titles": titles, "Processes": [line.split(None, len(titles) - 1) for line in lines[1:]]}


def _command_text(path: str, args: Sequence[str]) -> str:
    # As the engine lists it: arguments with a space in single quotes.
    quoted = [f"'{arg}'" if " " in arg else arg for arg in args or ()]
    return " ".join([path or ""] + quoted) if quoted else path or ""


def published_ports(ports: Optional[Mapping[str, Any]]) -> List[Dict[str, Any]]:
    """Container list ``Ports`` from the ``NetworkSettings.Ports`` of ``inspect_container``."""
    result: List[Dict[str, Any]] = []
    for key, bindings in (ports or {}).items():
        number, _, protocol = key.partition("/")
        if not bindings:
            result.append({"PrivatePort": int(number), "Type": protocol})
            continue
        for binding in bindings:
            entry = {"IP": binding.get("HostIp") or "", "PrivatePort": int(number), "Type": protocol}
            if (binding.get("HostPort") or "").isdigit():
                entry["PublicPort"] = int(binding["HostPort"])
            result.append(entry)
    return result


def _listed_networks(networks: Mapping[str, Any], container_id: str) -> Dict[str, Any]:
    # The list leaves out the alias the engine adds on user-defined networks: the container's short id.
    listed = {}
    for name, settings in (networks or {}).items():
        settings = dict(settings or {})
        if settings.get("Aliases"):
            settings["Aliases"] = [a for a in settings["Aliases"] if a != container_id[:12]] or None
        listed[name] = settings
    return listed


def container_list_entry(info: Mapping[str, Any], status: str) -> Dict[str, Any]:
    """An entry of the container list (``APIClient.containers``) from ``inspect_container`` output and the
    ``Status`` text of ``docker ps``."""
    config = info.get("Config") or {}
    settings = info.get("NetworkSettings") or {}
    return {
        "Id": info["Id"],
        "Names": [info.get("Name") or ""],
        "Image": config.get("Image") or info.get("Image") or "",
        "ImageID": info.get("Image") or "",
        "Command": _command_text(info.get("Path") or "", info.get("Args") or ()),
        "Created": parse_iso_time(info.get("Created") or ""),
        "Ports": published_ports(settings.get("Ports")),
        "Labels": config.get("Labels") or {},
        "State": (info.get("State") or {}).get("Status") or "",
        "Status": status,
        "HostConfig": {"NetworkMode": (info.get("HostConfig") or {}).get("NetworkMode") or ""},
        "NetworkSettings": {"Networks": _listed_networks(settings.get("Networks"), info["Id"])},
        "Mounts": list(info.get("Mounts") or ()),
    }
