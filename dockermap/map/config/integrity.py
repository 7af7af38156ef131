"""Reference checks of an extended container map: every problem found, each with its location.

The checks need well-formed values (see ``ConfigurationObject.clean_problems``) and resolved
``extends``. They make two passes over the configurations (first collecting names, then checking
references against them), so their cost grows linearly with the map.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Set

from dockermap import DEFAULT_PRESET_NETWORKS
from dockermap.dep import CircularDependency, dependency_order
from dockermap.map.exceptions import ConfigProblem
from dockermap.map.input import HostVolume, ItemType, MapConfigId, NotSet, SharedVolume

from .container import ContainerConfiguration
from .dependencies import ref_name
from .engine_names import collision_problems, name_rule_problems
from .host_volume import instance_key
from .view import MapView


def _names(values: Iterable[str]) -> str:
    return ", ".join(repr(value) for value in values)


class _Checker:
    """Collects the problems of one extended map."""

    def __init__(self, ext_map: MapView) -> None:
        self.map = ext_map
        self.map_name = ext_map.name
        self.configs: Dict[str, ContainerConfiguration] = dict(ext_map)
        self.parent_mode = bool(ext_map.use_attached_parent_name)
        self.problems: List[ConfigProblem] = []
        self.instance_names: Set[str] = set()
        self.attached_owner: Dict[Any, str] = {}
        # Names ``uses`` may refer to -> the configuration defining them (and where, if more than once).
        self.shared_by_config: Dict[str, str] = {}
        self.shared_by_attached: Dict[str, str] = {}
        self.duplicates: Dict[str, List[str]] = {}
        for name, config in self.configs.items():
            self._collect_names(name, config)

    def add(self, location: str, message: str) -> None:
        self.problems.append(ConfigProblem(f"{self.map_name}.{location}", message))

    def _collect_names(self, name: str, config: ContainerConfiguration) -> None:
        if config.instances:
            instances: Iterable[str] = [f"{name}.{instance}" for instance in config.instances]
            self.instance_names.update(instances)
        else:
            instances = (name,)
            self.instance_names.add(name)
        if config.shares or config.binds or config.uses:
            for shared in instances:
                self._add_shared(shared, name, self.shared_by_config)
        for alias in self._aliases(name, "attaches", config.attaches):
            self.attached_owner.setdefault(alias, name)
            self._add_shared(f"{name}.{alias}" if self.parent_mode else alias, name, self.shared_by_attached)

    def _add_shared(self, shared: str, owner: str, names: Dict[str, str]) -> None:
        if shared in self.shared_by_config or shared in self.shared_by_attached:
            places = self.duplicates.setdefault(shared, [self._shared_location(shared)])
            places.append(
                f"{self.map_name}.{owner}" + (".attaches" if names is self.shared_by_attached else "")
            )
        else:
            names[shared] = owner

    def _shared_location(self, shared: str) -> str:
        if shared in self.shared_by_config:
            return f"{self.map_name}.{self.shared_by_config[shared]}"
        return f"{self.map_name}.{self.shared_by_attached[shared]}.attaches"

    def _is_shared(self, name: str) -> bool:
        return name in self.shared_by_config or name in self.shared_by_attached

    def _aliases(self, name: str, key: str, volumes: Iterable[Any]) -> Iterable[str]:
        """The volume names of ``volumes``; names that do not resolve to a string are problems."""
        for volume in volumes:
            alias = ref_name(volume.name)
            if alias is None:
                self.add(f"{name}.{key}", f"volume name {volume.name!r} does not resolve to a name")
            else:
                yield alias

    # --- the checks -------------------------------------------------------------------------------------

    def check(self, check_duplicates: bool) -> List[ConfigProblem]:
        """Run every check; return the problems in map order."""
        self.check_groups()
        if check_duplicates:
            self.check_duplicates()
        for name, config in self.configs.items():
            self.check_volumes(name, config)
            self.check_links(name, config)
        return self.problems

    def check_groups(self) -> None:
        for group, members in self.map.groups.items():
            if group in self.configs or group in self.instance_names:
                self.add(f"groups.{group}", "name is also used by a container configuration (or instance)")
            unknown = [member for member in members if not self._is_known_member(member)]
            if unknown:
                self.add(
                    f"groups.{group}",
                    f"unknown container configuration(s) or instance(s): {_names(map(_format_id, unknown))}",
                )

    def _is_known_member(self, member: Any) -> bool:
        if isinstance(member, MapConfigId):
            if member.map_name not in (None, self.map_name) or member.config_type != ItemType.CONTAINER:
                return True
            config = self.configs.get(member.config_name)
            return config is not None and (
                member.instance_name is None or member.instance_name in config.instances
            )
        return member in self.configs or member in self.instance_names

    def check_duplicates(self) -> None:
        for shared, places in self.duplicates.items():
            others = ", ".join(places[:-1])
            message = f"duplicate attached volume name {shared!r}; also used by {others}"
            self.problems.append(ConfigProblem(places[-1], message))

    def check_volumes(self, name: str, config: ContainerConfiguration) -> None:
        host_aliases = (volume for volume in config.binds if isinstance(volume, SharedVolume))
        for alias in self._aliases(name, "binds", host_aliases):
            if alias not in self.map.host:
                self.add(
                    f"{name}.binds",
                    f"no host path for volume alias {alias!r}; add it to the map's 'host' section",
                )
            self._check_volume_path(name, "binds", alias)
            self._check_instance_paths(name, config, alias, self.map.host.get(alias))
        for volume in config.binds:
            if isinstance(volume, HostVolume):
                self._check_instance_paths(name, config, volume.path, volume.host_path)
        for volume in config.attaches:
            attached = ref_name(volume.name)
            if attached is not None and not getattr(volume, "path", None):
                self._check_volume_path(name, "attaches", attached)
        for used in self._aliases(name, "uses", config.uses):
            if not self._is_shared(used):
                self.add(f"{name}.uses", self._unknown_used(used))

    def _check_instance_paths(
        self, name: str, config: ContainerConfiguration, volume: Any, paths: Any
    ) -> None:
        """Per-instance host paths must give a path for every instance (its own or ``'default'``)."""
        if not isinstance(paths, dict):
            return
        for instance in list(config.instances) or [None]:
            if paths.get(instance_key(paths, instance)) in (None, ""):
                self.add(
                    f"{name}.binds",
                    f"no host path for instance {instance or 'default'!r} of volume {volume!r}; "
                    "give one or a 'default'",
                )

    def _check_volume_path(self, name: str, key: str, alias: str) -> None:
        volume = self.map.volumes.get(alias)
        if volume is None or volume.default_path in (NotSet, None, ""):
            self.add(
                f"{name}.{key}",
                f"no container path for volume alias {alias!r}; add it to the map's 'volumes' section",
            )

    def _unknown_used(self, used: str) -> str:
        message = f"no attached volume, or container with shares, binds or uses, named {used!r}"
        head, _, tail = used.partition(".")
        if head in self.configs and not tail and self.configs[head].instances:
            return f"{message}; {head!r} has instances, use one of {_names(self._instances_of(head))}"
        if head in self.configs and not tail:
            return f"{message}; container configuration {head!r} has no shares, binds or uses"
        if self.parent_mode and used in self.attached_owner:
            return (
                f"{message}; with use_attached_parent_name refer to it as {self.attached_owner[used]}.{used}"
            )
        return message

    def _instances_of(self, name: str) -> List[str]:
        return [f"{name}.{instance}" for instance in self.configs[name].instances]

    def check_links(self, name: str, config: ContainerConfiguration) -> None:
        for link in config.links:
            self._check_container_ref(f"{name}.links", link.container)
        for required in config.depends_on:
            if ref_name(required) not in self.configs:
                self._check_container_ref(f"{name}.depends_on", required)
        for endpoint in config.networks:
            network = ref_name(endpoint.network_name)
            if network not in DEFAULT_PRESET_NETWORKS and network not in self.map.networks:
                self.add(
                    f"{name}.networks",
                    f"no network configuration {network!r}; add it to the map's 'networks' section",
                )
            for link in endpoint.links or ():
                self._check_container_ref(f"{name}.networks", link.container)
        network_mode = config.network_mode
        if isinstance(network_mode, tuple):
            ref, instance = network_mode
            self._check_container_ref(f"{name}.network_mode", f"{ref}.{instance}" if instance else ref)

    def _check_container_ref(self, location: str, target: Any) -> None:
        name = ref_name(target)
        if name is None:
            self.add(location, f"container reference {target!r} does not resolve to a name")
            return
        if name in self.instance_names:
            return
        head, _, tail = name.partition(".")
        message = f"no container instance {name!r}"
        if head not in self.configs:
            message = f"{message}: no container configuration {head!r}"
        elif not tail:
            message = f"{message}: {head!r} has instances, refer to one of {_names(self._instances_of(head))}"
        else:
            message = f"{message}: {head!r} has no instance {tail!r}"
        self.add(location, message)


def _format_id(item: Any) -> str:
    if isinstance(item, MapConfigId):
        parts = [item.map_name, item.config_name] + ([item.instance_name] if item.instance_name else [])
        return ".".join(map(str, parts))
    return str(item)


def cycle_problems(ext_map: MapView) -> List[ConfigProblem]:
    """A problem naming the first dependency cycle found among the container instances, if any."""
    graph = dict(ext_map.dependency_items())
    try:
        dependency_order(graph, lambda item: graph.get(item, ()))
    except CircularDependency as exc:
        cycle: Optional[list] = getattr(exc, "cycle", None)
        start = cycle[0] if cycle else exc.item
        location = _format_id(start)
        if isinstance(start, MapConfigId):
            location = f"{start.map_name}.{start.config_name}"
        text = " -> ".join(map(_format_id, cycle)) if cycle else str(exc)
        return [ConfigProblem(location, f"dependency cycle: {text}")]
    return []


def reference_problems(ext_map: MapView, check_duplicates: bool = True) -> List[ConfigProblem]:
    """Every broken reference of an extended map: groups, volumes, links, networks, network modes, cycles,
    and engine names that are invalid or taken twice (see :mod:`.engine_names`)."""
    problems = name_rule_problems(ext_map) + collision_problems(ext_map)
    return problems + _Checker(ext_map).check(check_duplicates) + cycle_problems(ext_map)
