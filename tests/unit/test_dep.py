"""Generic dependency resolvers: order, caching, cycles and scale."""

from __future__ import annotations

import pickle
import random
import sys

import pytest

from dockermap.dep import (
    BaseDependencyResolver,
    CachedDependency,
    CircularDependency,
    ImageDependentsResolver,
    MultiForwardDependencyResolver,
    MultiReverseDependencyResolver,
    NotInitialized,
)

LARGE = 10_000


def reference_resolution(graph, item, memo):
    """The ordering rule, written recursively: parents' resolutions in turn, then the parents."""
    if item not in memo:
        merged = {}
        for parent in graph.get(item, ()):
            merged.update(dict.fromkeys(reference_resolution(graph, parent, memo)))
        merged.update(dict.fromkeys(graph.get(item, ())))
        memo[item] = list(merged)
    return memo[item]


def test_parents_resolutions_come_first_then_the_parents():
    resolver = MultiForwardDependencyResolver({"a": ["b", "c"], "b": ["d"], "c": ["e"]})
    assert resolver.get_dependencies("a") == ["d", "e", "b", "c"]
    assert resolver.get_dependencies("b") == ["d"]


def test_shared_dependency_listed_once_at_first_position():
    resolver = MultiForwardDependencyResolver({"a": ["b", "c"], "b": ["d"], "c": ["d", "e"]})
    assert resolver.get_dependencies("a") == ["d", "e", "b", "c"]
    assert resolver.get_dependencies("c") == ["d", "e"]


def test_unknown_item_and_leaves():
    resolver = MultiForwardDependencyResolver([("a", ["b"])])
    assert resolver.get_dependencies("unknown") == []
    assert resolver.get_dependencies("b") == []
    assert "a" in resolver
    assert "b" not in resolver


def test_get_returns_direct_parents():
    resolver = MultiForwardDependencyResolver({"a": ["b", "c"], "b": ["d"]})
    assert resolver.get("a") == ["b", "c"]
    assert resolver.get("x") == []


def test_returned_lists_are_copies():
    resolver = MultiForwardDependencyResolver({"a": ["b"], "b": ["c"]})
    result = resolver.get_dependencies("a")
    result.append("junk")
    assert resolver.get_dependencies("a") == ["c", "b"]


def test_results_are_cached():
    resolver = MultiForwardDependencyResolver({"a": ["b"], "b": ["c"]})
    resolver.get_dependencies("a")
    assert resolver._deps["a"].dependencies is not NotInitialized
    assert list(resolver._deps["a"].dependencies) == ["c", "b"]
    resolver.reset()
    assert resolver._deps["a"].dependencies is NotInitialized


def test_update_merges_links_and_refreshes_results():
    resolver = MultiForwardDependencyResolver({"a": ["b"]})
    assert resolver.get_dependencies("a") == ["b"]
    resolver.update([("a", ["c", "b"]), ("c", ["d"])])
    assert resolver.get("a") == ["b", "c"]
    assert resolver.get_dependencies("a") == ["d", "b", "c"]


def test_reverse_resolver_lists_farthest_dependents_first():
    resolver = MultiReverseDependencyResolver({"web": ["app"], "app": ["db", "cache"], "worker": ["db"]})
    assert resolver.get("db") == ["app", "worker"]
    assert resolver.get_dependencies("db") == ["web", "app", "worker"]
    assert resolver.get_dependencies("cache") == ["web", "app"]
    assert resolver.get_dependencies("web") == []


def test_image_dependents_resolver():
    images = [("base", ""), ("mid", "base"), ("top", "mid"), ("other", "base")]
    resolver = ImageDependentsResolver(images)
    assert resolver.get_dependencies("base") == ["top", "mid", "other"]
    assert resolver.get_dependencies("mid") == ["top"]
    assert resolver.get_dependencies("top") == []
    assert "" not in resolver


def test_cached_dependency():
    node = CachedDependency(["a", "b", "a"])
    assert node.parent == ["a", "b"]
    assert node.dependencies is NotInitialized
    node.add_parents(["c", "b"])
    assert node.parent == ["a", "b", "c"]


