"""A Compose file as a container map: project name, variables, top-level volumes and networks, services."""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Union

from dockermap.map.config.engine_names import network_name_problem, volume_name_problem
from dockermap.map.config.main import ContainerMap
from dockermap.map.names import COMPOSE_NAMING
from dockermap.records import record

from . import values as v
from .exceptions import ComposeProblem, Problems, dotted
from .files import env_file_variables
from .model import load_model
from .mounts import host_path
from .services import Dependency, Service, translate
from .tree import Places
from .variables import Lookup, chain

_TOP_SUPPORTED = ("version", "name", "services", "networks", "volumes", "secrets", "configs")
_TOP_UNSUPPORTED = ("models",)
_FILE_UNSUPPORTED = ("environment", "content", "external", "name")
_NETWORK_KEYS = ("driver", "driver_opts", "internal", "labels", "attachable", "enable_ipv6", "ipam")
_VOLUME_KEYS = ("driver", "driver_opts", "labels")
_RESOURCE_KEYS = ("external", "name")
_PROJECT_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
DEFAULT_NETWORK = "default"
_COMPOSE_LABEL = "com.docker.compose"


@record
class _Context:
    project_dir: str
    lookup: Lookup
    volumes: Set[str]
    files: Dict[str, Dict[str, Optional[str]]]
    project: str = ""


def _project_name(given: Optional[str], document: Mapping[str, Any], lookup: Lookup, project_dir: str) -> str:
    explicit = given or document.get("name") or lookup("COMPOSE_PROJECT_NAME")
    if explicit:
        name = str(explicit)
        if not _PROJECT_NAME.fullmatch(name):
            raise ValueError(
                f"invalid project name {name!r}: use lowercase letters, digits, '-' and '_', starting with a "
                "letter or digit"
            )
        return name
    name = re.sub(r"[^a-z0-9_-]", "", os.path.basename(project_dir).lower()).lstrip("_-")
    if not name:
        raise ValueError(f"cannot derive a project name from {project_dir!r}; set 'name' in the file")
    return name


def _section(document: Mapping[str, Any], key: str, problems: Problems) -> Dict[str, Any]:
    section = document.get(key)
    if section is None:
        return {}
    if not isinstance(section, dict):
        problems.add((key,), f"expected a mapping, found {section!r}")
        return {}
    return {name: settings or {} for name, settings in section.items()}


def compose_labels(project: str, kind: str, name: str) -> Dict[str, str]:
    """The labels Docker Compose puts on the items of a project (``kind``: service, volume or network)."""
    labels = {f"{_COMPOSE_LABEL}.project": project, f"{_COMPOSE_LABEL}.{kind}": name}
    if kind == "service":
        # Docker Compose lists only containers with a configuration hash. Its own hash covers the whole
        # service, to decide on recreation; dockermap decides that itself, so this one names the service.
        identity = hashlib.sha256(f"{project}/{name}".encode()).hexdigest()
        labels.update({f"{_COMPOSE_LABEL}.oneoff": "False", f"{_COMPOSE_LABEL}.config-hash": identity})
    return labels


def _resource(
    kind: str, name: str, settings: Any, valid: tuple, problems: Problems, project: str
) -> Dict[str, Any]:
    """Map settings of a top-level volume or network (common keys: driver, driver_opts, labels)."""
    path = (f"{kind}s", name)
    result: Dict[str, Any] = {}
    if not isinstance(settings, dict):
        problems.add(path, f"expected a mapping, found {settings!r}")
        return result
    create: Dict[str, Any] = {"labels": compose_labels(project, kind, name)}
    external = problems.check(convert=v.flag, path=(*path, "external"), value=settings.get("external", False))
    for key, value in settings.items():
        where = (*path, key)
        if key == "external":
            result["external"] = value is True
        elif key == "name":
            result["name"] = problems.check(convert=v.text, path=where, value=value)
        elif key not in (*valid, *_RESOURCE_KEYS) and not str(key).startswith("x-"):
            problems.unknown(where, (*valid, *_RESOURCE_KEYS))
        elif external and not str(key).startswith("x-"):
            problems.add(where, f"cannot be set on an external {kind}: it is made outside the project")
        elif key == "driver":
            result["driver"] = problems.check(convert=v.text, path=where, value=value)
        elif key == "driver_opts":
            result["driver_options"] = problems.check(convert=v.sysctls, path=where, value=value)
        elif key == "labels":
            create["labels"] = {
                **(problems.check(convert=v.labels, path=where, value=value) or {}),
                **create["labels"],
            }
        elif key == "internal":
            result["internal"] = problems.check(convert=v.flag, path=where, value=value)
        elif key in ("attachable", "enable_ipv6"):
            create[key] = problems.check(convert=v.flag, path=where, value=value)
        elif key == "ipam":
            create["ipam"] = problems.check(convert=_ipam, path=where, value=value)
    if external:
        result.setdefault("name", name)  # an external item keeps its own name, without the project's
    else:
        result["create_options"] = create
        refused = _name_problem(kind, result)
        if refused:
            problems.add((*path, "name"), refused)
    return result


