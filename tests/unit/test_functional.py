"""Lazy values, the type registry and deep resolution."""

from __future__ import annotations

import pickle

import pytest

from dockermap import functional
from dockermap.functional import (
    LazyOnceObject,
    SimpleLazyObject,
    expand_type_name,
    lazy,
    lazy_once,
    lazy_type,
    register_type,
    resolve_deep,
    resolve_value,
    type_registry,
    uses_type_registry,
)

CALLS = []


def record_call(value, suffix=""):
    """Module-level function (picklable) that counts its calls."""
    CALLS.append(value)
    return f"{value}{suffix}"


def return_none():
    CALLS.append(None)


def return_list(*items):
    return list(items)


class Registered:
    """A type resolved through the registry."""

    def __init__(self, value):
        self.value = value


class RegisteredChild(Registered):
    pass


@pytest.fixture(autouse=True)
def clean_state():
    CALLS.clear()
    saved = dict(type_registry)
    yield
    type_registry.clear()
    type_registry.update(saved)


def test_aliases():
    assert lazy is SimpleLazyObject
    assert lazy_once is LazyOnceObject
    assert lazy_type is functional.AbstractLazyObject


def test_lazy_calls_function_on_every_access():
    value = lazy(record_call, "a", suffix="!")
    assert CALLS == []
    assert value.get() == "a!"
    assert value.value == "a!"
    assert value() == "a!"
    assert CALLS == ["a", "a", "a"]


def test_lazy_properties():
    value = lazy(record_call, "a", suffix="!")
    assert value.func is record_call
    assert value.args == ("a",)
    assert value.kwargs == {"suffix": "!"}


def test_lazy_once_evaluates_once():
    value = lazy_once(record_call, "b")
    assert value.evaluated is False
    assert value.get() == "b"
    assert value.get() == "b"
    assert value.evaluated is True
    assert CALLS == ["b"]


def test_lazy_once_caches_none():
    value = lazy_once(return_none)
    assert value.get() is None
    assert value.get() is None
    assert CALLS == [None]


def test_evaluating_operations():
    value = lazy(return_list, "x", "y")
    assert value == ["x", "y"]
    assert value != ["x"]
    assert not (value != ["x", "y"])
    assert "x" in value
    assert "z" not in value
    assert list(value) == ["x", "y"]
    assert str(lazy(record_call, 5)) == "5"


def test_hash_follows_value():
    assert hash(lazy(record_call, "k")) == hash("k")
    assert {lazy_once(record_call, "k"): 1}["k"] == 1


def test_repr_does_not_evaluate():
    value = lazy_once(record_call, "a", suffix="!")
    assert repr(value) == "<LazyOnceObject: record_call('a', suffix='!')>"
    assert CALLS == []


def test_abstract_lazy_object_cannot_be_instantiated():
    with pytest.raises(TypeError):
        lazy_type(record_call)


@pytest.mark.parametrize("lazy_class", [lazy, lazy_once])
def test_pickle_round_trip(lazy_class):
    value = lazy_class(record_call, "p", suffix="?")
    restored = pickle.loads(pickle.dumps(value))
    assert type(restored) is lazy_class
    assert restored.func is record_call
    assert restored.args == ("p",)
    assert restored.kwargs == {"suffix": "?"}
    assert restored.get() == "p?"


def test_pickle_keeps_evaluation_state_of_lazy_once():
    unevaluated = pickle.loads(pickle.dumps(lazy_once(record_call, "u")))
    assert unevaluated.evaluated is False
    evaluated = lazy_once(record_call, "e")
    evaluated.get()
    CALLS.clear()
    restored = pickle.loads(pickle.dumps(evaluated))
    assert restored.evaluated is True
    assert restored.get() == "e"
    assert CALLS == []


def test_expand_type_name():
    assert expand_type_name(Registered) == f"{__name__}.Registered"
    assert expand_type_name(int) == "builtins.int"


def test_register_type_and_resolve_value():
    register_type(Registered, lambda obj: obj.value * 2)
    assert uses_type_registry(Registered(1)) is True
    assert resolve_value(Registered(21)) == 42


def test_registry_matches_exact_type_only():
    register_type(Registered, lambda obj: obj.value)
    child = RegisteredChild(1)
    assert uses_type_registry(child) is False
    assert resolve_value(child) is child


def test_lazy_objects_do_not_count_as_registered():
    assert uses_type_registry(lazy(record_call, 1)) is False


@pytest.mark.parametrize(
    ("resolve_type", "resolve_func"),
    [("Registered", str), (Registered, "not callable"), (Registered(1), str)],
)
def test_register_type_rejects_invalid_arguments(resolve_type, resolve_func):
    with pytest.raises(ValueError):
        register_type(resolve_type, resolve_func)


def test_resolve_value_basics():
    assert resolve_value(None) is None
    assert resolve_value(lazy(record_call, "v")) == "v"
    marker = object()
    assert resolve_value(marker) is marker
    assert resolve_value(Registered(3), {expand_type_name(Registered): lambda obj: obj.value}) == 3


def nested(depth):
    """A lazy value at ``depth`` levels of list nesting below the top."""
    value = lazy(record_call, "deep")
    for _ in range(depth):
        value = [value]
    return value


def test_resolve_deep_converts_tuples_to_lists_and_resolves_dicts():
    key = lazy(record_call, "key")
    value = (lazy(record_call, "a"), {key: (lazy(record_call, "b"),)})
    assert resolve_deep(value) == ["a", {"key": ["b"]}]


def test_resolve_deep_top_value():
    assert resolve_deep(lazy(return_list, lazy(record_call, "x"))) == ["x"]
    assert resolve_deep(None) is None


def test_resolve_deep_resolves_down_to_max_depth():
    # The lazy value sits at depth 5: resolved with the default max_depth=5.
    assert resolve_deep(nested(5)) == [[[[["deep"]]]]]


def test_resolve_deep_leaves_values_below_max_depth_untouched():
    result = resolve_deep(nested(6))
    inner = result[0][0][0][0][0]
    assert isinstance(inner, list)  # depth 5: resolved (a plain list) but not descended
    assert isinstance(inner[0], SimpleLazyObject)
    assert CALLS == []


def test_resolve_deep_does_not_descend_at_max_depth():
    value = (lazy(record_call, "a"),)
    assert resolve_deep(value, max_depth=0) == value
    assert isinstance(resolve_deep(value, max_depth=0), tuple)
    assert resolve_deep(value, max_depth=1) == ["a"]


def test_resolve_deep_resolved_container_at_max_depth_stays_as_is():
    value = [lazy(return_list, lazy(record_call, "x"))]
    result = resolve_deep(value, max_depth=1)
    assert isinstance(result[0], list)
    assert isinstance(result[0][0], SimpleLazyObject)


def test_resolve_deep_extra_types_apply_to_this_call_only():
    types = {expand_type_name(Registered): lambda obj: obj.value}
    assert resolve_deep([Registered("r")], types=types) == ["r"]
    assert expand_type_name(Registered) not in type_registry
    obj = Registered("s")
    assert resolve_deep([obj]) == [obj]


def test_resolve_deep_uses_global_registry():
    register_type(Registered, lambda obj: obj.value.upper())
    assert resolve_deep({"a": [Registered("x")]}) == {"a": ["X"]}
