"""One Compose service as a container configuration of a map (everything but what links services)."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from dockermap.records import field, record

from . import values as v
from .build import service_build
from .exceptions import Problems
from .mounts import ServiceMounts, add_file, add_mount, host_path
from .ports import exposed_ports, published_ports
from .variables import Lookup, parse_env_file

Path = Tuple[Any, ...]

#: Compose key → (where it goes: the configuration itself, ``create_options`` or ``host_config``; the key
#: there; the converter of its value).
DIRECT: Dict[str, Tuple[str, str, Callable[[Any], Any]]] = {
    "user": ("create", "user", v.text),
    "working_dir": ("create", "working_dir", v.text),
    "hostname": ("create", "hostname", v.text),
    "domainname": ("create", "domainname", v.text),
    "command": ("create", "command", v.command),
    "entrypoint": ("create", "entrypoint", v.command),
    "labels": ("create", "labels", v.labels),
    "tty": ("create", "tty", v.flag),
    "stdin_open": ("create", "stdin_open", v.flag),
    "container_name": ("config", "container_name", v.container_name),
    "stop_signal": ("config", "stop_signal", v.text),
    "stop_grace_period": ("config", "stop_timeout", v.seconds),
    "restart": ("host", "restart_policy", v.restart_policy),
    "cap_add": ("host", "cap_add", v.text_list),
    "cap_drop": ("host", "cap_drop", v.text_list),
    "dns": ("host", "dns", v.text_list),
    "dns_search": ("host", "dns_search", v.text_list),
    "dns_opt": ("host", "dns_opt", v.text_list),
    "group_add": ("host", "group_add", v.text_list),
    "security_opt": ("host", "security_opt", v.text_list),
    "extra_hosts": ("host", "extra_hosts", v.extra_hosts),
    "sysctls": ("host", "sysctls", v.sysctls),
    "ulimits": ("host", "ulimits", v.ulimits),
    "privileged": ("host", "privileged", v.flag),
    "read_only": ("host", "read_only", v.flag),
    "init": ("host", "init", v.flag),
    "shm_size": ("host", "shm_size", v.byte_size),
    "mem_limit": ("host", "mem_limit", v.byte_size),
    "mem_reservation": ("host", "mem_reservation", v.byte_size),
    "memswap_limit": ("host", "memswap_limit", v.byte_size),
    "cpus": ("host", "nano_cpus", v.nano_cpus),
    "cpu_shares": ("host", "cpu_shares", v.integer),
    "cpuset": ("host", "cpuset_cpus", v.text),
    "pids_limit": ("host", "pids_limit", v.integer),
    "oom_score_adj": ("host", "oom_score_adj", v.integer),
    "pid": ("host", "pid_mode", v.text),
    "ipc": ("host", "ipc_mode", v.text),
    "userns_mode": ("host", "userns_mode", v.text),
}
#: Keys read with the whole project in view (volumes, networks, order) or to filter services.
STRUCTURAL = (
    "image",
    "build",
    "environment",
    "env_file",
    "ports",
    "expose",
    "volumes",
    "tmpfs",
    "healthcheck",
    "depends_on",
    "networks",
    "network_mode",
    "deploy",
    "profiles",
    "links",
    "secrets",
    "configs",
)
SUPPORTED = frozenset(DIRECT) | frozenset(STRUCTURAL)
#: Keys of the Compose Specification that dockermap does not read (yet); refused with their location.
UNSUPPORTED = frozenset(
    "annotations attach blkio_config cgroup cgroup_parent cpu_count cpu_percent "
    "cpu_period cpu_quota cpu_rt_period cpu_rt_runtime credential_spec develop device_cgroup_rules devices "
    "driver_opts extends external_links gpus isolation label_file logging mac_address mem_swappiness "
    "models oom_kill_disable platform post_start pre_stop provider pull_policy runtime scale "
    "storage_opt use_api_socket uts volumes_from".split()
)
_HEALTH_KEYS = ("test", "interval", "timeout", "retries", "start_period", "start_interval", "disable")
_DEPENDS_KEYS = ("condition", "restart", "required")
#: Compose ``depends_on`` conditions → the readiness the dependency's container gets.
CONDITIONS = {
    "service_started": "started",
    "service_healthy": "healthy",
    "service_completed_successfully": "completed",
}


@record(frozen=True)
class Dependency:
    """One ``depends_on`` entry: the service, the readiness it has to reach, whether it must be in the
    project, and where the entry is."""

    service: str
    ready: str
    required: bool
    path: Tuple[Any, ...]


@record
class Service:
    """A service translated: its configuration dict and what the project still has to place."""

    name: str
    config: Dict[str, Any]
    mounts: ServiceMounts
    networks: Optional[Dict[str, Dict[str, Any]]]  # None: the default network
    depends_on: List[Dependency] = field(default_factory=list)
    links: List[Tuple[str, str]] = field(default_factory=list)  # (service, alias)


def _healthcheck(value: Any) -> Optional[Dict[str, Any]]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping, found {value!r}")
    unknown = sorted(set(value) - set(_HEALTH_KEYS))
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; valid keys are {', '.join(_HEALTH_KEYS)}")
    if value.get("disable") or value.get("test") in (["NONE"], "NONE"):
        raise ValueError("disabling the image's health check is not supported by dockermap")
    if "start_interval" in value:
        raise ValueError("start_interval is not supported by dockermap")
    check: Dict[str, Any] = {}
    if "test" in value:
        test = value["test"]
        check["test"] = v.text(test) if isinstance(test, str) else v.text_list(test)
    for key in ("interval", "timeout", "start_period"):
        if key in value:
            check[key] = v.nanoseconds(value[key])
    if "retries" in value:
        check["retries"] = v.integer(value["retries"])
    return check


def _env_files(value: Any, project_dir: str, lookup: Lookup) -> Dict[str, str]:
    entries = value if isinstance(value, list) else [value]
    variables: Dict[str, str] = {}
    for entry in entries:
        spec = entry if isinstance(entry, dict) else {"path": entry}
        path = v.text(spec.get("path", ""))
        full = host_path(path, project_dir)
        try:
            with open(full, encoding="utf-8") as stream:
                content = stream.read()
        except OSError as exc:
            if spec.get("required", True) is False:
                continue
            raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
        found, problems = parse_env_file(content, lookup, full)
        if problems:
            line, message = problems[0]
            raise ValueError(f"{full}:{line}: {message}")
        variables.update(found)
    return variables


def _environment(service: Mapping[str, Any], path: Path, ctx: Any, problems: Problems) -> Dict[str, str]:
    environment: Dict[str, str] = {}
    if "env_file" in service:
        found = problems.check(
            convert=lambda value: _env_files(value, ctx.project_dir, ctx.lookup),
            path=(*path, "env_file"),
            value=service["env_file"],
        )
        environment.update(found or {})
    if "environment" in service:
        given = problems.check(
            convert=v.key_values, path=(*path, "environment"), value=service["environment"]
        )
        for key, value in (given or {}).items():
            value = ctx.lookup(key) if value is None else value
            if value is not None:
                environment[key] = value
    return environment


def _dependency(name: str, options: Any, path: Path, problems: Problems) -> Dependency:
    ready, required = "started", True
    if not isinstance(options, dict):
        problems.add(path, f"expected a mapping with condition, required and restart, found {options!r}")
        options = {}
    for key, option in options.items():
        where = (*path, key)
        if key not in _DEPENDS_KEYS:
            problems.unknown(where, _DEPENDS_KEYS)
        elif key == "condition":
            if option in CONDITIONS:
                ready = CONDITIONS[option]
            else:
                problems.add(where, f"expected one of {', '.join(CONDITIONS)}, found {option!r}")
        elif key == "required":
            required = problems.check(convert=v.flag, path=where, value=option) is not False
        elif problems.check(convert=v.flag, path=where, value=option):
            problems.unsupported(
                where,
                "restarting this service when its dependency restarts; remove 'restart' or set it to false",
            )
    return Dependency(name, ready, required, path)


def _depends_on(value: Any, path: Path, problems: Problems) -> List[Dependency]:
    if isinstance(value, list):
        return [
            Dependency(name, "started", True, (*path, index))
            for index, name in enumerate(problems.check(convert=v.text_list, path=path, value=value) or [])
        ]
    if not isinstance(value, dict):
        problems.add(path, f"expected a list or a mapping of services, found {value!r}")
        return []
    return [_dependency(str(name), options or {}, (*path, name), problems) for name, options in value.items()]


def _entries(value: Any) -> List[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"expected a list, found {value!r}")
    return value


def _links(value: Any) -> List[Tuple[str, str]]:
    """``service`` or ``service:alias`` entries as (service, alias); the alias defaults to the service."""
    links = []
    for entry in v.text_list(value):
        service, _, alias = entry.partition(":")
        if not service:
            raise ValueError(f"expected SERVICE or SERVICE:ALIAS, found {entry!r}")
        links.append((service, alias or service))
    return links


def _service_networks(value: Any, path: Path, problems: Problems) -> Dict[str, Dict[str, Any]]:
    if isinstance(value, list):
        return {v.text(name): {} for name in value}
    if not isinstance(value, dict):
        problems.add(path, f"expected a list or a mapping of networks, found {value!r}")
        return {}
    networks: Dict[str, Dict[str, Any]] = {}
    for name, options in value.items():
        endpoint: Dict[str, Any] = {}
        for key, option in (options or {}).items():
            where = (*path, name, key)
            if key == "aliases":
                endpoint["aliases"] = problems.check(convert=v.text_list, path=where, value=option) or []
            elif key in ("ipv4_address", "ipv6_address"):
                endpoint[key] = problems.check(convert=v.text, path=where, value=option)
            elif key in ("priority", "link_local_ips", "mac_address", "driver_opts", "gw_priority"):
                problems.unsupported(where)
            else:
                problems.unknown(where, ("aliases", "ipv4_address", "ipv6_address"))
        networks[str(name)] = endpoint
    return networks


def _network_mode(value: Any) -> Any:
    mode = v.text(value)
    if mode.startswith("service:"):
        return mode[len("service:") :]
    if mode in ("host", "none", "bridge") or mode.startswith("container:"):
        return mode
    raise ValueError(f"expected host, none, bridge, service:NAME or container:NAME, found {mode!r}")


def _deploy(value: Any, path: Path, problems: Problems, config: Dict[str, Any], host: Dict[str, Any]) -> None:
    if not isinstance(value, dict):
        problems.add(path, f"expected a mapping, found {value!r}")
        return
    for key, option in value.items():
        where = (*path, key)
        if key == "replicas":
            count = problems.check(convert=v.integer, path=where, value=option)
            if count is not None and count < 1:
                problems.unsupported(where, "fewer than one replica")
            elif count is not None and count > 1:
                config["instances"] = [str(number) for number in range(1, count + 1)]
        elif key == "resources" and isinstance(option, dict) and set(option) <= {"limits"}:
            limits = option.get("limits") or {}
            for limit, amount in limits.items():
                if limit == "cpus":
                    host["nano_cpus"] = problems.check(
                        convert=v.nano_cpus, path=(*where, "limits", limit), value=amount
                    )
                elif limit == "memory":
                    host["mem_limit"] = problems.check(
                        convert=v.byte_size, path=(*where, "limits", limit), value=amount
                    )
                else:
                    problems.unsupported((*where, "limits", limit))
        else:
            problems.unsupported(where)


def _direct_keys(service: Mapping[str, Any], path: Path, problems: Problems) -> Dict[str, Dict[str, Any]]:
    """The keys of :data:`DIRECT` by section (``config``, ``create``, ``host``); other keys are checked."""
    sections: Dict[str, Dict[str, Any]] = {"config": {}, "create": {}, "host": {}}
    for key, value in service.items():
        where = (*path, key)
        if not isinstance(key, str) or key.startswith("x-") or key in STRUCTURAL:
            continue
        if key in DIRECT:
            section, target, convert = DIRECT[key]
            converted = problems.check(convert=convert, path=where, value=value)
            if converted is not None:
                sections[section][target] = converted
        elif key in UNSUPPORTED:
            problems.unsupported(where)
        else:
            problems.unknown(where, sorted(SUPPORTED | UNSUPPORTED))
    return sections


def translate(name: str, service: Any, ctx: Any, problems: Problems) -> Optional[Service]:
    """The :class:`Service` of ``services.<name>``; problems are recorded, not raised."""
    path: Path = ("services", name)
    if not isinstance(service, dict):
        problems.add(path, f"expected a mapping of service settings, found {service!r}")
        return None
    sections = _direct_keys(service, path, problems)
    config = sections["config"]
    if "image" in service:
        config["image"] = problems.check(convert=v.text, path=(*path, "image"), value=service["image"])
    elif "build" not in service:
        problems.add(path, "a service needs 'image'")
    if "build" in service:
        config.update(service_build(name, service, path, ctx, problems))
    environment = _environment(service, path, ctx, problems)
    if environment:
        sections["create"]["environment"] = environment
    exposes: List[Dict[str, Any]] = []
    for key, convert in (("expose", exposed_ports), ("ports", published_ports)):
        for index, entry in enumerate(service.get(key) or []):
            exposes.extend(problems.check(convert=convert, path=(*path, key, index), value=entry) or [])
    if exposes:
        config["exposes"] = exposes
    if "healthcheck" in service:
        config["healthcheck"] = problems.check(
            convert=_healthcheck, path=(*path, "healthcheck"), value=service["healthcheck"]
        )
    mounts = ServiceMounts()
    for index, entry in enumerate(service.get("volumes") or []):
        problems.check(
            convert=lambda item: add_mount(mounts, item, ctx.project_dir, ctx.volumes),
            path=(*path, "volumes", index),
            value=entry,
        )
    for kind in ("secrets", "configs"):
        for index, entry in enumerate(
            problems.check(convert=_entries, path=(*path, kind), value=service.get(kind)) or []
        ):
            problems.check(
                convert=lambda item, kind=kind: add_file(mounts, item, kind, ctx.files[kind]),
                path=(*path, kind, index),
                value=entry,
            )
    if "tmpfs" in service:
        mounts.tmpfs.update(
            problems.check(convert=v.tmpfs, path=(*path, "tmpfs"), value=service["tmpfs"]) or {}
        )
    if "deploy" in service:
        _deploy(service["deploy"], (*path, "deploy"), problems, config, sections["host"])
    if "container_name" in config and "instances" in config:
        problems.add(
            (*path, "container_name"),
            f"names one container, but deploy.replicas asks for {len(config['instances'])}; "
            "remove one of them",
        )
    networks = None
    if "network_mode" in service:
        config["network_mode"] = problems.check(
            convert=_network_mode, path=(*path, "network_mode"), value=service["network_mode"]
        )
        if "networks" in service:
            problems.add((*path, "networks"), "cannot be combined with network_mode")
    elif "networks" in service:
        networks = _service_networks(service["networks"], (*path, "networks"), problems)
    depends_on = (
        _depends_on(service["depends_on"], (*path, "depends_on"), problems) if "depends_on" in service else []
    )
    if sections["create"]:
        config["create_options"] = sections["create"]
    if sections["host"]:
        config["host_config"] = sections["host"]
    links = problems.check(convert=_links, path=(*path, "links"), value=service.get("links") or [])
    return Service(name, config, mounts, networks, depends_on, links or [])