def _name_problem(kind: str, settings: Mapping[str, Any]) -> Optional[str]:
    """Why the engine would refuse to create the volume or network (``kind``) under its ``name``."""
    if not settings.get("name"):
        return None
    if kind == "volume":
        return volume_name_problem(settings["name"], settings.get("driver"))
    return network_name_problem(settings["name"])


def _ipam(value: Any) -> Dict[str, Any]:
    if not isinstance(value, dict) or set(value) - {"driver", "config", "options"}:
        raise ValueError("expected a mapping with driver, config and options")
    pools = []
    for pool in value.get("config") or []:
        names = {"subnet": "Subnet", "ip_range": "IPRange", "gateway": "Gateway"}
        if not isinstance(pool, dict) or set(pool) - set(names):
            raise ValueError("each ipam config entry is a mapping with subnet, ip_range and gateway")
        pools.append({names[key]: v.text(item) for key, item in pool.items()})
    return {
        "Driver": v.text(value.get("driver", "default")),
        "Config": pools,
        "Options": value.get("options") or {},
    }


def _files(
    kind: str, section: Mapping[str, Any], project_dir: str, problems: Problems
) -> Dict[str, Optional[str]]:
    """Top-level ``secrets`` or ``configs`` (``kind``): name → host path of its file (``None`` when the
    declaration is refused: only files are supported)."""
    files: Dict[str, Optional[str]] = {}
    for name, settings in section.items():
        path = (kind, name)
        files[name] = None
        if not isinstance(settings, dict):
            problems.add(path, f"expected a mapping with 'file', found {settings!r}")
            continue
        for key, value in settings.items():
            where = (*path, key)
            if key == "file":
                source = problems.check(convert=v.text, path=where, value=value)
                full = host_path(source, project_dir) if source else None
                if full is not None and os.path.isfile(full):
                    files[name] = full
                elif full is not None:
                    problems.add(where, f"{source!r} is not a file")
            elif key in _FILE_UNSUPPORTED:
                problems.unsupported(where, f"only {kind} read from a 'file'")
            elif not str(key).startswith("x-"):
                problems.unknown(where, ("file", *_FILE_UNSUPPORTED))
        if not set(settings) & {"file", *_FILE_UNSUPPORTED}:
            problems.add(path, "needs 'file'")
    return files


def _active(services: Mapping[str, Any], lookup: Lookup, problems: Problems) -> List[str]:
    profiles = {item.strip() for item in (lookup("COMPOSE_PROFILES") or "").split(",") if item.strip()}
    active = []
    for name, service in services.items():
        wanted = service.get("profiles") if isinstance(service, dict) else None
        if wanted is None:
            active.append(name)
            continue
        wanted = problems.check(convert=v.text_list, path=("services", name, "profiles"), value=wanted) or []
        if "*" in profiles or profiles.intersection(wanted):
            active.append(name)
    return active


def _dependency_order(services: Mapping[str, Service]) -> List[str]:
    """Service names with every service after the ones it depends on (cycles are left to the map check)."""
    ordered: Dict[str, None] = {}
    visiting: Set[str] = set()

    def visit(name: str) -> None:
        if name in ordered or name in visiting or name not in services:
            return
        visiting.add(name)
        for required in services[name].depends_on:
            visit(required.service)
        ordered[name] = None

    for name in services:
        visit(name)
    return list(ordered)


