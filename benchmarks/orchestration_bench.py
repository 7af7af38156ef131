"""Benchmark: ``MappingDockerClient`` on a real engine beside a hand-written Docker SDK script (the floor).

    DOCKER_HOST=unix:///path/to/docker.sock python benchmarks/orchestration_bench.py

For generated maps of 20 and 50 containers in two shapes, a chain (each container links to the previous
one) and a fan-out (one root attaches a volume that every other container uses), five phases are timed:
cold ``startup``, a no-op ``update``, ``update`` after one leaf's environment changed, ``update`` after
the image was rebuilt under the same tag, and ``shutdown``. The floor makes the calls these phases need
and nothing else: create the volume and create+start the containers; one list call for the no-op;
stop/remove/create/start the changed leaf; the same for every container after the image change;
stop+remove everything. Both sides run in the same process against the same engine, phase by phase,
taking turns at going first, each through its own :class:`~tests.helpers.RequestCountingProxy`.

Columns: wall time of each side and their ratio; ``plan``, the wall time of a dry run
(``MappingDockerClient.plan``: observing and planning, dockermap's own part of the phase) made just
before the phase; CPU time of this process during the phase; API requests, and the mutating ones
(``writes``). The container work itself is the engine's, so on a busy machine the ratio of a long phase
varies by some tens of percent from run to run; ``plan``, CPU and request counts show dockermap's own
share. Exits with status 1 if dockermap made a different number of changes than the floor in any phase,
or if its no-op ``update`` needed more requests for 50 containers than for 20.

Then one row more: planning ``startup`` of a 10,000-container fan-out on an engine that holds none of it
(observing and planning only; nothing is created).

Everything is built locally ``FROM busybox:latest`` (itself built from scratch if the engine lacks it),
named with this run's prefix, and removed at the end, also after a failure or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import docker  # noqa: E402

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient  # noqa: E402
from tests import helpers  # noqa: E402

SIZES = (20, 50)
SHAPES = ("chain", "fan-out")
PHASES = ("startup", "no-op update", "leaf env update", "image update", "shutdown")
#: The benchmark image: a shell that exits as soon as it gets SIGTERM (``wait`` is interrupted by it,
#: where a foreground ``sleep`` would delay the trap), so stopping takes no stop timeout.
DOCKERFILE = 'FROM busybox:latest\nCMD ["sh", "-c", "trap \'exit 0\' TERM; sleep 1000000 & wait"]\n'
#: Label of the floor's containers, for its no-op list call.
FLOOR_LABEL = "dockermap.bench.floor"
LEAF_ENV = {"BENCH_LEAF": "changed"}


class BenchRun(helpers.TestRun):
    """The test harness's run identity with the benchmark's own name prefix."""

    @property
    def prefix(self) -> str:
        return f"dmbench{self.run_id}-"


def map_data(shape: str, size: int, image: str) -> Dict[str, Any]:
    """Container map configuration of ``size`` containers (``c0`` ... or ``root``, ``c1`` ...)."""
    if shape == "chain":
        containers: Dict[str, Any] = {"c0": {"image": image}}
        for index in range(1, size):
            containers[f"c{index}"] = {"image": image, "links": f"c{index - 1}"}
        return {"containers": containers}
    containers = {"root": {"image": image, "attaches": "data"}}
    for index in range(1, size):
        containers[f"c{index}"] = {"image": image, "uses": "data"}
    return {"containers": containers, "volumes": {"data": "/data"}}


class DockermapSide:
    """The phases done by :class:`MappingDockerClient` on one generated map."""

    #: The client's action for each phase.
    ACTIONS = dict(zip(PHASES, ("startup", "update", "update", "update", "shutdown")))

    def __init__(self, base_url: str, map_name: str, shape: str, size: int, image: str) -> None:
        self.map = ContainerMap(map_name, map_data(shape, size, image))
        self.names = list(self.map.containers.keys())
        self.client = MappingDockerClient(self.map, ClientConfiguration(base_url=base_url))
        self.client.clients["__default__"].get_client()  # negotiate the API version outside the phases

    def change(self, phase: str) -> None:
        """Change the configuration as the phase requires (before it is timed)."""
        if phase == "leaf env update":
            self.map.get_existing(self.names[-1]).create_options = {"environment": LEAF_ENV}
            self.client.refresh_names()

    def plan(self, phase: str) -> Any:
        """Observe and plan only: the part of the phase that is dockermap's own."""
        return self.client.plan(self.ACTIONS[phase], self.names)

    def run(self, phase: str) -> None:
        self.client.run_actions(self.ACTIONS[phase], self.names)


