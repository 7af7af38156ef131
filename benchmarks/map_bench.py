"""Benchmark: build, integrity-check and resolve generated container maps of 1,000 and 10,000 containers.

Two shapes: a chain (each container links to and uses the previous one) and a fan-out (every container
uses one attached volume of a single root container). Prints the best CPU time of each phase and the
10k/1k ratio; exits with status 1 if any 10k case takes 12 times its 1k case or longer (linear work
grows about 10 times).

Run: ``python benchmarks/map_bench.py``
"""

from __future__ import annotations

import gc
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

from dockermap.map.config.main import ContainerMap
from dockermap.map.policy.dep import ContainerDependencyResolver

SIZES = (1_000, 10_000)
MAX_RATIO = 12.0
#: Runs per case; the best (least disturbed) CPU time of each phase counts.
REPEATS = {1_000: 25, 10_000: 5}


def chain_map(size: int) -> Dict[str, Any]:
    """``c0 <- c1 <- ...``: each container links to and uses (``volumes_from``) the previous one."""
    containers: Dict[str, Any] = {"c0": {"image": "base", "shares": "/data"}}
    for index in range(1, size):
        previous = f"c{index - 1}"
        containers[f"c{index}"] = {"image": "app", "links": previous, "uses": previous, "shares": "/data"}
    return {"containers": containers}


def fan_out_map(size: int) -> Dict[str, Any]:
    """One root container attaches a volume that every other container uses."""
    containers: Dict[str, Any] = {"root": {"image": "root", "attaches": "data"}}
    for index in range(1, size):
        containers[f"c{index}"] = {"image": "app", "uses": "data"}
    return {"containers": containers, "volumes": {"data": "/data"}}


SHAPES: Dict[str, Callable[[int], Dict[str, Any]]] = {"chain": chain_map, "fan-out": fan_out_map}


def build_map(data: Dict[str, Any]) -> ContainerMap:
    """Read the map dict and convert every value (the integrity check is measured separately)."""
    c_map = ContainerMap("bench", data, check_integrity=False)
    c_map.clean()
    return c_map


def resolve_all(c_map: ContainerMap) -> int:
    """Order every container with its dependencies, as ``startup('__all__')`` does; return the count."""
    items = list(c_map.dependency_items())
    resolver = ContainerDependencyResolver(items)
    ordered = resolver.get_ordered(item for item, _ in items)
    assert len(ordered) >= len(items)
    return len(items)


#: Written before every measured phase so that both sizes start with cold CPU caches (a 1,000-container
#: map would otherwise still sit in the cache from being built, a 10,000-container one would not).
_CACHE_FLUSH = bytearray(64 * 1024 * 1024)


def _flush_caches() -> None:
    _CACHE_FLUSH[::64] = bytes(len(_CACHE_FLUSH) // 64)


def _timed(action: Callable[..., Any], *args: Any) -> Tuple[Any, float]:
    """Run ``action(*args)`` on a settled heap with cold caches; return its result and CPU time.

    Everything alive before (the input, the map of the previous phase) is collected and frozen first,
    so that the garbage collector does not walk it again and again during the phase: the phases are
    compared by their own work. CPU time of this process is used so that other processes on the
    machine disturb the comparison as little as possible.
    """
    gc.collect()
    gc.freeze()
    _flush_caches()
    start = time.process_time()
    result = action(*args)
    seconds = time.process_time() - start
    gc.unfreeze()
    return result, seconds


def measure(shape: str, size: int) -> Dict[str, float]:
    """Best CPU time (seconds) of each phase over the runs."""
    best = {"build": float("inf"), "check": float("inf"), "resolve": float("inf")}
    for _ in range(REPEATS[size]):
        data = SHAPES[shape](size)
        c_map, build = _timed(build_map, data)
        _, check = _timed(c_map.check_integrity)
        count, resolve = _timed(resolve_all, c_map)
        assert count == size
        for phase, seconds in (("build", build), ("check", check), ("resolve", resolve)):
            best[phase] = min(best[phase], seconds)
        del c_map, data
    return best


def main() -> int:
    failures: List[str] = []
    print(f"{'shape':<8} {'phase':<8} " + " ".join(f"{size:>10,}" for size in SIZES) + f" {'ratio':>7}")
    for shape in SHAPES:
        times = {size: measure(shape, size) for size in SIZES}
        for phase in ("build", "check", "resolve"):
            small, large = times[SIZES[0]][phase], times[SIZES[-1]][phase]
            ratio = large / small
            cells = " ".join(f"{times[size][phase]:>9.3f}s" for size in SIZES)
            print(f"{shape:<8} {phase:<8} {cells} {ratio:>6.1f}x")
            if ratio >= MAX_RATIO:
                failures.append(f"{shape}/{phase}: 10k/1k = {ratio:.1f}x (limit {MAX_RATIO:.0f}x)")
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