def test_not_initialized_is_a_pickle_safe_singleton():
    assert repr(NotInitialized) == "NotInitialized"
    assert pickle.loads(pickle.dumps(NotInitialized)) is NotInitialized


def test_base_resolver_is_abstract():
    with pytest.raises(TypeError):
        BaseDependencyResolver()


def test_expands_hook_stops_resolution():
    class SkipLeaves(MultiForwardDependencyResolver):
        def expands(self, item):
            return not item.startswith("leaf")

    resolver = SkipLeaves({"a": ["leaf1", "b"], "leaf1": ["hidden"], "b": ["c"]})
    assert resolver.get_dependencies("a") == ["c", "leaf1", "b"]


# Cycles


def assert_cycle(resolver, query, item, cycle, is_direct=False):
    with pytest.raises(CircularDependency) as exc_info:
        resolver.get_dependencies(query)
    error = exc_info.value
    assert error.item == item
    assert error.is_direct is is_direct
    assert error.cycle == cycle
    return error


def test_self_reference_is_a_direct_cycle():
    error = assert_cycle(MultiForwardDependencyResolver({"a": ["a"]}), "a", "a", ["a", "a"], is_direct=True)
    assert str(error) == "a refers to itself as a dependency."


def test_two_cycle():
    error = assert_cycle(MultiForwardDependencyResolver({"a": ["b"], "b": ["a"]}), "a", "a", ["a", "b", "a"])
    assert str(error) == "a has a dependency that refers back to it: a -> b -> a"


def test_long_indirect_cycle():
    graph = {f"n{i}": [f"n{i + 1}"] for i in range(50)}
    graph["n50"] = ["n0"]
    error = assert_cycle(
        MultiForwardDependencyResolver(graph), "n0", "n0", [f"n{i}" for i in range(51)] + ["n0"]
    )
    assert str(error).startswith("n0 has a dependency that refers back to it: n0 -> n1 -> n2 -> ")


def test_cycle_reached_from_a_node_outside_it():
    resolver = MultiForwardDependencyResolver({"x": ["ok", "a"], "a": ["b"], "b": ["c"], "c": ["a"]})
    error = assert_cycle(resolver, "x", "a", ["a", "b", "c", "a"])
    assert str(error) == "a has a dependency that refers back to it: a -> b -> c -> a"
    # Parts of the graph outside the cycle still resolve.
    assert resolver.get_dependencies("ok") == []


def test_self_reference_reached_indirectly():
    resolver = MultiForwardDependencyResolver({"x": ["y"], "y": ["z", "y"]})
    assert_cycle(resolver, "x", "y", ["y", "y"], is_direct=True)


def test_cycle_in_reverse_resolver():
    resolver = MultiReverseDependencyResolver({"a": ["b"], "b": ["c"], "c": ["a"]})
    assert_cycle(resolver, "a", "a", ["a", "c", "b", "a"])


def test_cycle_detected_after_other_results_were_cached():
    resolver = MultiForwardDependencyResolver({"a": ["b"], "b": ["c"]})
    assert resolver.get_dependencies("a") == ["c", "b"]
    resolver.update({"c": ["a"]})
    assert_cycle(resolver, "a", "a", ["a", "b", "c", "a"])


def test_classic_messages_and_pickling():
    assert str(CircularDependency("a", True)) == "a refers to itself as a dependency."
    assert str(CircularDependency("a")) == "a has a dependency that refers back to it."
    restored = pickle.loads(pickle.dumps(CircularDependency("a", cycle=["a", "b", "a"])))
    assert (restored.item, restored.is_direct, restored.cycle) == ("a", False, ["a", "b", "a"])


# Scale: no recursion limit, roughly linear work


def chain(length):
    """Item ``i`` depends on item ``i - 1``."""
    return [(i, [i - 1]) for i in range(1, length)]


def test_long_chain_resolves_without_recursion_error():
    length = max(LARGE, sys.getrecursionlimit() * 3)
    resolver = MultiForwardDependencyResolver(chain(length))
    assert resolver.get_dependencies(length - 1) == list(range(length - 1))
    reverse = MultiReverseDependencyResolver(chain(length))
    assert reverse.get_dependencies(0) == list(range(length - 1, 0, -1))