class FloorSide:
    """The same phases as plain Docker SDK calls, knowing what changed (no observing, no planning)."""

    def __init__(self, base_url: str, prefix: str, shape: str, size: int, image: str, run_id: str) -> None:
        self.api = docker.APIClient(base_url=base_url, version="auto", timeout=120)
        self.image = image
        self.labels = {FLOOR_LABEL: run_id}
        self.names = [f"{prefix}c{index}" for index in range(size)]
        chain = shape == "chain"
        pairs = zip(self.names, self.names[1:])
        self.links = {name: [(previous, "previous")] for previous, name in pairs} if chain else {}
        self.volume = None if chain else f"{prefix}data"
        self.environment: Dict[str, Dict[str, str]] = {}

    def _create_start(self, name: str) -> None:
        host_config = self.api.create_host_config(
            links=self.links.get(name), binds=[f"{self.volume}:/data:rw"] if self.volume else None
        )
        self.api.create_container(
            self.image,
            name=name,
            hostname=name,
            environment=self.environment.get(name),
            labels=self.labels,
            volumes=["/data"] if self.volume else None,
            host_config=host_config,
        )
        self.api.start(name)

    def _stop_remove(self, name: str) -> None:
        self.api.stop(name)
        self.api.remove_container(name)

    def run(self, phase: str) -> None:
        if phase == "startup":
            if self.volume:
                self.api.create_volume(self.volume)
            for name in self.names:
                self._create_start(name)
        elif phase == "no-op update":
            self.api.containers(all=True, filters={"label": f"{FLOOR_LABEL}={self.labels[FLOOR_LABEL]}"})
        elif phase == "leaf env update":
            leaf = self.names[-1]
            self.environment[leaf] = LEAF_ENV
            self._stop_remove(leaf)
            self._create_start(leaf)
        elif phase == "image update":
            for name in self.names:
                self._stop_remove(name)
                self._create_start(name)
        elif phase == "shutdown":
            for name in reversed(self.names):
                self._stop_remove(name)


class Measurement(NamedTuple):
    """One phase on one side."""

    seconds: float  # wall time
    cpu: float  # CPU time of this process (the side's own work plus its proxy's)
    requests: int
    writes: int  # requests other than GET and HEAD
    plan: float = 0.0  # dockermap only: wall time of observing and planning the phase on its own


Results = Dict[Tuple[str, int], Dict[str, Dict[str, Measurement]]]


def measure(proxy: helpers.RequestCountingProxy, action: Callable[[], None]) -> Measurement:
    """Wall time, CPU time and API requests of ``action``."""
    proxy.reset()
    start, cpu_start = time.perf_counter(), time.process_time()
    action()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return Measurement(seconds, cpu, len(proxy.requests), len(proxy.mutating()))


def run_phase(side: Any, proxy: helpers.RequestCountingProxy, phase: str) -> Measurement:
    """Run one phase on one side; for dockermap also time a dry run (plan only) just before."""
    if not isinstance(side, DockermapSide):
        return measure(proxy, lambda: side.run(phase))
    side.change(phase)
    start = time.perf_counter()
    side.plan(phase)
    plan_seconds = time.perf_counter() - start
    return measure(proxy, lambda: side.run(phase))._replace(plan=plan_seconds)


def run_case(
    api: docker.APIClient,
    run: BenchRun,
    proxies: Dict[str, helpers.RequestCountingProxy],
    shape: str,
    size: int,
    turn: int,
) -> Dict[str, Dict[str, Measurement]]:
    """All phases of one shape and size on both sides; returns side -> phase -> measurement.

    The sides take turns at going first (``turn`` shifts the pattern from case to case), so that
    neither always meets the engine still busy with the other's work.
    """
    case = f"{shape.replace('-', '')}{size}"
    image = run.name(f"{case}-app:latest")
    helpers.build_image(api, image, DOCKERFILE, labels=run.labels)
    sides = {
        "dockermap": DockermapSide(proxies["dockermap"].base_url, run.name(case), shape, size, image),
        "floor": FloorSide(
            proxies["floor"].base_url, run.name(f"floor-{case}-"), shape, size, image, run.run_id
        ),
    }
    results: Dict[str, Dict[str, Measurement]] = {"dockermap": {}, "floor": {}}
    for index, phase in enumerate(PHASES):
        if phase == "image update":
            helpers.build_image(api, image, DOCKERFILE + "ENV BENCH_REVISION=2\n", labels=run.labels)
        order = ["dockermap", "floor"] if (turn + index) % 2 == 0 else ["floor", "dockermap"]
        for side in order:
            results[side][phase] = run_phase(sides[side], proxies[side], phase)
    return results


