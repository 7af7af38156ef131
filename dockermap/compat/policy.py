"""The classic policy class (``dockermap.map.policy.base.BasePolicy``, ``MappingDockerClient.policy_class``).

Today the engine names follow fixed rules (:mod:`dockermap.map.names`), and states, actions and runs are
made by :class:`~dockermap.map.client.MappingDockerClient`. :class:`BasePolicy` keeps the name helpers as
class methods (called on a policy, they give the names of its maps: their ``naming`` and configured
names) and the dependency look-ups; a subclass that changes a name rule cannot be honoured and is
refused by :func:`check_policy_class`.
"""

from __future__ import annotations

from types import MethodType
from typing import Any, Dict, List, Optional, Tuple

from dockermap import DEFAULT_BASEIMAGE, DEFAULT_COREIMAGE, DEFAULT_HOSTNAME_REPLACEMENT
from dockermap.map.client import MapPolicy
from dockermap.map.flags import ConfigFlags
from dockermap.map.input import MapConfigId
from dockermap.map.names import (
    DEFAULT_CLIENT_NAME,
    container_name,
    engine_container_name,
    engine_network_name,
    engine_volume_name,
    hostname,
    network_name,
    volume_name,
)

__all__ = ["BasePolicy", "ConfigFlags", "check_policy_class"]

#: Members of the classic policy that have no counterpart, and what to use instead.
_REPLACED = {
    name: "MappingDockerClient.get_states() or plan()"
    for name in (
        "container_names",
        "images",
        "network_names",
        "volume_names",
        "default_volume_paths",
        "volume_users",
        "volume_permissions",
    )
}
#: Class members a subclass may not change: the engine names and defaults are fixed today.
_FIXED = ("cname", "aname", "nname", "get_hostname", "resolve_cname", "get_default_client_name")
_FIXED_VALUES = ("default_client_name", "hostname_replace")


