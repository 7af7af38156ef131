"""Configuration objects: typed, mergeable property bags with deferred input conversion.

A :class:`ConfigurationObject` subclass declares its settings as :class:`ConfigurationProperty` (``CP``)
class attributes. Assigned values are stored raw and only converted by :meth:`~ConfigurationObject.clean`
(explicitly, or before merging and serialising), so that a whole map can be read first and every
malformed value reported at once, each with its location.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar

from dockermap.exceptions import InvalidArgumentError
from dockermap.map.exceptions import ConfigProblem, MapIntegrityError
from dockermap.map.input import NamedTupleList, NotSet, get_list
from dockermap.utils import closest_name, merge_list

__all__ = ["CP", "ConfigurationMeta", "ConfigurationObject", "ConfigurationProperty", "join_location"]

_IMMUTABLE_TYPES = (bool, int, float, complex, str, bytes, tuple, frozenset)


def join_location(location: str, key: Any) -> str:
    """Dotted location of ``key`` below ``location`` (``'main.web'`` + ``'binds'`` → ``'main.web.binds'``)."""
    return f"{location}.{key}" if location else str(key)


class ConfigurationProperty(
    namedtuple("ConfigurationProperty", ("attr_type", "default", "input_func", "merge_func"))
):
    """Declaration of one configuration setting.

    ``attr_type`` is the value type (``None``: any scalar); mutable types without an explicit default get
    the type itself as default, so every object receives a fresh instance. List types default to
    conversion by the list class (named-tuple lists) or :func:`~dockermap.map.input.get_list`, and to
    merging with :func:`~dockermap.utils.merge_list`. ``merge_func=False`` means "never merged".
    """

    __slots__ = ()

    def __new__(
        cls,
        attr_type: Optional[type] = None,
        default: Any = NotSet,
        input_func: Optional[Callable[[Any], Any]] = None,
        merge_func: Any = None,
    ) -> ConfigurationProperty:
        if attr_type is not None and default is NotSet and not issubclass(attr_type, _IMMUTABLE_TYPES):
            default = attr_type
        if attr_type is not None and issubclass(attr_type, list):
            if input_func is None:
                input_func = attr_type if issubclass(attr_type, NamedTupleList) else get_list
            if merge_func is None:
                merge_func = merge_list
        return super().__new__(cls, attr_type, default, input_func, merge_func)

    @property
    def is_list(self) -> bool:
        """Whether the value is a list."""
        return self.attr_type is not None and issubclass(self.attr_type, list)

    @property
    def is_dict(self) -> bool:
        """Whether the value is a dict."""
        return self.attr_type is not None and issubclass(self.attr_type, dict)

    def new_default(self) -> Any:
        """The default value: a fresh instance for callable (type) defaults."""
        return self.default() if callable(self.default) else self.default

    def copy_value(self, value: Any) -> Any:
        """A shallow copy of a list or dict value (keeping its class); other values as they are."""
        if isinstance(value, dict):
            return value.copy()
        if isinstance(value, list):
            return value.__class__(value)
        return value


#: Short alias used in the class bodies. ``ConfigurationMeta`` turns each declaration into a property, so
#: type checkers see a declaration's value as ``Any``.
CP: Any = ConfigurationProperty


def _config_property(name: str, doc: Optional[str]) -> property:
    def getter(self: ConfigurationObject) -> Any:
        return self._config[name]

    def setter(self: ConfigurationObject, value: Any) -> None:
        self._config[name] = value
        self._modified[name] = None

    return property(getter, setter, doc=doc)


class _Values(dict):
    """The values of one configuration object. Unset values are not stored: reading one returns the
    class default, and a default made by a factory (a fresh list or dict) is stored on first access so
    that changes to it stick. Keeps thousands of mostly default configurations small."""

    __slots__ = ()
    DEFAULTS: Dict[str, Tuple[Any, bool]] = {}

    def __missing__(self, name: str) -> Any:
        default, factory = self.DEFAULTS[name]
        if factory:
            value = self[name] = default()
            return value
        return default

    def complete(self) -> Dict[str, Any]:
        """Every value, unset ones as their defaults, in declaration order."""
        return {name: self[name] for name in self.DEFAULTS}


class ConfigurationMeta(type):
    """Turns every ``CP`` class attribute into a property and records them in ``CONFIG_PROPERTIES``."""

    def __new__(mcs, name: str, bases: tuple, namespace: Dict[str, Any]) -> ConfigurationMeta:
        properties: Dict[str, ConfigurationProperty] = OrderedDict()
        for base in reversed(bases):
            properties.update(getattr(base, "CONFIG_PROPERTIES", {}))
        docstrings = namespace.get("DOCSTRINGS", {})
        for attr_name, value in list(namespace.items()):
            if isinstance(value, ConfigurationProperty):
                properties[attr_name] = value
                namespace[attr_name] = _config_property(attr_name, docstrings.get(attr_name))
        namespace["CONFIG_PROPERTIES"] = properties
        defaults = {
            attr_name: (prop.default, callable(prop.default)) for attr_name, prop in properties.items()
        }
        namespace["_VALUES"] = type(f"{name}Values", (_Values,), {"__slots__": (), "DEFAULTS": defaults})
        return super().__new__(mcs, name, bases, namespace)


def unknown_key(
    location: str, key: Any, valid: Iterable[str], places: Optional[Mapping[str, str]] = None
) -> ConfigProblem:
    """A problem for an unknown setting, naming where it belongs (``places``: key → right place) or
    suggesting the closest valid key."""
    if isinstance(key, str) and places and key in places:
        return ConfigProblem(join_location(location, key), f"unknown key; set it as {places[key]}")
    valid = list(valid)
    close = closest_name(key, valid)
    hint = f"did you mean {close!r}?" if close else f"valid keys are {', '.join(valid)}"
    return ConfigProblem(join_location(location, key), f"unknown key; {hint}")


_Config = TypeVar("_Config", bound="ConfigurationObject")


class ConfigurationObject(metaclass=ConfigurationMeta):
    """Base of the configuration classes: typed settings, deferred conversion, merging, serialisation.

    ``values`` (a dict or an object of the same class, which is copied) and ``kwargs`` initialise it.
    Unknown keys and, on :meth:`clean`, malformed values raise
    :class:`~dockermap.map.exceptions.MapIntegrityError` listing every problem.
    """

    #: No per-object ``__dict__``: maps hold thousands of these, and small objects keep them cache-friendly.
    __slots__ = ("_config", "_modified")

    CONFIG_PROPERTIES: Dict[str, ConfigurationProperty] = OrderedDict()
    DOCSTRINGS: Dict[str, str] = {}
    #: Keys that are not settings here but belong elsewhere, with that place (for the unknown-key error).
    KEY_PLACES: Mapping[str, str] = {}
    _VALUES: type = _Values

    def __init__(self, values: Any = None, **kwargs: Any) -> None:
        self._config = self._VALUES()
        # Names assigned but not converted yet (a dict: far smaller than an empty set).
        self._modified: Dict[str, None] = {}
        if values is not None:
            self.update(values, copy_instance=True)
        if kwargs:
            self.update_from_dict(kwargs)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._config.complete() == self._config.complete()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        items = ", ".join(
            f"{'(Modified) ' if name in self._modified else ''}{name}={value!r}"
            for name, value in self._config.complete().items()
        )
        return f"<{self.__class__.__name__}({items})>"

    # --- assignment -------------------------------------------------------------------------------------

    def assign_problems(self, values: Any, location: str = "") -> List[ConfigProblem]:
        """Problems :meth:`update_from_dict` would report for ``values`` (nothing is changed)."""
        if not values:
            return []
        if not isinstance(values, dict):
            return [ConfigProblem(location, f"expected a mapping of settings, got {type(values).__name__}")]
        return [
            unknown_key(location, key, self.CONFIG_PROPERTIES, self.KEY_PLACES)
            for key in values
            if not (isinstance(key, str) and key in self.CONFIG_PROPERTIES)
        ]

    def assign_from_dict(self, values: Any, location: str = "") -> List[ConfigProblem]:
        """Assign the known keys of ``values`` (raw, converted by :meth:`clean`); return the problems."""
        problems = self.assign_problems(values, location)
        if values and isinstance(values, dict):
            for key, value in values.items():
                if isinstance(key, str) and key in self.CONFIG_PROPERTIES:
                    setattr(self, key, value)
        return problems

    def update_from_dict(self, dct: Any) -> None:
        """Assign every key of ``dct`` (unconverted); unknown keys raise and nothing is changed."""
        problems = self.assign_problems(dct)
        if problems:
            raise MapIntegrityError(problems)
        self.assign_from_dict(dct)

    def update_from_obj(self: _Config, obj: _Config, copy: bool = False) -> None:
        """Take over every (cleaned) value of ``obj``, unset ones too; ``copy`` copies lists and dicts."""
        obj.clean()
        for name, prop in self.CONFIG_PROPERTIES.items():
            value = obj._config[name]
            self._config[name] = prop.copy_value(value) if copy else value
            self._modified.pop(name, None)

    def update(self, values: Any, copy_instance: bool = False) -> None:
        """Update from an object of the same class (:meth:`update_from_obj`) or a dict."""
        if isinstance(values, self.__class__):
            self.update_from_obj(values, copy=copy_instance)
        elif isinstance(values, dict):
            self.update_from_dict(values)
        else:
            raise InvalidArgumentError(
                f"Invalid {self.__class__.__name__} input {type(values).__name__}: "
                f"expected a dict or a {self.__class__.__name__}."
            )

    # --- conversion -------------------------------------------------------------------------------------

    def clean_problems(self, location: str = "") -> List[ConfigProblem]:
        """Convert every modified value separately; failures are returned (and stay pending), not raised."""
        problems: List[ConfigProblem] = []
        if not self._modified:
            return problems
        for name, prop in self.CONFIG_PROPERTIES.items():
            if name not in self._modified:
                continue
            if prop.input_func is not None:
                try:
                    self._config[name] = prop.input_func(self._config[name])
                except ValueError as exc:
                    problems.append(ConfigProblem(join_location(location, name), str(exc)))
                    continue
            self._modified.pop(name, None)
        return problems

    def clean(self) -> None:
        """Convert every modified value; raises one error listing all malformed values."""
        problems = self.clean_problems()
        if problems:
            raise MapIntegrityError(problems)

    @property
    def is_clean(self) -> bool:
        """Whether every assigned value has been converted."""
        return not self._modified

    # --- merging ----------------------------------------------------------------------------------------

    def _mergeable(self, lists_only: bool) -> Iterable[tuple]:
        for name, prop in self.CONFIG_PROPERTIES.items():
            if prop.merge_func is not False and (prop.is_list or not lists_only):
                yield name, prop

    def merge_from_dict(self, dct: Any, lists_only: bool = False) -> None:
        """Merge the values of ``dct`` (converted first) by each property's merge rule.

        All values are converted before anything is merged, so a malformed value changes nothing.
        """
        self.clean()
        problems = self.assign_problems(dct)
        converted = {}
        for name, prop in self._mergeable(lists_only):
            if not isinstance(dct, dict) or name not in dct or dct[name] == prop.default:
                continue
            try:
                converted[name] = prop.input_func(dct[name]) if prop.input_func else dct[name]
            except ValueError as exc:
                problems.append(ConfigProblem(name, str(exc)))
        if problems:
            raise MapIntegrityError(problems)
        for name, value in converted.items():
            self._merge_value(name, value)

    def merge_from_obj(self: _Config, obj: _Config, lists_only: bool = False) -> None:
        """Merge the (cleaned) values of ``obj`` that differ from their defaults by each merge rule."""
        self.clean()
        obj.clean()
        for name, prop in self._mergeable(lists_only):
            value = obj._config[name]
            if prop.is_list or prop.is_dict or value != prop.default:
                self._merge_value(name, value)

    def merge(self, values: Any, lists_only: bool = False) -> None:
        """Merge from an object of the same class or a dict (see :meth:`merge_from_dict`)."""
        if isinstance(values, self.__class__):
            self.merge_from_obj(values, lists_only=lists_only)
        elif isinstance(values, dict):
            self.merge_from_dict(values, lists_only=lists_only)
        else:
            raise InvalidArgumentError(
                f"Invalid {self.__class__.__name__} input {type(values).__name__}: "
                f"expected a dict or a {self.__class__.__name__}."
            )

    def _merge_value(self, name: str, value: Any) -> None:
        prop = self.CONFIG_PROPERTIES[name]
        current = self._config[name]
        if prop.is_list or prop.is_dict:
            if not value:
                return
            if not current:
                self._config[name] = prop.copy_value(value)
            elif prop.merge_func:
                prop.merge_func(current, value)
            else:
                current.update(value)
        elif prop.merge_func and value:
            self._config[name] = prop.merge_func(current, value)
        else:
            self._config[name] = value

    # --- copies and serialisation -----------------------------------------------------------------------

    def copy(self) -> ConfigurationObject:
        """A cleaned copy (lists and dicts copied one level)."""
        return self.__class__(self)

    def as_dict(self) -> Dict[str, Any]:
        """Cleaned values (a dict in declaration order): lists and dicts when non-empty, scalars when set."""
        self.clean()
        result: Dict[str, Any] = {}
        for name, prop in self.CONFIG_PROPERTIES.items():
            value = self._config[name]
            if prop.is_list:
                if value:
                    result[name] = [item._asdict() if hasattr(item, "_asdict") else item for item in value]
            elif prop.is_dict:
                if value:
                    result[name] = dict(value)
            elif value is not NotSet:
                result[name] = value
        return result
