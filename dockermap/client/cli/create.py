"""The arguments of ``docker create`` for ``create_container``: container configuration, health check,
network and host config."""

from __future__ import annotations

import shlex
from typing import Any, Dict, Mapping

from .host_config import HOST_CONFIG_KEYWORDS, HOST_CONFIG_UNSUPPORTED, host_config_args
from .specs import bind_specs, bind_target, expose_specs, link_specs, publish_specs, tmpfs_specs
from .values import Args, UnsupportedOption, duration, flag_args, flag_name, lookup, text, words

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
    test = lookup(check, "test")
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
        value = lookup(check, key)
        if value:
            args.append(f"--health-{key.replace('_', '-')}={duration(value)}")
    if lookup(check, "retries"):
        args.append(f"--health-retries={lookup(check, 'retries')}")
    return args


def _network_args(kwargs: Dict[str, Any], host_config: Mapping[str, Any]) -> Args:
    """``--network`` with the endpoint settings of the one network ``docker create`` can join, and links.

    ``network_disabled`` comes first, then a ``network_mode`` other than the endpoint's network, then the
    endpoint configuration.
    """
    endpoints = dict((kwargs.pop("networking_config", None) or {}).get("EndpointsConfig") or {})
    disabled = kwargs.pop("network_disabled", None)
    mode = host_config.get("network_mode")
    links = link_specs(host_config.get("links"))
    args: Args = []
    if disabled:
        args.append("--network=none")
    elif mode and mode not in endpoints:
        # As in the classic generator: a network mode (e.g. 'host', 'none', 'container:<name>') wins over
        # endpoint settings, which that mode could not use anyway.
        args.append(f"--network={mode}")
    elif len(endpoints) > 1:
        raise UnsupportedOption(
            f"docker create joins one network, not {len(endpoints)} ({', '.join(endpoints)}); "
            "connect the others with connect_container_to_network"
        )
    elif endpoints:
        ((network, endpoint),) = endpoints.items()
        endpoint = endpoint or {}
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
    targets = {bind_target(spec) for spec in binds}
    targets.update(str(lookup(mount, "target")) for mount in host_config.get("mounts") or ())
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
