"""Plain data records: classes declared by their annotated fields, like :mod:`dataclasses`.

The standard ``@dataclass`` compiles the source of ``__init__``, ``__repr__`` and ``__eq__`` for every
class when its module is imported; for the records a ``dockermap`` command loads, that took longer than
everything else a no-op ``update`` does besides starting Python. ``@record`` gives the same behaviour
for the features dockermap uses, with methods shared by all records, so a class costs almost nothing
to create:

* ``__init__`` takes the fields positionally or by name, in declaration order, fills defaults and
  ``default_factory`` values, then calls ``__post_init__`` if the class has one;
* ``__repr__`` ``Name(field=value, ...)`` and ``__eq__`` (same class, equal fields), leaving out
  fields declared with ``repr=False`` / ``compare=False``;
* ``frozen=True``: fields cannot be assigned after ``__init__`` (``object.__setattr__`` still can,
  e.g. in ``__post_init__``), and equal records hash alike; other records are unhashable.

:func:`fields` lists a record's field names, :func:`asdict` gives its values by name, :func:`replace`
copies it with some fields changed, :func:`is_record` tells records apart.
The functions of :mod:`dataclasses` work on records as well (``dataclasses.fields``, ``replace``,
``asdict``, ``is_dataclass``): ``__dataclass_fields__`` is made when they first ask for it.
"""

# Without ``from __future__ import annotations``: typing.NamedTuple compiles each field's annotation
# when it is a string, which made importing this module several times slower.
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    FrozenSet,
    NamedTuple,
    Optional,
    Tuple,
    Type,
    TypeVar,
    overload,
)

from dockermap.exceptions import FrozenRecordError

if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:  # only type checkers read it (typing has it from Python 3.11 on)

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


__all__ = ["asdict", "field", "fields", "is_record", "record", "replace"]

_Record = TypeVar("_Record")
_MISSING: Any = object()


class _Field(NamedTuple):
    default: Any
    default_factory: Optional[Callable[[], Any]]
    repr: bool
    compare: bool
    hash: Optional[bool]


def field(
    *,
    default: Any = _MISSING,
    default_factory: Optional[Callable[[], Any]] = None,
    repr: bool = True,  # noqa: A002 -- the names of dataclasses.field
    compare: bool = True,
    hash: Optional[bool] = None,  # noqa: A002
) -> Any:
    """A field with a default (a value, or ``default_factory()`` for each record) or other settings."""
    return _Field(default, default_factory, repr, compare, hash)


class _Spec(NamedTuple):
    """A record class's fields, resolved once when the class is made."""

    names: Tuple[str, ...]
    known: FrozenSet[str]
    defaults: Dict[str, Any]
    factories: Dict[str, Callable[[], Any]]
    shown: Tuple[str, ...]
    compared: Tuple[str, ...]
    hashed: Tuple[str, ...]
    frozen: bool


def _own_fields(cls: type) -> Dict[str, _Field]:
    found = {}
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        declared = cls.__dict__.get(name, _MISSING)
        if isinstance(declared, _Field):
            spec = declared
            if spec.default is _MISSING:
                delattr(cls, name)  # a class attribute would hide a missing value
            else:
                setattr(cls, name, spec.default)
        else:
            spec = _Field(declared, None, True, True, None)
        found[name] = spec
    return found


def _make_spec(cls: type, frozen: bool) -> _Spec:
    declared: Dict[str, _Field] = {}
    for base in reversed(cls.__mro__[1:]):
        base_spec = base.__dict__.get("__record__")
        if base_spec is not None:
            declared.update(base.__dict__["__record_fields__"])
    declared.update(_own_fields(cls))
    cls.__record_fields__ = declared  # type: ignore[attr-defined]
    compared = tuple(name for name, spec in declared.items() if spec.compare)
    return _Spec(
        names=tuple(declared),
        known=frozenset(declared),
        defaults={name: spec.default for name, spec in declared.items() if spec.default is not _MISSING},
        factories={
            name: spec.default_factory for name, spec in declared.items() if spec.default_factory is not None
        },
        shown=tuple(name for name, spec in declared.items() if spec.repr),
        compared=compared,
        hashed=tuple(
            name for name, spec in declared.items() if (spec.compare if spec.hash is None else spec.hash)
        ),
        frozen=frozen,
    )


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    spec: _Spec = type(self).__record__
    names = spec.names
    if len(args) > len(names):
        raise TypeError(f"{type(self).__name__}() takes {len(names)} positional arguments, got {len(args)}")
    values = dict(zip(names, args))
    for name, value in kwargs.items():
        if name not in spec.known:
            raise TypeError(f"{type(self).__name__}() got an unexpected field {name!r}")
        if name in values:
            raise TypeError(f"{type(self).__name__}() got multiple values for field {name!r}")
        values[name] = value
    if len(values) != len(names):
        for name in names:
            if name in values:
                continue
            if name in spec.factories:
                values[name] = spec.factories[name]()
            elif name in spec.defaults:
                values[name] = spec.defaults[name]
            else:
                raise TypeError(f"{type(self).__name__}() missing field {name!r}")
    self.__dict__.update(values)
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record__.shown)
    return f"{type(self).__qualname__}({shown})"


