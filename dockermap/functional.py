"""Late value resolution: lazy values and a registry of types resolved at use time.

Configuration values may be given as lazy objects (a function plus its arguments) or as instances of a
registered type; dockermap resolves them only when it actually needs the value, e.g. when it builds the
arguments of a Docker call. :func:`resolve_value` resolves one value, :func:`resolve_deep` a nested
structure of lists, tuples and dicts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Callable, Dict, Iterator, Mapping, Optional

#: Resolve functions of registered types, keyed by ``'<module>.<TypeName>'`` (see :func:`register_type`).
type_registry: Dict[str, Callable[[Any], Any]] = {}


class AbstractLazyObject(ABC):
    """A value computed by calling ``func(*args, **kwargs)`` when it is needed.

    Comparison, ``str()``, ``in`` and iteration act on the computed value. Lazy objects pickle
    (as long as the function and its arguments do), so configurations holding them can be copied to
    other processes.
    """

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._func = func
        self._args = args
        self._kwargs = kwargs

    @abstractmethod
    def get(self) -> Any:
        """Return the value."""

    @property
    def value(self) -> Any:
        """The value, same as :meth:`get`."""
        return self.get()

    @property
    def func(self) -> Callable[..., Any]:
        """The function that computes the value."""
        return self._func

    @property
    def args(self) -> tuple:
        """Positional arguments passed to :attr:`func`."""
        return self._args

    @property
    def kwargs(self) -> dict:
        """Keyword arguments passed to :attr:`func`."""
        return self._kwargs

    def __call__(self) -> Any:
        return self.get()

    def __str__(self) -> str:
        return str(self.get())

    def __repr__(self) -> str:
        arguments = [repr(arg) for arg in self._args]
        arguments.extend(f"{key}={value!r}" for key, value in self._kwargs.items())
        func_name = getattr(self._func, "__qualname__", repr(self._func))
        return f"<{type(self).__name__}: {func_name}({', '.join(arguments)})>"

    def __eq__(self, other: object) -> bool:
        return self.get() == other

    def __ne__(self, other: object) -> bool:
        return self.get() != other

    def __hash__(self) -> int:
        # Consistent with ``==``: a lazy value hashes like the value it stands for.
        return hash(self.get())

    def __contains__(self, item: Any) -> bool:
        return item in self.get()

    def __iter__(self) -> Iterator[Any]:
        return iter(self.get())

    def __reduce__(self) -> tuple:
        # The constructor takes the function and positional arguments; the rest travels as state.
        return type(self), (self._func, *self._args), self.__dict__.copy()


class SimpleLazyObject(AbstractLazyObject):
    """Lazy value that calls its function on every access."""

    def get(self) -> Any:
        return self._func(*self._args, **self._kwargs)


class LazyOnceObject(AbstractLazyObject):
    """Lazy value that calls its function on first access and keeps the result (also ``None``)."""

    def __init__(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(func, *args, **kwargs)
        self._evaluated = False
        self._value: Any = None

    @property
    def evaluated(self) -> bool:
        """Whether the function has been called already."""
        return self._evaluated

    def get(self) -> Any:
        if not self._evaluated:
            self._value = self._func(*self._args, **self._kwargs)
            self._evaluated = True
        return self._value


lazy_type = AbstractLazyObject
lazy = SimpleLazyObject
lazy_once = LazyOnceObject


def expand_type_name(type_: type) -> str:
    """Return the registry key of a type: ``'<module>.<name>'``."""
    return f"{type_.__module__}.{type_.__name__}"


def register_type(resolve_type: type, resolve_func: Callable[[Any], Any]) -> None:
    """Register ``resolve_func`` for resolving instances of exactly ``resolve_type`` (not its subclasses).

    :raises ValueError: if ``resolve_type`` is not a type or ``resolve_func`` is not callable.
    """
    if not isinstance(resolve_type, type):
        raise ValueError(f"Expected a type to register, got {resolve_type!r}.")
    if not callable(resolve_func):
        raise ValueError(f"Resolve function for {expand_type_name(resolve_type)} is not callable.")
    type_registry[expand_type_name(resolve_type)] = resolve_func


def uses_type_registry(value: Any) -> bool:
    """Whether the exact type of ``value`` is registered (lazy objects do not count)."""
    return expand_type_name(type(value)) in type_registry


def resolve_value(value: Any, types: Mapping[str, Callable[[Any], Any]] = type_registry) -> Any:
    """Resolve a single value: evaluate lazy objects and registered types, return anything else as is."""
    if value is None:
        return None
    if isinstance(value, AbstractLazyObject):
        return value.get()
    resolve_func = types.get(expand_type_name(type(value)))
    if resolve_func is not None:
        return resolve_func(value)
    return value


def resolve_deep(
    values: Any, max_depth: int = 5, types: Optional[Mapping[str, Callable[[Any], Any]]] = None
) -> Any:
    """Resolve a value and the contents of lists, tuples and dicts inside it, down to ``max_depth``.

    The top value has depth 0. Every value down to depth ``max_depth`` is resolved; a (resolved) list,
    tuple or dict is descended into only while its own depth is below ``max_depth``. Descended lists and
    tuples come back as lists, descended dicts with resolved keys and values. Anything deeper is returned
    untouched, so lazy objects there stay unevaluated. ``types`` adds resolve functions for this call only.
    """
    all_types = {**type_registry, **types} if types else type_registry

    def _resolve(value: Any, depth: int) -> Any:
        if depth > max_depth:
            return value
        resolved = resolve_value(value, all_types)
        if depth < max_depth:
            if isinstance(resolved, (list, tuple)):
                return [_resolve(item, depth + 1) for item in resolved]
            if isinstance(resolved, dict):
                return {
                    resolve_value(key, all_types): _resolve(item, depth + 1) for key, item in resolved.items()
                }
        return resolved

    return _resolve(values, 0)