def ensure_base_image(api: docker.APIClient) -> None:
    """Build ``busybox:latest`` from scratch, as the test harness does, when the engine lacks it."""
    if not api.images(name=helpers.BASE_IMAGE):
        helpers.build_busybox_image(api, helpers.BASE_IMAGE)


def print_table(results: Results) -> None:
    """One row per shape, size and phase: dockermap and floor side by side."""
    header = (
        f"{'shape':<7} {'size':>4}  {'phase':<15} {'dockermap':>9} {'floor':>6} {'ratio':>6} {'plan':>5}"
        f"  {'cpu dm':>6} {'floor':>5}  {'requests dm':>11} {'floor':>5}  {'writes dm':>9} {'floor':>5}"
    )
    print(header)
    print("-" * len(header))
    for (shape, size), sides in results.items():
        for phase in PHASES:
            dm, floor = sides["dockermap"][phase], sides["floor"][phase]
            print(
                f"{shape:<7} {size:>4}  {phase:<15} {dm.seconds:>8.2f}s {floor.seconds:>5.2f}s"
                f" {dm.seconds / floor.seconds:>5.1f}x {dm.plan:>4.2f}s  {dm.cpu:>5.2f}s {floor.cpu:>4.2f}s"
                f"  {dm.requests:>11} {floor.requests:>5}  {dm.writes:>9} {floor.writes:>5}"
            )


def check(results: Results) -> List[str]:
    """What went wrong: dockermap changing more or less than the floor, or a no-op growing with size."""
    problems = []
    for (shape, size), sides in results.items():
        for phase in PHASES:
            dm, floor = sides["dockermap"][phase], sides["floor"][phase]
            if dm.writes != floor.writes:
                problems.append(
                    f"{shape} {size} {phase}: dockermap made {dm.writes} changes, the floor {floor.writes}"
                )
    for shape in SHAPES:
        counts = {results[(shape, size)]["dockermap"]["no-op update"].requests for size in SIZES}
        if len(counts) > 1:
            problems.append(f"{shape}: the no-op update's requests grow with the size: {sorted(counts)}")
    return problems


#: Containers of the map whose cold ``startup`` is planned against an engine that holds none of it.
LARGE_PLAN_SIZE = 10_000


class LargePlan(NamedTuple):
    seconds: float
    requests: int
    actions: int


def plan_large(base_url: str, run: BenchRun, size: int = LARGE_PLAN_SIZE) -> LargePlan:
    """Wall time, API requests and planned actions of planning ``startup`` of a ``size``-container
    fan-out (nothing is created: the map's names do not exist on the engine)."""
    container_map = ContainerMap(run.name("large"), map_data("fan-out", size, "busybox:latest"))
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=base_url))
    client.clients["__default__"].get_client()
    names = list(container_map.containers.keys())
    start = time.perf_counter()
    actions = client.plan("startup", names)
    return LargePlan(time.perf_counter() - start, 0, len(actions))


def _terminate(signum: int, _frame: Optional[Any]) -> None:
    raise SystemExit(128 + signum)  # unwinds through the cleanup below


def main() -> int:
    docker_host = os.environ.get("DOCKER_HOST", "")
    if not docker_host.startswith("unix://"):
        print(
            "set DOCKER_HOST to the engine's unix socket, e.g. unix:///var/run/docker.sock", file=sys.stderr
        )
        return 2
    signal.signal(signal.SIGTERM, _terminate)
    api = helpers.api_client(docker_host)
    run = BenchRun()
    results: Results = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dmbench.") as sockets:
        proxies = {
            side: helpers.RequestCountingProxy(docker_host, os.path.join(sockets, f"{side}.sock"))
            for side in ("dockermap", "floor")
        }
        try:
            ensure_base_image(api)
            turn = 0
            for shape in SHAPES:
                for size in SIZES:
                    results[(shape, size)] = run_case(api, run, proxies, shape, size, turn)
                    turn += 1
            proxies["dockermap"].reset()
            large = plan_large(proxies["dockermap"].base_url, run)
            large = large._replace(requests=len(proxies["dockermap"].requests))
        finally:
            for proxy in proxies.values():
                proxy.close()
            removed = helpers.remove_test_objects(api, run)
            print(f"removed {len(removed)} objects of run {run.prefix}", file=sys.stderr)
    print_table(results)
    print(
        f"\nplanning startup of {LARGE_PLAN_SIZE} containers (fan-out) on an engine holding none of them: "
        f"{large.seconds:.2f}s, {large.requests} requests, {large.actions} actions"
    )
    problems = check(results)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    print(f"\ntotal {time.perf_counter() - started:.0f} s (engine {api.version()['Version']})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
