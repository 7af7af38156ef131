"""The container map: container configurations plus the volumes, host paths and networks they share."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple

from dockermap.functional import resolve_value
from dockermap.map import DefaultDictMap, DictMap
from dockermap.map.exceptions import ConfigProblem, MapIntegrityError
from dockermap.map.input import MapConfigId, NotSet, bool_if_set
from dockermap.refs import ImageRef
from dockermap.utils import closest_name

from . import CP, ConfigurationObject, join_location
from .container import ContainerConfiguration
from .dependencies import dependency_items
from .extends import extend_configs
from .host_volume import HostVolumeConfiguration
from .integrity import reference_problems
from .network import NetworkConfiguration
from .values import choice, get_groups, invalid, is_lazy, name_list, scalar
from .volume import VolumeConfiguration, VolumeConfigurationMap

#: Keys of a map dict that are not container configurations (besides the map properties).
SECTION_KEYS = ("containers", "networks", "volumes", "host", "host_root")


def _is_text(value: Any) -> bool:
    return (isinstance(value, str) and bool(value)) or is_lazy(value)


class ContainerMap(ConfigurationObject):
    """A named set of container configurations with their volumes, host paths and networks.

    ``initial`` is a dict (containers at the top level or under ``containers``, plus the sections
    ``volumes``, ``host``, ``host_root``, ``networks`` and the map properties) or another map, which is
    copied; ``kwargs`` are read like ``initial``. Unless ``check_integrity`` is false, every value is
    converted and every reference checked; all problems are raised together as one
    :class:`~dockermap.map.exceptions.MapIntegrityError`. Structural problems (unknown keys, sections
    that are not mappings) are raised in any case.
    """

    DOCSTRINGS = {
        "repository": "Registry or repository prefix for image names without ``/``.",
        "clients": "Names of the clients this map is deployed to (default: the default client).",
        "groups": "Group name → list of ``'config'``, ``'config.instance'`` or ``MapConfigId`` members.",
        "default_domain": "Domain name of new containers, unless the client configuration sets one.",
        "set_hostname": "Whether containers get a host name derived from their name (on when unset).",
        "use_attached_parent_name": "Attached volume names include the owning configuration name.",
        "default_tag": "Tag of images given without one (default ``latest``).",
        "naming": "``compose``: containers, volumes and networks are named as Docker Compose names them.",
        "adopt_unlabelled": "Use objects without dockermap's labels under this map's names as they are.",
        "recreate_volumes": "How ``update`` recreates a volume whose driver or options changed: "
        "``'copy'`` (keeps the data) or ``'discard'``; unset: refuse.",
    }

    repository = CP(input_func=scalar("repository", "a registry or repository prefix (string)", str))
    clients = CP(list, input_func=name_list("client name"))
    groups = CP(dict, default=DictMap, input_func=get_groups)
    default_domain = CP(input_func=scalar("default_domain", "a domain name (string)", str))
    set_hostname = CP(input_func=bool_if_set)
    use_attached_parent_name = CP(input_func=bool_if_set)
    default_tag = CP(input_func=scalar("default_tag", "a tag (string; quote numbers in YAML)", str))
    naming = CP(input_func=choice("naming", ("compose",)))
    adopt_unlabelled = CP(input_func=bool_if_set)
    recreate_volumes = CP(input_func=choice("recreate_volumes", ("discard", "copy")))

    def __init__(
        self,
        name: str,
        initial: Any = None,
        check_integrity: bool = True,
        check_duplicates: bool = True,
        **kwargs: Any,
    ) -> None:
        if not (isinstance(name, str) and name):
            raise invalid("map name", name, "a non-empty string")
        self._name = name
        self._extended = False
        self._containers = DefaultDictMap(ContainerConfiguration)
        self._volumes = VolumeConfigurationMap()
        self._networks = DefaultDictMap(NetworkConfiguration)
        self._host = HostVolumeConfiguration()
        super().__init__()
        problems: List[ConfigProblem] = []
        if isinstance(initial, ContainerMap):
            self.update_from_obj(initial, copy=True)
        elif initial is not None:
            problems.extend(self.assign_from_dict(initial))
        problems.extend(self.assign_from_dict(kwargs))
        if check_integrity:
            problems.extend(self._integrity_problems(check_duplicates))
        if problems:
            raise MapIntegrityError(problems)

    # --- reading a map dict -----------------------------------------------------------------------------

    def assign_problems(self, values: Any, location: str = "") -> List[ConfigProblem]:
        """Problems :meth:`update_from_dict` would report for ``values`` (nothing is changed)."""
        return ContainerMap(self._name, check_integrity=False).assign_from_dict(values, location)

    def assign_from_dict(self, values: Any, location: str = "") -> List[ConfigProblem]:
        """Read a map dict into this map (values unconverted); return the structural problems found."""
        location = location or self._name
        if not values:
            return []
        if not isinstance(values, dict):
            return [ConfigProblem(location, f"expected a mapping of map keys, got {type(values).__name__}")]
        problems: List[ConfigProblem] = []
        for key, value in values.items():
            if isinstance(key, str) and key in self.CONFIG_PROPERTIES:
                setattr(self, key, value)
            elif key == "containers":
                for name, config in self._section_items(value, join_location(location, key), problems):
                    problems.extend(self._assign_container(name, config, location))
            elif key == "networks":
                for name, config in self._section_items(value, join_location(location, key), problems):
                    problems.extend(self._assign_network(name, config, join_location(location, key)))
            elif key == "volumes":
                for alias, config in self._section_items(value, join_location(location, key), problems):
                    problems.extend(self._assign_volume(alias, config, join_location(location, key)))
            elif key == "host":
                for alias, path in self._section_items(value, join_location(location, key), problems):
                    problems.extend(self._assign_host(alias, path, join_location(location, key)))
            elif key == "host_root":
                problems.extend(self._assign_host("root", value, location, "host_root"))
            else:
                problems.extend(self._assign_container(key, value, location))
        return problems

    @staticmethod
    def _section_items(value: Any, location: str, problems: List[ConfigProblem]) -> List[Tuple[Any, Any]]:
        if value is None:
            return []
        if not isinstance(value, dict):
            problems.append(ConfigProblem(location, f"expected a mapping, got {type(value).__name__}"))
            return []
        return list(value.items())

    @staticmethod
    def _check_name(name: Any, location: str, what: str) -> List[ConfigProblem]:
        if isinstance(name, str) and name:
            return []
        return [ConfigProblem(join_location(location, name), f"{what} must be a non-empty string")]

    def _assign_container(self, name: Any, values: Any, location: str) -> List[ConfigProblem]:
        problems = self._check_name(name, location, "container configuration name")
        if problems:
            return problems
        config_location = join_location(location, name)
        if values is not None and not isinstance(values, dict):
            message = f"expected a mapping of container settings, got {type(values).__name__}"
            if name == "name":
                message += "; the map name is not a map key: pass it to ContainerMap(name, ...)"
            return [ConfigProblem(config_location, message + self._section_hint(name))]
        problems = self._containers[name].assign_from_dict(values, config_location)
        hint = self._section_hint(name) if problems else ""
        if hint:
            problems.append(ConfigProblem(config_location, f"read as a container configuration{hint}"))
        return problems

    def _section_hint(self, name: str) -> str:
        keys = list(SECTION_KEYS) + list(self.CONFIG_PROPERTIES)
        close = closest_name(name, keys, cutoff=0.75)
        return f"; did you mean the map key {close!r}?" if close else ""

    def _assign_network(self, name: Any, values: Any, location: str) -> List[ConfigProblem]:
        problems = self._check_name(name, location, "network name")
        if problems:
            return problems
        if values is not None and not isinstance(values, dict):
            return [
                ConfigProblem(
                    join_location(location, name),
                    f"expected a mapping of network settings, got {type(values).__name__}",
                )
            ]
        return self._networks[name].assign_from_dict(values, join_location(location, name))

    def _assign_volume(self, alias: Any, values: Any, location: str) -> List[ConfigProblem]:
        problems = self._check_name(alias, location, "volume alias")
        if problems:
            return problems
        if not (values is None or _is_text(values) or isinstance(values, dict)):
            return [
                ConfigProblem(
                    join_location(location, alias),
                    f"expected a path or a mapping of volume settings, got {type(values).__name__}",
                )
            ]
        return self._volumes[alias].assign_from_dict(values, join_location(location, alias))

    def _assign_host(
        self, alias: Any, path: Any, location: str, key: Optional[str] = None
    ) -> List[ConfigProblem]:
        problems = self._check_name(alias, location, "host volume alias")
        if problems:
            return problems
        key_location = join_location(location, key or alias)
        if alias == "root":
            if path is None or _is_text(path):
                self._host.root = NotSet if path is None else path
                return []
            return [ConfigProblem(key_location, f"expected a directory path, got {type(path).__name__}")]
        if _is_text(path) or (
            isinstance(path, dict)
            and path
            and all(isinstance(item, str) and item and _is_text(value) for item, value in path.items())
        ):
            self._host[alias] = path
            return []
        return [
            ConfigProblem(key_location, "expected a host path or a mapping of instance names to host paths")
        ]

    # --- integrity --------------------------------------------------------------------------------------

    def _integrity_problems(self, check_duplicates: bool) -> List[ConfigProblem]:
        problems = self.clean_problems()
        if problems:
            return problems
        extended, problems = self._extend_all()
        if problems:
            return problems
        return reference_problems(self._extended_from(extended, None), check_duplicates)

    def check_integrity(self, check_duplicates: bool = True) -> None:
        """Convert all values and check every reference; raise one error listing all problems.

        Malformed values and ``extends`` problems are reported first: the reference checks need
        well-formed, extended configurations.

        :raises dockermap.map.exceptions.MapIntegrityError: if anything is wrong.
        """
        problems = self._integrity_problems(check_duplicates)
        if problems:
            raise MapIntegrityError(problems)

    # --- conversion, copies, comparison -----------------------------------------------------------------

    def clean_problems(self, location: str = "") -> List[ConfigProblem]:
        """Convert every pending value of the map and its items; return the malformed ones as problems."""
        location = location or self._name
        problems: List[ConfigProblem] = []
        for name, config in self._containers.items():
            problems.extend(config.clean_problems(join_location(location, name)))
        for name, network in self._networks.items():
            problems.extend(network.clean_problems(f"{location}.networks.{name}"))
        for alias, volume in self._volumes.items():
            problems.extend(volume.clean_problems(f"{location}.volumes.{alias}"))
        problems.extend(super().clean_problems(location))
        return problems

    def update_from_obj(self, obj: ContainerMap, copy: bool = False, update_containers: bool = True) -> None:
        """Take over the items, host paths and properties of ``obj`` (cleaned first)."""
        obj.clean()
        if update_containers:
            for name, config in obj._containers.items():
                self._containers[name].update_from_obj(config, copy)
        for name, network in obj._networks.items():
            self._networks[name].update_from_obj(network, copy)
        for alias, volume in obj._volumes.items():
            self._volumes[alias].update_from_obj(volume, copy)
        self._host.update(dict(obj._host.items()))
        self._host.root = obj._host.root
        super().update_from_obj(obj, copy)

    def merge_from_obj(self, obj: ContainerMap, lists_only: bool = False) -> None:
        """Merge ``obj`` into this map: existing items by their merge rules, new items copied."""
        self.clean()
        obj.clean()
        for own, other in ((self._containers, obj._containers), (self._networks, obj._networks)):
            for name, config in other.items():
                if name in own:
                    own[name].merge_from_obj(config, lists_only)
                else:
                    own[name] = config.copy()
        for alias, volume in obj._volumes.items():
            if alias in self._volumes:
                self._volumes[alias].merge_from_obj(volume, lists_only)
            else:
                self._volumes[alias] = volume.copy()
        self._host.update(dict(obj._host.items()))
        if obj._host.root and not lists_only:
            self._host.root = obj._host.root
        super().merge_from_obj(obj, lists_only)

    def merge_from_dict(self, dct: Any, lists_only: bool = False) -> None:
        """Merge a map dict (read and converted completely first, so a bad dict changes nothing)."""
        other = ContainerMap(self._name, check_integrity=False)
        problems = other.assign_from_dict(dct) + other.clean_problems()
        if problems:
            raise MapIntegrityError(problems)
        self.merge_from_obj(other, lists_only)

    def copy(self) -> ContainerMap:
        """A copy of the map and all its items (lists and dicts copied one level)."""
        result = ContainerMap(self._name, self, check_integrity=False)
        result._extended = self._extended
        return result

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ContainerMap)
            and super().__eq__(other)
            and other._name == self._name
            and other._extended == self._extended
            and other._containers == self._containers
            and other._networks == self._networks
            and other._volumes == self._volumes
            and other._host == self._host
        )

    __hash__ = None

    def __iter__(self) -> Iterator[Tuple[str, ContainerConfiguration]]:
        """``(name, configuration)`` of every non-abstract container configuration."""
        return ((name, config) for name, config in self._containers.items() if not config.abstract)

    def __repr__(self) -> str:
        return f"<ContainerMap({self._name!r}, {len(self._containers)} containers)>"

    def as_dict(self) -> Dict[str, Any]:
        """The map as a dict that :class:`ContainerMap` reads back into an equal map."""
        result = super().as_dict()
        for key, items in (
            ("containers", self._containers),
            ("volumes", self._volumes),
            ("networks", self._networks),
        ):
            if items:
                result[key] = {name: config.as_dict() for name, config in items.items()}
        result["host"] = dict(self._host.items())
        if self._host.root:
            result["host_root"] = self._host.root
        return result

    # --- accessors --------------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """Name of the map; the first part of container, volume and network names."""
        return self._name

    @property
    def is_extended(self) -> bool:
        """Whether this is an extended map (``extends`` merged, abstract configurations dropped)."""
        return self._extended

    def _replace_section(self, key: str, value: Any, cls: type) -> Any:
        if isinstance(value, cls):
            return value
        current = getattr(self, f"_{key}")
        scratch = ContainerMap(self._name, check_integrity=False)
        problems = scratch.assign_from_dict({key: value})
        if problems:
            raise MapIntegrityError(problems)
        current.clear()
        self.assign_from_dict({key: value})
        return current

    @property
    def containers(self) -> DefaultDictMap:
        """Configuration name → :class:`~dockermap.map.config.container.ContainerConfiguration`."""
        return self._containers

    @containers.setter
    def containers(self, value: Any) -> None:
        self._containers = self._replace_section("containers", value, DefaultDictMap)

    @property
    def networks(self) -> DefaultDictMap:
        """Network name → :class:`~dockermap.map.config.network.NetworkConfiguration`."""
        return self._networks

    @networks.setter
    def networks(self, value: Any) -> None:
        self._networks = self._replace_section("networks", value, DefaultDictMap)

    @property
    def volumes(self) -> VolumeConfigurationMap:
        """Volume alias → :class:`~dockermap.map.config.volume.VolumeConfiguration`."""
        return self._volumes

    @volumes.setter
    def volumes(self, value: Any) -> None:
        self._volumes = self._replace_section("volumes", value, VolumeConfigurationMap)

    @property
    def host(self) -> HostVolumeConfiguration:
        """Host paths of bound volume aliases (with ``root``)."""
        return self._host

    @host.setter
    def host(self, value: Any) -> None:
        if isinstance(value, dict) and not isinstance(value, HostVolumeConfiguration):
            self._host.root = NotSet
        self._host = self._replace_section("host", value, HostVolumeConfiguration)

    def get(self, name: str) -> ContainerConfiguration:
        """The container configuration ``name``, created if missing."""
        return self._containers[name]

    def get_existing(self, name: str) -> Optional[ContainerConfiguration]:
        """The container configuration ``name``, or ``None``."""
        return self._containers.get(name)

    def get_network(self, name: str) -> NetworkConfiguration:
        """The network configuration ``name``, created if missing."""
        return self._networks[name]

    def get_existing_network(self, name: str) -> Optional[NetworkConfiguration]:
        """The network configuration ``name``, or ``None``."""
        return self._networks.get(name)

    def get_volume(self, alias: str) -> VolumeConfiguration:
        """The volume configuration ``alias``, created if missing."""
        return self._volumes[alias]

    def get_existing_volume(self, alias: str) -> Optional[VolumeConfiguration]:
        """The volume configuration ``alias``, or ``None``."""
        return self._volumes.get(alias)

    # --- derived information ----------------------------------------------------------------------------

    def get_image(self, image: Any) -> Tuple[str, str]:
        """``(name, tag)`` of an image reference, with the map's ``repository`` and ``default_tag``.

        A name without ``/`` gets the repository prefix; a leading ``/`` marks a name that must not get
        it. A ``:`` starts the tag only if no ``/`` follows (``registry:5000/image`` has no tag). A digest
        reference keeps its digest: ``app@sha256:<hex>`` gives ``('app@sha256', '<hex>')``, which
        ``name:tag`` formats back into the same reference.
        """
        ref = ImageRef.parse(resolve_value(image))
        name = ref.repository
        if name.startswith("/"):
            name = name[1:]
        elif "/" not in name:
            repository = resolve_value(self.repository)
            if repository:
                name = f"{repository}/{name}"
        if ref.digest:
            algorithm, _, hexdigest = ref.digest.partition(":")
            return f"{name}{f':{ref.tag}' if ref.tag else ''}@{algorithm}", hexdigest
        return name, ref.tag or resolve_value(self.default_tag) or "latest"

    def get_persistent_items(self) -> Tuple[List[Tuple[str, Any]], List[Tuple[str, Optional[str]]]]:
        """``(attached, persistent)``: ``(config, volume)`` of every attached volume and ``(config,
        instance)`` of every instance of persistent configurations."""
        ext = self if self._extended else self.get_extended_map()
        attached = [(name, volume) for name, config in ext for volume in config.attaches]
        persistent = [
            (name, instance)
            for name, config in ext
            if config.persistent
            for instance in config.instances or (None,)
        ]
        return attached, persistent

    def dependency_items(self) -> Iterator[Tuple[MapConfigId, List[MapConfigId]]]:
        """``(container instance id, dependencies)`` for every instance (see the "Container maps" guide)."""
        return dependency_items(self if self._extended else self.get_extended_map())

    # --- extension --------------------------------------------------------------------------------------

    def _extend_all(self) -> Tuple[Dict[str, ContainerConfiguration], List[ConfigProblem]]:
        names = [name for name, _ in self]
        return extend_configs(names, self._containers.get, self._name)

    def get_extended(self, config: Any) -> ContainerConfiguration:
        """``config`` (a configuration or its name) with its ``extends`` bases merged in.

        :raises dockermap.map.exceptions.MapIntegrityError: for an unknown base or an ``extends`` cycle.
        """
        if isinstance(config, str):
            config = self._containers[config]
        if self._extended or not config.extends:
            return config
        config.clean()
        key = next((name for name, item in self._containers.items() if item is config), "<config>")

        def lookup(name: str) -> Optional[ContainerConfiguration]:
            return config if name == key else self._containers.get(name)

        extended, problems = extend_configs([key], lookup, self._name)
        if problems:
            raise MapIntegrityError(problems)
        return extended[key]

    def _extended_from(self, extended: Dict[str, ContainerConfiguration], defaults: Any) -> ContainerMap:
        ext = ContainerMap(self._name, check_integrity=False)
        if defaults:
            ext.update(defaults)
        for name, network in self._networks.items():
            ext._networks[name].update_from_obj(network, copy=True)
        for alias, volume in self._volumes.items():
            ext._volumes[alias].update_from_obj(volume, copy=True)
        ext._host.update(dict(self._host.items()))
        if self._host.root:
            ext._host.root = self._host.root
        for name, prop in self.CONFIG_PROPERTIES.items():
            value = self._config[name]
            is_set = bool(value) if prop.is_list or prop.is_dict else value is not NotSet
            if is_set:
                ext._config[name] = prop.copy_value(value)
                ext._modified.pop(name, None)
        ext._containers.update(extended)
        ext._extended = True
        return ext

    def get_extended_map(self, defaults: Any = None) -> ContainerMap:
        """A new map with every non-abstract configuration extended; abstract ones are dropped.

        Configurations without ``extends`` are the same objects as in this map (as :meth:`get_extended`
        returns them): treat the extended map as read-only.

        ``defaults`` (a map dict or map) provides values for everything this map leaves unset: map
        properties, ``host_root``, and additional volumes, networks, host paths and containers.
        """
        self.clean()
        extended, problems = self._extend_all()
        if problems:
            raise MapIntegrityError(problems)
        return self._extended_from(extended, defaults)