def test_long_cycle_raises_circular_dependency():
    graph = chain(LARGE)
    graph.append((0, [LARGE - 1]))
    with pytest.raises(CircularDependency) as exc_info:
        MultiForwardDependencyResolver(graph).get_dependencies(LARGE - 1)
    assert len(exc_info.value.cycle) == LARGE + 1


@pytest.mark.parametrize("resolver_class", [MultiForwardDependencyResolver, MultiReverseDependencyResolver])
@pytest.mark.parametrize("descending", [False, True])
def test_resolving_every_item_of_a_long_chain(resolver_class, descending):
    # Speed is measured by benchmarks/map_bench.py; here only the results of a deep graph.
    resolver = resolver_class(chain(LARGE))
    items = range(LARGE - 1, -1, -1) if descending else range(LARGE)
    total = sum(len(resolver.get_dependencies(item)) for item in items)
    assert total == LARGE * (LARGE - 1) // 2


@pytest.mark.parametrize("resolver_class", [MultiForwardDependencyResolver, MultiReverseDependencyResolver])
def test_fan_out(resolver_class):
    resolver = resolver_class([(i, [0]) for i in range(1, LARGE)])
    results = [resolver.get_dependencies(item) for item in range(LARGE)]
    assert sum(len(result) for result in results) == LARGE - 1


def test_wide_diamond():
    # Items 1..N-2 depend on 0; item N-1 depends on all of them.
    graph = [(i, [0]) for i in range(1, LARGE - 1)]
    graph.append((LARGE - 1, list(range(1, LARGE - 1))))
    resolver = MultiForwardDependencyResolver(graph)
    reverse = MultiReverseDependencyResolver(graph)
    assert resolver.get_dependencies(LARGE - 1) == list(range(LARGE - 1))
    assert reverse.get_dependencies(0) == [LARGE - 1, *range(1, LARGE - 1)]
    forward_total = sum(len(resolver.get_dependencies(item)) for item in range(LARGE))
    assert forward_total == (LARGE - 2) + (LARGE - 1)


def test_matches_reference_rule_on_random_graphs():
    rng = random.Random(4)
    for _ in range(200):
        size = rng.randint(1, 60)
        graph = {i: rng.sample(range(i), min(i, rng.randint(0, 4))) for i in range(size)}
        names = list(range(size))
        rng.shuffle(names)
        graph = {names[item]: [names[parent] for parent in parents] for item, parents in graph.items()}
        resolver = MultiForwardDependencyResolver(graph)
        memo = {}
        queries = list(range(size))
        rng.shuffle(queries)
        for item in queries:
            assert resolver.get_dependencies(item) == reference_resolution(graph, item, memo)


def test_get_ordered_puts_dependencies_first_once_each():
    resolver = MultiForwardDependencyResolver([("c", ["a", "b"]), ("b", ["a"]), ("d", ["c"]), ("e", [])])
    assert resolver.get_ordered(["d", "e", "b"]) == ["a", "b", "c", "d", "e"]
    assert resolver.get_ordered(["x"]) == ["x"]


def test_get_ordered_reverse_puts_dependents_first():
    reverse = MultiReverseDependencyResolver([("c", ["a", "b"]), ("b", ["a"])])
    order = reverse.get_ordered(["a"])
    assert order.index("c") < order.index("b") < order.index("a")


def test_get_ordered_of_a_long_chain_and_its_cycles():
    resolver = MultiForwardDependencyResolver(chain(LARGE))
    assert resolver.get_ordered(range(LARGE - 1, -1, -1)) == list(range(LARGE))
    graph = chain(LARGE)
    graph.append((0, [LARGE - 1]))
    with pytest.raises(CircularDependency) as exc_info:
        MultiForwardDependencyResolver(graph).get_ordered([5])
    assert len(exc_info.value.cycle) == LARGE + 1
    with pytest.raises(CircularDependency):
        MultiForwardDependencyResolver([("a", ["a"])]).get_ordered(["a"])
