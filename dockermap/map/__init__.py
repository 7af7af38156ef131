"""Container utilities used throughout the map configuration: attribute dicts, flags and enums.

Kept free of heavy imports (no configuration classes, no Docker SDK), so that every other module may
import it.
"""

from __future__ import annotations

from collections import defaultdict
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, Optional, Tuple, Type, TypeVar

if TYPE_CHECKING:
    # The mixin is always combined with ``dict`` (or ``defaultdict``); type checkers see it as one.
    _DictBase = Dict[Any, Any]
else:
    _DictBase = object


class PropertyDictMeta(type):
    """Collects the properties of a class (and its bases), so that instances can tell them from keys.

    Sets ``external_properties`` (property names), ``internal_properties`` (the same names with a
    leading ``_``, where the values are stored) and ``core_property_set`` (both).
    """

    def __init__(cls, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        external = {key for key, value in namespace.items() if isinstance(value, property)}
        for base in bases:
            external.update(getattr(base, "external_properties", ()))
        cls.external_properties = frozenset(external)
        cls.internal_properties = frozenset(f"_{key}" for key in external)
        cls.core_property_set = cls.external_properties | cls.internal_properties


_Mixin = TypeVar("_Mixin", bound="AttributeMixin")


class AttributeMixin(_DictBase, metaclass=PropertyDictMeta):
    """A dict whose keys can also be read and written as attributes.

    Properties defined on the class are real attributes and never dict keys. Iterating yields
    ``(key, value)`` pairs.
    """

    external_properties: frozenset
    internal_properties: frozenset
    core_property_set: frozenset

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        properties = {key: kwargs.pop(key) for key in list(kwargs) if key in self.external_properties}
        super().__init__(*args, **kwargs)
        for key, value in properties.items():
            setattr(self, key, value)

    def __getattr__(self, name: str) -> Any:
        # Special and storage names are never dict keys; refusing them here keeps copy, pickle and
        # ``hasattr`` checks from creating entries in a DefaultDictMap.
        if (name.startswith("__") and name.endswith("__")) or name in self.core_property_set:
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        # Properties and other settable class-level attributes (e.g. ``default_factory``) stay attributes.
        if name in self.core_property_set or hasattr(getattr(type(self), name, None), "__set__"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __delattr__(self, name: str) -> None:
        if name in self.core_property_set or name in self.__dict__:
            object.__delattr__(self, name)
            return
        try:
            del self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[Tuple[Any, Any]]:
        return iter(self.items())

    def __bool__(self) -> bool:
        return len(self) > 0 or any(getattr(self, name, None) for name in self.internal_properties)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, dict):
            return NotImplemented
        if not dict.__eq__(self, other):
            return False
        return all(
            getattr(self, name, None) == getattr(other, name, None) for name in self.internal_properties
        )

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def update(self, other: Any = None, /, **kwargs: Any) -> None:
        """Update entries and properties from a same-class instance or a dict, then from ``kwargs``.

        Instances of the same class contribute their properties; dict keys (and keyword arguments) named
        like a property set that property.

        :raises TypeError: if ``other`` is neither.
        """
        if other is not None:
            if isinstance(other, type(self)):
                for name in self.internal_properties:
                    if name in other.__dict__:
                        object.__setattr__(self, name, other.__dict__[name])
                super().update(other.items())
            elif isinstance(other, dict):
                self._update_items(other)
            else:
                raise TypeError(f"{type(self).__name__} can be updated from a dict, not from {type(other)}.")
        self._update_items(kwargs)

    def _update_items(self, items: Dict[Any, Any]) -> None:
        """Set properties for property names among ``items`` and store the rest as entries."""
        entries = {}
        for key, value in items.items():
            if key in self.external_properties:
                setattr(self, key, value)
            else:
                entries[key] = value
        super().update(entries)

    def _copy_into(self, new: _Mixin) -> _Mixin:
        """Copy the instance attributes (e.g. stored property values) into ``new``."""
        new.__dict__.update(self.__dict__)
        return new

    def __repr__(self) -> str:
        # Stored values are shown rather than the properties, so showing an object has no side effects.
        parts = [
            f"{name}={self._shown(name, getattr(self, '_' + name, None))}"
            for name in sorted(self.external_properties)
        ]
        items = sorted(self.items(), key=lambda item: str(item[0]))
        parts.append("{" + ", ".join(f"{key!r}: {self._shown(key, value)}" for key, value in items) + "}")
        return f"<{type(self).__name__}({', '.join(parts)})>"

    def _shown(self, key: Any, value: Any) -> str:
        """How ``repr()`` shows the value of a property or entry (subclasses mask secrets here)."""
        return repr(value)


class DictMap(AttributeMixin, dict):
    """Dict with attribute access to its keys."""

    def copy(self) -> DictMap:
        """Shallow copy, including property values."""
        new = type(self).__new__(type(self))
        dict.update(new, self.items())
        return self._copy_into(new)


class DefaultDictMap(AttributeMixin, defaultdict):
    """Defaultdict with attribute access; reading a missing key, also as attribute, creates it."""

    def copy(self) -> DefaultDictMap:
        """Shallow copy, including the default factory and property values."""
        new = _new_default_dict_map(type(self), self.default_factory)
        dict.update(new, self.items())
        return self._copy_into(new)

    __copy__ = copy

    def __reduce__(self) -> tuple:
        # defaultdict's own version would call the subclass constructor and drop property values.
        return (
            _new_default_dict_map,
            (type(self), self.default_factory),
            self.__dict__,
            None,
            iter(self.items()),
        )


def _new_default_dict_map(
    cls: Type[DefaultDictMap], default_factory: Optional[Callable[[], Any]]
) -> DefaultDictMap:
    """Create an empty instance without running subclass constructors (for copies and unpickling)."""
    new = cls.__new__(cls)
    defaultdict.__init__(new, default_factory)
    return new


class FlagsMeta(type):
    """Turns the integer class attributes of a :class:`Flags` class into instances of that class."""

    def __init__(cls, name: str, bases: Tuple[type, ...], namespace: Dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        # Inherited fields are re-created as members of this class, so that e.g. ``NONE`` has its repr.
        values: Dict[str, int] = {}
        for base in reversed(bases):
            values.update(getattr(base, "_fields", {}))
        for key, value in namespace.items():
            if not key.startswith("_") and isinstance(value, int) and not isinstance(value, bool):
                values[key] = value
        cls._fields = {key: cls(value) for key, value in values.items()}
        for key, member in cls._fields.items():
            setattr(cls, key, member)


class Flags(int, metaclass=FlagsMeta):
    """Bit flags as an int: ``|`` and ``+`` combine, ``^`` and ``-`` toggle, ``x in flags`` tests.

    Integer class attributes of subclasses become flag instances; ``repr`` names the set fields.
    """

    _fields: Dict[str, Flags]

    NONE = 0

    def __or__(self, other: int) -> Flags:
        return type(self)(int(self) | int(other))

    def __xor__(self, other: int) -> Flags:
        return type(self)(int(self) ^ int(other))

    def __and__(self, other: int) -> Flags:
        return type(self)(int(self) & int(other))

    __add__ = __ror__ = __radd__ = __or__
    __sub__ = __rsub__ = __rxor__ = __xor__
    __rand__ = __and__

    def __contains__(self, item: int) -> bool:
        return int(self) & int(item) > 0

    def __repr__(self) -> str:
        value = int(self)
        names = [
            name
            for name, member in self._fields.items()
            if (member and member & value == member) or (not member and not value)
        ]
        covered = 0
        for name in names:
            covered |= self._fields[name]
        if value & ~covered:
            names.append(str(value & ~covered))
        return f"{type(self).__name__}({', '.join(names)})"


class SimpleEnum(Enum):
    """Enum whose ``repr`` is ``ClassName.MEMBER``."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.name}"
