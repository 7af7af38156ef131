"""Configuration of the (named) volumes a container map refers to by alias."""

from __future__ import annotations

from typing import Any, Dict, List

from dockermap.map import DefaultDictMap
from dockermap.map.exceptions import ConfigProblem
from dockermap.map.input import bool_if_set

from . import CP, ConfigurationObject
from .values import is_lazy, mapping, scalar

_PATH = "an absolute path inside the container (string)"


def _is_path_value(value: Any) -> bool:
    return isinstance(value, str) or is_lazy(value)


class VolumeConfiguration(ConfigurationObject):
    """A volume alias: its default path in containers, driver and options, owner and permissions.

    A plain string (or lazy value) stands for ``default_path``; in a map, ``volumes: {alias: '/path'}``
    is the short form of ``volumes: {alias: {default_path: '/path'}}``.
    """

    __slots__ = ()

    DOCSTRINGS = {
        "default_path": "Path of the volume inside containers, unless an entry gives its own.",
        "driver": "Volume driver (default ``local``).",
        "driver_options": "Driver options.",
        "create_options": "Extra keyword arguments for creating the volume.",
        "user": "Owner set on the volume when it is attached (prepared).",
        "permissions": "``chmod`` mode set on the volume when it is attached (prepared).",
        "name": "Engine name of the volume, instead of the one derived from the map.",
        "external": "Made outside dockermap: mounted, never created, prepared or removed; it must exist.",
    }

    default_path = CP(input_func=scalar("volume path", _PATH, str))
    driver = CP(default="local", input_func=scalar("volume driver", "a driver name (string)", str))
    driver_options = CP(dict, input_func=mapping("driver_options"))
    create_options = CP(dict, input_func=mapping("create_options"))
    user = CP(input_func=scalar("volume user", "a user name or id", str, int))
    permissions = CP(
        input_func=scalar("volume permissions", "a chmod mode such as 'u=rwX,g=rX,o='", str, int)
    )
    name = CP(input_func=scalar("volume name", "an engine volume name (string)", str))
    external = CP(input_func=bool_if_set)

    def __init__(self, values: Any = None, **kwargs: Any) -> None:
        if _is_path_value(values):
            kwargs.setdefault("default_path", values)
            values = None
        super().__init__(values, **kwargs)

    def assign_problems(self, values: Any, location: str = "") -> List[ConfigProblem]:
        """Like the base class, but a path alone is valid too."""
        return [] if _is_path_value(values) else super().assign_problems(values, location)

    def assign_from_dict(self, values: Any, location: str = "") -> List[ConfigProblem]:
        """A path resets the volume to that ``default_path`` and defaults for the rest; dicts update."""
        if not _is_path_value(values):
            return super().assign_from_dict(values, location)
        for name, prop in self.CONFIG_PROPERTIES.items():
            self._config[name] = prop.new_default()
            self._modified.pop(name, None)
        self.default_path = values
        return []

    def merge_from_dict(self, dct: Any, lists_only: bool = False) -> None:
        """A path replaces ``default_path`` (not with ``lists_only``); dicts merge by the base rules."""
        if _is_path_value(dct):
            if not lists_only:
                self.clean()
                self.default_path = dct
                self.clean()
        else:
            super().merge_from_dict(dct, lists_only)


def _as_volume(value: Any) -> Any:
    if _is_path_value(value) or isinstance(value, dict):
        return VolumeConfiguration(value)
    return value


class VolumeConfigurationMap(DefaultDictMap):
    """Volume alias → :class:`VolumeConfiguration`; assigning a path (or dict) wraps it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(VolumeConfiguration)
        self.update(*args, **kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, _as_volume(value))

    def update(self, other: Any = None, /, **kwargs: Any) -> None:
        """Update like a dict, wrapping paths and dicts as volume configurations."""
        if isinstance(other, dict) and not isinstance(other, VolumeConfigurationMap):
            other = {key: _as_volume(value) for key, value in other.items()}
        super().update(other, **{key: _as_volume(value) for key, value in kwargs.items()})

    def _values_of(self, name: str) -> Dict[Any, Any]:
        return {alias: getattr(config, name) for alias, config in self.items()}

    def get_default_paths(self) -> Dict[Any, Any]:
        """Alias → default path."""
        return self._values_of("default_path")

    def get_users(self) -> Dict[Any, Any]:
        """Alias → owner."""
        return self._values_of("user")

    def get_permissions(self) -> Dict[Any, Any]:
        """Alias → permissions."""
        return self._values_of("permissions")