def _values(self: Any, names: Tuple[str, ...]) -> Tuple[Any, ...]:
    return tuple([getattr(self, name) for name in names])


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compared = type(self).__record__.compared
    return _values(self, compared) == _values(other, compared)


def _hash(self: Any) -> int:
    return hash(_values(self, type(self).__record__.hashed))


def _frozen_setattr(self: Any, name: str, _value: Any) -> None:
    raise FrozenRecordError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenRecordError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")


class _DataclassFields:
    """``__dataclass_fields__`` of a record, made on first use, so that the functions of
    :mod:`dataclasses` (``fields``, ``replace``, ``asdict``, ``is_dataclass``) work on records too."""

    def __get__(self, instance: Any, owner: type) -> Dict[str, Any]:
        import dataclasses

        declared = []
        for name, spec in owner.__record_fields__.items():  # type: ignore[attr-defined]
            settings: Dict[str, Any] = {"repr": spec.repr, "compare": spec.compare, "hash": spec.hash}
            if spec.default_factory is not None:
                settings["default_factory"] = spec.default_factory
            elif spec.default is not _MISSING:
                settings["default"] = spec.default
            declared.append((name, _annotation(owner, name), dataclasses.field(**settings)))
        shadow: Any = dataclasses.make_dataclass(owner.__name__, declared)
        made: Dict[str, Any] = shadow.__dataclass_fields__
        type.__setattr__(owner, "__dataclass_fields__", made)  # made once per record class
        return made


def _annotation(owner: type, name: str) -> Any:
    for cls in owner.__mro__:
        if name in cls.__dict__.get("__annotations__", {}):
            return cls.__dict__["__annotations__"][name]
    return Any


def _decorate(cls: Type[_Record], frozen: bool) -> Type[_Record]:
    cls.__record__ = _make_spec(cls, frozen)  # type: ignore[attr-defined]
    members: Dict[str, Any] = {
        "__init__": _init,
        "__repr__": _repr,
        "__eq__": _eq,
        "__dataclass_fields__": _DataclassFields(),
    }
    if frozen:
        members.update(__hash__=_hash, __setattr__=_frozen_setattr, __delattr__=_frozen_delattr)
    else:
        members["__hash__"] = None
    for name, member in members.items():
        if name not in cls.__dict__:  # methods written in the class body stay
            setattr(cls, name, member)
    return cls


@overload
def record(cls: Type[_Record], /) -> Type[_Record]: ...


@overload
def record(*, frozen: bool = False) -> Callable[[Type[_Record]], Type[_Record]]: ...


@dataclass_transform(field_specifiers=(field,))
def record(cls: Any = None, /, *, frozen: bool = False) -> Any:
    """Make ``cls`` a record of its annotated fields (``@record`` or ``@record(frozen=True)``)."""
    if cls is None:
        return lambda undecorated: _decorate(undecorated, frozen)
    return _decorate(cls, frozen)


def fields(record_or_class: Any) -> Tuple[str, ...]:
    """The field names of a record class or record, in declaration order."""
    return record_or_class.__record__.names


def replace(instance: _Record, **changes: Any) -> _Record:
    """A copy of ``instance`` with ``changes`` applied (through ``__init__``, so checks run again)."""
    values = {name: getattr(instance, name) for name in fields(instance)}
    values.update(changes)
    return type(instance)(**values)


def asdict(instance: Any) -> Dict[str, Any]:
    """The fields of ``instance`` by name (values as they are: nested records are not converted)."""
    return {name: getattr(instance, name) for name in fields(instance)}


def is_record(value: Any) -> bool:
    """Whether ``value`` is a record (an instance, not a record class)."""
    return hasattr(type(value), "__record__")
