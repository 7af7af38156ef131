"""Runs the actions of a plan as a dependency graph: each one as soon as the actions it waits for
finished, with at most ``max_workers`` at a time (and at most a given number per client).

With one worker the actions run in the calling thread, in plan order. After a failure no further
action starts; those already running finish and are reported, so a caller sees every action that
completed, in the order they completed.
"""

from __future__ import annotations

import heapq
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Dict, FrozenSet, Iterator, List, Mapping, Optional, Sequence, Tuple

from ..items import Action

#: What each finished action gives: its index, its result, and the exception it raised (or ``None``).
Completion = Tuple[int, Any, Optional[BaseException]]


class _Graph:
    """Which actions may start: those whose every dependency finished; lowest index first."""

    def __init__(self, depends_on: Sequence[FrozenSet[int]]) -> None:
        self.waiting = [len(waits) for waits in depends_on]
        self.dependents: List[List[int]] = [[] for _ in depends_on]
        for index, waits in enumerate(depends_on):
            for earlier in waits:
                self.dependents[earlier].append(index)
        self.ready = [index for index, count in enumerate(self.waiting) if count == 0]

    def pop(self) -> int:
        return heapq.heappop(self.ready)

    def finished(self, index: int) -> None:
        for later in self.dependents[index]:
            self.waiting[later] -= 1
            if self.waiting[later] == 0:
                heapq.heappush(self.ready, later)


def run_graph(
    actions: Sequence[Action],
    depends_on: Sequence[FrozenSet[int]],
    execute: Callable[[Action], Any],
    max_workers: int,
    client_limits: Optional[Mapping[str, int]] = None,
) -> Iterator[Completion]:
    """Execute ``actions`` respecting ``depends_on``; yields each completion as it happens.

    :param max_workers: most actions running at once; 1 runs them one by one in plan order.
    :param client_limits: most actions running at once on one client (by client name).
    """
    graph = _Graph(depends_on)
    if max_workers <= 1:
        while graph.ready:
            index = graph.pop()
            try:
                result = execute(actions[index])
            except Exception as exc:
                yield index, None, exc
                return
            yield index, result, None
            graph.finished(index)
        return
    yield from _run_pooled(actions, graph, execute, max_workers, client_limits or {})


def _run_pooled(
    actions: Sequence[Action],
    graph: _Graph,
    execute: Callable[[Action], Any],
    max_workers: int,
    client_limits: Mapping[str, int],
) -> Iterator[Completion]:
    busy: Counter = Counter()
    running: Dict[Future, int] = {}
    failed = False
    with ThreadPoolExecutor(max_workers, thread_name_prefix="dockermap-runner") as pool:
        while True:
            held: List[int] = []
            while not failed and graph.ready and len(running) < max_workers:
                index = graph.pop()
                client = actions[index].client
                if busy[client] >= client_limits.get(client, max_workers):
                    held.append(index)
                    continue
                busy[client] += 1
                running[pool.submit(execute, actions[index])] = index
            for index in held:
                heapq.heappush(graph.ready, index)
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=running.__getitem__):
                index = running.pop(future)
                busy[actions[index].client] -= 1
                exc = future.exception()
                if exc is not None:
                    failed = True
                    yield index, None, exc
                else:
                    yield index, future.result(), None
                    graph.finished(index)
