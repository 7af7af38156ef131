"""Container and host settings (binds, ports, links, mounts, ...) as the values of ``docker create`` flags."""

from __future__ import annotations

import csv
import io
from typing import Any, Iterable, List, Mapping

from .values import lookup


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


def bind_target(spec: str) -> str:
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
    name = lookup(policy, "name") or "no"
    count = lookup(policy, "maximum_retry_count")
    return f"{name}:{count}" if name == "on-failure" and count else name


def ulimit_spec(ulimit: Mapping[str, Any]) -> str:
    """``name=soft[:hard]`` of an SDK ulimit (``{'name', 'soft', 'hard'}`` or the ``Ulimit`` type)."""
    name, soft, hard = lookup(ulimit, "name"), lookup(ulimit, "soft"), lookup(ulimit, "hard")
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
        lookup(device, "path_on_host"),
        lookup(device, "path_in_container"),
        lookup(device, "cgroup_permissions"),
    ]
    return ":".join(str(part) for part in parts if part)


def _csv(fields: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(list(fields))
    return out.getvalue()


def mount_spec(mount: Mapping[str, Any]) -> str:
    """``--mount`` value (comma-separated ``key=value``) of an SDK ``Mount``."""
    fields = [f"type={lookup(mount, 'type') or 'volume'}"]
    if lookup(mount, "source"):
        fields.append(f"source={lookup(mount, 'source')}")
    fields.append(f"target={lookup(mount, 'target')}")
    if lookup(mount, "read_only"):
        fields.append("readonly")
    if lookup(mount, "consistency"):
        fields.append(f"consistency={lookup(mount, 'consistency')}")
    propagation = (lookup(mount, "bind_options") or {}).get("Propagation")
    if propagation:
        fields.append(f"bind-propagation={propagation}")
    volume_options = lookup(mount, "volume_options") or {}
    if volume_options.get("NoCopy"):
        fields.append("volume-nocopy")
    for key, value in (volume_options.get("Labels") or {}).items():
        fields.append(f"volume-label={key}={value}")
    driver = volume_options.get("DriverConfig") or {}
    if driver.get("Name"):
        fields.append(f"volume-driver={driver['Name']}")
    for key, value in (driver.get("Options") or {}).items():
        fields.append(f"volume-opt={key}={value}")
    tmpfs_options = lookup(mount, "tmpfs_options") or {}
    if tmpfs_options.get("SizeBytes"):
        fields.append(f"tmpfs-size={tmpfs_options['SizeBytes']}")
    if tmpfs_options.get("Mode"):
        fields.append(f"tmpfs-mode={tmpfs_options['Mode']:o}")
    return _csv(fields)