def _place_volumes(services: Mapping[str, Service]) -> None:
    """Each named volume is attached by the first service that mounts it read-write (in dependency order)
    and used by the others."""
    owners: Dict[str, str] = {}
    order = _dependency_order(services)
    for name in order:
        for volume, _, readonly in services[name].mounts.named:
            if not readonly:
                owners.setdefault(volume, name)
    for name in order:
        for volume, _, _ in services[name].mounts.named:
            owners.setdefault(volume, name)
    for name in order:
        service = services[name]
        for volume, target, readonly in service.mounts.named:
            if owners[volume] == name:
                service.config.setdefault("attaches", []).append({volume: target})
            else:
                service.config.setdefault("uses", []).append({volume: [target, "ro" if readonly else "rw"]})


def _networks_of(service: Service) -> List[str]:
    if "network_mode" in service.config:
        return []
    return list(service.networks) if service.networks is not None else [DEFAULT_NETWORK]


def _container_config(service: Service, project: str, services: Mapping[str, Service]) -> Dict[str, Any]:
    config = service.config
    mounts = service.mounts
    create = config.setdefault("create_options", {})
    create["labels"] = {**create.get("labels", {}), **compose_labels(project, "service", service.name)}
    if mounts.binds:
        config["binds"] = [
            [target, source, "ro" if readonly else "rw"] for target, source, readonly in mounts.binds
        ]
    if mounts.shares:
        config["shares"] = list(mounts.shares)
    if mounts.tmpfs:
        config.setdefault("host_config", {})["tmpfs"] = dict(mounts.tmpfs)
    if service.depends_on:
        config["depends_on"] = [dependency.service for dependency in service.depends_on]
    # A link is made on every network the linked service joins too (the engine resolves it there);
    # one sharing no network with it stays a link of the container.
    joined = {name: set(_networks_of(other)) for name, other in services.items()}
    own = _networks_of(service)
    unshared = [[linked, alias] for linked, alias in service.links if not joined[linked].intersection(own)]
    if unshared:
        config["links"] = unshared
    if "network_mode" not in config:
        endpoints = service.networks if service.networks is not None else {DEFAULT_NETWORK: {}}
        config["networks"] = [
            {
                "network_name": network,
                **endpoint,
                "aliases": [service.name, *endpoint.get("aliases", [])],
                **_endpoint_links(service, network, joined),
            }
            for network, endpoint in endpoints.items()
        ]
    return config


def _endpoint_links(service: Service, network: str, joined: Mapping[str, Set[str]]) -> Dict[str, Any]:
    links = [[linked, alias] for linked, alias in service.links if network in joined[linked]]
    return {"links": links} if links else {}


def _missing(required: str, all_services: Mapping[str, Any]) -> str:
    return "is not enabled by COMPOSE_PROFILES" if required in all_services else "is not a service"


def _check_references(
    services: Mapping[str, Service], all_services: Mapping[str, Any], networks: Any, problems: Problems
) -> None:
    """Report references to services and networks that are not in the project; optional dependencies on
    services left out by their profiles are dropped."""
    for name, service in services.items():
        kept = []
        for dependency in service.depends_on:
            if dependency.service in services:
                kept.append(dependency)
            elif dependency.required or dependency.service not in all_services:
                problems.add(
                    dependency.path, f"{dependency.service!r} {_missing(dependency.service, all_services)}"
                )
        service.depends_on = kept
        for index, (linked, _) in enumerate(service.links):
            if linked not in services:
                problems.add(
                    ("services", name, "links", index), f"{linked!r} {_missing(linked, all_services)}"
                )
        service.links = [link for link in service.links if link[0] in services]
        for network in service.networks or {}:
            if network not in networks and network != DEFAULT_NETWORK:
                problems.add(
                    ("services", name, "networks", network), "not declared in the top-level 'networks'"
                )