class _class_or_policy_method(classmethod):
    """A class method that gets the policy instead of its class when called on a policy, so that a name
    helper can read the policy's maps (called on the class, it follows the fixed rules)."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return super().__get__(obj, owner)
        return MethodType(self.__func__, obj)


def _policy_map(owner: Any, map_name: str) -> Any:
    """The extended map ``map_name`` of a policy instance; ``None`` for the class or an unknown map."""
    return owner.container_maps.get(map_name) if isinstance(owner, BasePolicy) else None


class BasePolicy:
    """The classic policy: the name helpers, and the extended maps with their dependencies.

    :param container_maps: map name -> :class:`~dockermap.map.config.main.ContainerMap`.
    :param clients: client name -> :class:`~dockermap.map.config.client.ClientConfiguration`.
    :param map_defaults: defaults applied when the maps are extended.
    :param option_defaults: defaults of the call options.
    """

    core_image = DEFAULT_COREIMAGE
    base_image = DEFAULT_BASEIMAGE
    default_client_name = DEFAULT_CLIENT_NAME
    hostname_replace = DEFAULT_HOSTNAME_REPLACEMENT
    default_network_names = ["bridge"]

    def __init__(
        self,
        container_maps: Dict[str, Any],
        clients: Dict[str, Any],
        map_defaults: Any = None,
        option_defaults: Optional[Dict[str, Any]] = None,
    ) -> None:
        self._derived = MapPolicy.from_maps(container_maps, map_defaults)
        self._clients = clients
        self._option_defaults = dict(option_defaults or {})

    def __getattr__(self, name: str) -> Any:
        if name in _REPLACED:
            raise AttributeError(f"BasePolicy.{name} is gone; use {_REPLACED[name]}.")
        raise AttributeError(name)

    @classmethod
    def get_default_client_name(cls) -> str:
        """Name of the client used when a map lists none."""
        return cls.default_client_name

    @_class_or_policy_method
    def cname(owner: Any, map_name: str, container: str, instance: Optional[str] = None) -> str:
        """Engine name of a container: ``map.container`` or ``map.container.instance``; on a policy, the
        name its map gives (``naming``, ``container_name``)."""
        ext_map = _policy_map(owner, map_name)
        if ext_map is not None:
            return engine_container_name(ext_map, container, instance)
        return container_name(map_name, container, instance)

    @_class_or_policy_method
    def aname(owner: Any, map_name: str, attached_name: str, parent_name: Optional[str] = None) -> str:
        """Engine name of an attached volume: ``map.attached`` or ``map.parent.attached``; on a policy,
        the name its map gives (``naming``, the volume's ``name``)."""
        ext_map = _policy_map(owner, map_name)
        if ext_map is not None:
            return engine_volume_name(ext_map, attached_name, parent_name)
        return volume_name(map_name, attached_name, parent_name)

    @_class_or_policy_method
    def nname(owner: Any, map_name: str, network_name_: str) -> str:
        """Engine name of a network: ``map.network``; ``host``, ``bridge`` and ``none`` as they are; on a
        policy, the name its map gives (``naming``, the network's ``name``)."""
        ext_map = _policy_map(owner, map_name)
        if ext_map is not None:
            return engine_network_name(ext_map, network_name_)
        return network_name(map_name, network_name_)

    @classmethod
    def get_hostname(cls, container_name_: str, client_name: Optional[str] = None) -> str:
        """Host name of a container (``_`` and ``.`` replaced by ``-``; ``-<client>`` on other clients)."""
        return hostname(container_name_, client_name, cls.hostname_replace)

    @classmethod
    def resolve_cname(cls, container_name_: str, includes_map: bool = True) -> Tuple[Optional[str], ...]:
        """``(map, config, instance)`` of a container name (``(config, instance)`` without the map)."""
        if includes_map:
            map_name, _, rest = container_name_.partition(".")
            if not rest:
                raise ValueError(f"Invalid container name: {container_name_}")
            config, _, instance = rest.partition(".")
            return map_name, config, instance or None
        config, _, instance = container_name_.partition(".")
        return config, instance or None

    def get_dependencies(self, config_id: MapConfigId) -> List[MapConfigId]:
        """What the item depends on, dependencies first."""
        return self._derived.forward.get_dependencies(config_id)

    def get_dependents(self, config_id: MapConfigId) -> List[MapConfigId]:
        """What depends on the item, the farthest dependents first."""
        return self._derived.reverse.get_dependencies(config_id)

    @property
    def container_maps(self) -> Dict[str, Any]:
        """The extended maps by name."""
        return self._derived.maps

    @property
    def clients(self) -> Dict[str, Any]:
        """The client configurations by name."""
        return self._clients

    @property
    def option_defaults(self) -> Dict[str, Any]:
        """The defaults of the call options."""
        return self._option_defaults


def check_policy_class(policy_class: Any) -> None:
    """Refuse a ``policy_class`` that changes what dockermap no longer lets a policy change.

    :raises TypeError: naming the member and what to do instead.
    """
    if not (isinstance(policy_class, type) and issubclass(policy_class, BasePolicy)):
        raise TypeError(
            "policy_class must be BasePolicy (dockermap.map.policy.base) or a subclass, "
            f"got {policy_class!r}."
        )
    for name in _FIXED:
        if getattr(policy_class, name).__func__ is not getattr(BasePolicy, name).__func__:
            raise TypeError(
                f"{policy_class.__name__}.{name} changes a name rule; engine names follow fixed rules now "
                "(dockermap.map.names). Remove the override."
            )
    for name in _FIXED_VALUES:
        if getattr(policy_class, name) != getattr(BasePolicy, name):
            raise TypeError(
                f"{policy_class.__name__}.{name} cannot be changed any more (dockermap.map.names). Remove it."
            )
    for name in ("core_image", "base_image"):
        if getattr(policy_class, name) != getattr(BasePolicy, name):
            raise TypeError(
                f"{policy_class.__name__}.{name} is not read any more; pass "
                f"option_defaults={{{name!r}: ...}} to MappingDockerClient instead."
            )