def _set_readiness(services: Mapping[str, Service], problems: Problems) -> None:
    """Give each dependency the strongest readiness its dependents ask (``healthy`` and ``completed``
    both include ``started``; asking both of one service is an error), without a time limit: Docker
    Compose waits until the dependency is healthy or has exited, failing only when it turns unhealthy,
    exits while it should turn healthy, or exits with another code than 0."""
    asked: Dict[str, Dependency] = {}
    for service in services.values():
        for dependency in service.depends_on:
            first = asked.setdefault(dependency.service, dependency)
            if first.ready == dependency.ready or dependency.ready == "started":
                continue
            if first.ready == "started":
                asked[dependency.service] = dependency
            else:
                problems.add(
                    dependency.path,
                    f"asks {dependency.service!r} to be {dependency.ready}, but {dotted(first.path)} asks it "
                    f"to be {first.ready}; a container cannot wait for both",
                )
    for name, dependency in asked.items():
        if dependency.ready != "started":
            services[name].config["ready"] = {"condition": dependency.ready, "timeout": None}


def _map_dict(document: Mapping[str, Any], ctx: _Context, problems: Problems, project: str) -> Dict[str, Any]:
    for key in document:
        if key in _TOP_UNSUPPORTED:
            problems.unsupported((key,))
        elif key not in _TOP_SUPPORTED and not str(key).startswith("x-"):
            problems.unknown((key,), _TOP_SUPPORTED)
    volumes = _section(document, "volumes", problems)
    networks = _section(document, "networks", problems)
    ctx.volumes = set(volumes)
    for kind in ("secrets", "configs"):
        ctx.files[kind] = _files(kind, _section(document, kind, problems), ctx.project_dir, problems)
    all_services = _section(document, "services", problems)
    if not all_services:
        problems.add(("services",), "a Compose file needs at least one service")
    active = _active(all_services, ctx.lookup, problems)
    services: Dict[str, Service] = {}
    for name in active:
        translated = translate(name, all_services[name], ctx, problems)
        if translated is not None:
            services[name] = translated
    _check_references(services, all_services, networks, problems)
    _set_readiness(services, problems)
    _place_volumes(services)
    map_dict: Dict[str, Any] = {"naming": COMPOSE_NAMING, "set_hostname": False}
    map_dict["containers"] = {
        name: _container_config(service, project, services) for name, service in services.items()
    }
    used_networks = {
        endpoint["network_name"]
        for config in map_dict["containers"].values()
        for endpoint in config.get("networks", [])
    }
    map_dict["networks"] = {
        name: _resource("network", name, networks.get(name, {}), _NETWORK_KEYS, problems, project)
        for name in sorted(used_networks)
    }
    map_dict["volumes"] = {
        name: _resource("volume", name, settings, _VOLUME_KEYS, problems, project)
        for name, settings in volumes.items()
    }
    return map_dict


def load_compose(
    path: Union[str, os.PathLike[str], Sequence[Union[str, os.PathLike[str]]]],
    project_name: Optional[str] = None,
    env: Optional[Mapping[str, str]] = None,
    env_files: Optional[Sequence[str]] = None,
) -> ContainerMap:
    """The container map of a Compose file, or of several merged; its name is the project name.

    With several files, later files override and extend earlier ones with Compose's merge rules; the
    first file's directory is the project directory. Services are extended (``extends``) and other
    projects included (``include``) as Compose does. Variables come from ``env`` (default: the process
    environment), then from ``env_files`` (default: the ``.env`` file in the project directory, if there
    is one). The project name is ``project_name``, else the files' ``name``, else
    ``COMPOSE_PROJECT_NAME``, else the directory name.

    :raises ComposeFileError: listing every problem found, each with file, line and key; keys that
        dockermap does not support are among them, never silently dropped.
    """
    given = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    if not given:
        raise ValueError("no Compose file given")
    paths = [os.path.abspath(os.fspath(item)) for item in given]
    project_dir = os.path.dirname(paths[0])
    environment = dict(os.environ if env is None else env)
    if env_files is None:
        env_files = [os.path.join(project_dir, ".env")]
    lookup = chain(environment, env_file_variables(env_files, chain(environment)))
    found: List[ComposeProblem] = []
    document = load_model(paths, project_dir, lookup, found)
    problems = Problems(paths[0], places=Places(document, (paths[0], 0)))
    problems.found.extend(found)
    try:
        name = _project_name(project_name, document, lookup, project_dir)
    except ValueError as exc:
        problems.add(("name",), str(exc))
        name = "invalid"
    map_dict = _map_dict(document, _Context(project_dir, lookup, set(), {}, name), problems, name)
    problems.raise_any()
    return ContainerMap(name, map_dict)
