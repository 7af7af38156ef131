"""Peer benchmark: dockermap beside Docker Compose v2 (and v1 where it installs) and a hand-written floor.

    benchmarks/peers/setup.sh                      # once: installs the tools into benchmarks/peers/.tools
    DOCKER_HOST=unix:///path/to/docker.sock python benchmarks/peers/peer_bench.py [--reps 5]

Every tool runs the same generated stacks (see :mod:`stacks`) on the same engine, one process per
phase as a user would run it (interpreter start-up and imports included): cold start, a no-op re-run,
one leaf's environment changed, the image changed (same tag, new id), and teardown with volumes.
For each repetition the tools take turns, in a rotating order, each running all phases of a stack
(the no-op three times). The table shows the median wall time per phase, its ratio to Compose v2,
and the median number of Engine API requests (through a counting proxy). After every phase the state
each tool reached (state, image and leaf environment of every service) is compared; a difference is
reported and makes the script exit with status 1.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(HERE))

import docker  # noqa: E402
import stacks  # noqa: E402

from tests import helpers  # noqa: E402

TOOLS_DIR = HERE / ".tools" / "bin"
#: The interpreter of dockermap and the floor: a virtualenv with dockermap's runtime dependencies only,
#: as a user installs it (setup.sh makes it); this checkout is installed into it at the start of a run.
RUNTIME_PYTHON = str(HERE / ".tools" / "runtime" / "bin" / "python")
#: The console script that installing dockermap makes, as a user runs it.
DOCKERMAP_COMMAND = str(HERE / ".tools" / "runtime" / "bin" / "dockermap")
#: The files besides the package that building it needs.
PACKAGE_FILES = ("pyproject.toml", "setup.py", "README.rst", "LICENSE")
PHASES = ("cold start", "no-op", "leaf changed", "image changed", "teardown")
#: Runs per repetition of a phase that changes nothing: a no-op takes a few hundredths of a second, where
#: the machine's noise weighs most, and running it again measures the same phase.
RUNS_PER_REPETITION = {"no-op": 3}
FLOOR_LABEL = "dockermap.peers.floor"
BENCH_LABEL = "dockermap.peers.bench"


class Tool(NamedTuple):
    """How one tool runs a phase: ``command(phase, workdir) -> argv`` and how its containers are found."""

    name: str
    command: Callable[[str, Path], List[str]]
    #: (label that selects the tool's containers, label that names the service)
    labels: Tuple[str, str]

    @property
    def project(self) -> str:
        """The project, map or prefix name that every object of the tool's stack carries."""
        return self.labels[0].split("=", 1)[1]


def compose_tool(name: str, binary: Path, project: str) -> Tool:
    def command(phase: str, workdir: Path) -> List[str]:
        base = [str(binary), "-p", project, "-f", str(workdir / "compose.yaml")]
        return base + (["down", "-v"] if phase == "teardown" else ["up", "-d"])

    return Tool(name, command, (f"com.docker.compose.project={project}", "com.docker.compose.service"))


def dockermap_tool(map_name: str) -> Tool:
    actions = {"cold start": ["startup"], "teardown": ["shutdown", "--volumes"]}

    def command(phase: str, workdir: Path) -> List[str]:
        return [DOCKERMAP_COMMAND, "-f", str(workdir / "map.yaml"), *actions.get(phase, ["update"])]

    return Tool("dockermap", command, (f"io.dockermap.map={map_name}", "io.dockermap.config"))


def floor_tool(prefix: str, shape: str, size: int, image: str, parallel: bool) -> Tool:
    verbs = dict(zip(PHASES, ("up", "noop", "leaf", "image", "down")))

    def command(phase: str, workdir: Path) -> List[str]:
        argv = [RUNTIME_PYTHON, str(HERE / "floor.py"), verbs[phase], "--shape", shape, "--size", str(size)]
        argv += ["--image", image, "--prefix", prefix]
        if (workdir / "leaf-changed").exists():
            argv.append("--leaf-env")
        return argv + (["--parallel"] if parallel else [])

    name = "floor (parallel)" if parallel else "floor"
    return Tool(name, command, (f"{FLOOR_LABEL}={prefix}", f"{FLOOR_LABEL}.service"))


def available_tools(run_id: str, shape: str, size: int, image: str, skip: Sequence[str] = ()) -> List[Tool]:
    stack_id = f"{run_id}-{shape}-{size}"
    tools = []
    for name in ("compose-v2", "compose-v1"):
        binary = TOOLS_DIR / name
        if binary.exists() and name not in skip:
            tools.append(compose_tool(name, binary, f"peer{name[-2:]}{stack_id}"))
    tools.append(dockermap_tool(f"peerdm{stack_id}"))
    for parallel in (False, True):
        tools.append(floor_tool(f"peerfl{stack_id}{'p' if parallel else 's'}-", shape, size, image, parallel))
    return tools


def write_stack(workdir: Path, tool: Tool, shape: str, size: int, image: str, leaf_changed: bool) -> None:
    services, leaf = stacks.stack(shape, size)
    if leaf_changed:
        next(s for s in services if s.name == leaf).environment = {stacks.LEAF_VARIABLE: "changed"}
        (workdir / "leaf-changed").touch()
    (workdir / "compose.yaml").write_text(stacks.compose_file(services, image))
    map_name = tool.labels[0].split("=", 1)[1]
    (workdir / "map.yaml").write_text(stacks.map_file(services, image, map_name))


def observed_state(api: docker.APIClient, tool: Tool) -> Dict[str, Tuple[str, str, Optional[str]]]:
    """Service -> (state, image id, leaf variable) of the tool's containers."""
    selector, service_label = tool.labels
    state = {}
    for entry in api.containers(all=True, filters={"label": selector}):
        detail = api.inspect_container(entry["Id"])
        env = dict(e.split("=", 1) for e in detail["Config"]["Env"] or [])
        service = detail["Config"]["Labels"][service_label]
        state[service] = (detail["State"]["Status"], detail["Image"], env.get(stacks.LEAF_VARIABLE))
    return state


def build_image(api: docker.APIClient, tag: str, revision: int, run_id: str) -> str:
    dockerfile = (
        "FROM busybox:latest\n"
        f'LABEL {BENCH_LABEL}="{run_id}" revision="{revision}"\n'
        'CMD ["sh", "-c", "trap \'exit 0\' TERM; sleep 1000000 & wait"]\n'
    )
    return helpers.build_image(api, tag, dockerfile)


class Result(NamedTuple):
    seconds: float
    requests: int


def tool_environment(engine_url: str) -> Dict[str, str]:
    """The environment of a tool's process: the engine, and compiled modules written and used."""
    env = {**os.environ, "DOCKER_HOST": engine_url}
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "PYTHONPYCACHEPREFIX"):
        env.pop(name, None)
    return env


def install_checkout(engine_url: str) -> None:
    """Install this checkout into the runtime virtualenv as a user installs a release (a wheel: compiled
    modules and the ``dockermap`` script), and compile the floor, so that no phase pays for compiling."""
    quiet = {"env": tool_environment(engine_url), "check": True, "stdout": subprocess.DEVNULL}
    with tempfile.TemporaryDirectory() as temporary:
        source = Path(temporary) / "source"  # a copy: no build output of earlier runs gets in
        compiled = shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO_ROOT / "dockermap", source / "dockermap", ignore=compiled)
        for name in PACKAGE_FILES:
            shutil.copy(REPO_ROOT / name, source / name)
        pip = [RUNTIME_PYTHON, "-m", "pip", "--disable-pip-version-check"]
        subprocess.run([*pip, "wheel", "-q", "--no-deps", "-w", temporary, str(source)], **quiet)
        (wheel,) = Path(temporary).glob("dockermap-*.whl")
        subprocess.run([*pip, "install", "-q", "--no-deps", "--force-reinstall", str(wheel)], **quiet)
    subprocess.run([RUNTIME_PYTHON, "-m", "compileall", "-q", str(HERE)], **quiet)


class ToolFailed(RuntimeError):
    """A tool's process exited with an error in a phase."""


def run_phase(proxy: helpers.RequestCountingProxy, tool: Tool, phase: str, workdir: Path) -> Result:
    proxy.reset()
    env = tool_environment(proxy.base_url)
    env["XDG_CACHE_HOME"] = str(workdir / "cache")  # dockermap's parsed files: kept across the phases
    started = time.perf_counter()
    proc = subprocess.run(tool.command(phase, workdir), env=env, cwd=workdir, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise ToolFailed(f"{tool.name} failed in phase {phase!r}:\n{proc.stdout}\n{proc.stderr}")
    return Result(seconds, len(proxy.requests))


def bench_stack(
    api,
    engine_url: str,
    shape: str,
    size: int,
    args: argparse.Namespace,
    run_id: str,
    problems: List[str],
    failures: List[str],
):
    tag = f"peerbench{run_id}/app:latest"
    revision = 0
    build_image(api, tag, revision, run_id)
    tools = available_tools(run_id, shape, size, tag, args.skip.split(",") if args.skip else ())
    results: Dict[Tuple[str, str], List[Result]] = {}
    sockets = tempfile.mkdtemp(prefix="dmpeer", dir="/tmp")
    proxies = {
        t.name: helpers.RequestCountingProxy(engine_url, f"{sockets}/{i}.sock") for i, t in enumerate(tools)
    }
    try:
        for rep in range(args.reps):
            order = tools[rep % len(tools) :] + tools[: rep % len(tools)]
            states: Dict[str, Dict[str, Dict]] = {}
            for tool in order:
                workdir = Path(tempfile.mkdtemp(prefix="dmpeer-stack."))
                phase = PHASES[0]
                try:
                    for phase in PHASES:
                        write_stack(
                            workdir, tool, shape, size, tag, phase in ("leaf changed", "image changed")
                        )
                        if phase == "image changed":
                            revision += 1
                            build_image(api, tag, revision, run_id)
                        for _ in range(RUNS_PER_REPETITION.get(phase, 1)):
                            results.setdefault((tool.name, phase), []).append(
                                run_phase(proxies[tool.name], tool, phase, workdir)
                            )
                        seen = observed_state(api, tool)
                        image_id = api.inspect_image(tag)["Id"]
                        normalized = {k: (s, i == image_id, e) for k, (s, i, e) in seen.items()}
                        states.setdefault(phase, {})[tool.name] = normalized
                except ToolFailed as exc:
                    if tool.name == "dockermap":
                        raise
                    # A peer's own failure (e.g. Compose v1 racing the engine when it removes a network)
                    # leaves it out of the rest of this repetition; the run goes on.
                    last_line = str(exc).strip().splitlines()[-1]
                    failures.append(f"repetition {rep + 1}, {tool.name} failed in {phase}: {last_line}")
                    remove_named(api, tool.project)
                finally:
                    shutil.rmtree(workdir, ignore_errors=True)
            for phase, by_tool in states.items():
                reference_name, reference = next(iter(by_tool.items()))
                for name, state in by_tool.items():
                    if state != reference:
                        problems.append(
                            f"{shape} {size} {phase}: {name} reached {state}, {reference_name} {reference}"
                        )
    finally:
        for proxy in proxies.values():
            proxy.close()
        shutil.rmtree(sockets, ignore_errors=True)
    return [t.name for t in tools], results


def print_table(shape: str, size: int, names: List[str], results) -> None:
    repetitions = len(results[("dockermap", PHASES[0])])  # a failure of dockermap stops the run
    noop_runs = RUNS_PER_REPETITION["no-op"] * repetitions
    print(f"\n{shape}, {size} services (median of {repetitions} runs, of {noop_runs} for the no-op)")
    header = f"{'phase':<15}" + "".join(f"{n:>22}" for n in names)
    print(header)
    reference = "compose-v2" if "compose-v2" in names else names[0]
    for phase in PHASES:
        reference_runs = results.get((reference, phase))
        base = statistics.median(r.seconds for r in reference_runs) if reference_runs else None
        cells = []
        for name in names:
            runs = results.get((name, phase))
            if not runs:
                cells.append("failed")
                continue
            seconds = statistics.median(r.seconds for r in runs)
            requests = statistics.median(r.requests for r in runs)
            ratio = f"{seconds / base:4.2f}x" if base else "    -"  # the reference failed every time
            cells.append(f"{seconds:6.2f}s {ratio} {requests:5.0f}r")
        print(f"{phase:<15}" + "".join(f"{c:>22}" for c in cells))


def remove_named(api: docker.APIClient, fragment: str) -> None:
    """Containers, volumes and networks whose names contain ``fragment``. The engine may take a moment
    to release a removed container's network endpoints, so a network removal is tried a few times."""
    for entry in api.containers(all=True):
        if any(fragment in n for n in entry["Names"]):
            api.remove_container(entry["Id"], force=True, v=True)
    for volume in api.volumes().get("Volumes") or []:
        if fragment in volume["Name"]:
            api.remove_volume(volume["Name"], force=True)
    for network in api.networks():
        if fragment in network["Name"]:
            for attempt in range(20):
                try:
                    api.remove_network(network["Id"])
                    break
                except docker.errors.APIError as exc:
                    if attempt == 19:  # an endpoint the engine never released: say so, go on
                        print(f"network {network['Name']} is left: {exc.explanation}", file=sys.stderr)
                    time.sleep(0.5)


def remove_leftovers(api: docker.APIClient, run_id: str) -> None:
    """Everything of this run: containers, volumes and networks named after it, and its images."""
    remove_named(api, run_id)
    for image in api.images(filters={"label": f"{BENCH_LABEL}={run_id}"}):
        api.remove_image(image["Id"], force=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--sizes", default="20,50")
    parser.add_argument("--shapes", default=",".join(stacks.SHAPES))
    parser.add_argument("--skip", default="", help="peers left out, e.g. compose-v1")
    args = parser.parse_args()
    engine_url = os.environ.get("DOCKER_HOST", "")
    if not engine_url.startswith("unix://"):
        print("set DOCKER_HOST to the unix socket of a Docker Engine", file=sys.stderr)
        return 2
    if not (TOOLS_DIR / "compose-v2").exists() or not Path(RUNTIME_PYTHON).exists():
        print("the tools are not set up: run benchmarks/peers/setup.sh first", file=sys.stderr)
        return 2
    install_checkout(engine_url)
    api = helpers.api_client(engine_url)
    if not api.images(name="busybox:latest"):
        helpers.build_busybox_image(api, "busybox:latest")
    run_id = helpers.TestRun().run_id
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    problems: List[str] = []
    failures: List[str] = []
    try:
        for shape in args.shapes.split(","):
            sizes = [4] if shape == "diamond" else [int(s) for s in args.sizes.split(",")]
            for size in sizes:
                names, results = bench_stack(api, engine_url, shape, size, args, run_id, problems, failures)
                print_table(shape, size, names, results)
                for failure in failures:
                    print(f"  left out: {failure}")
                failures.clear()
    finally:
        remove_leftovers(api, run_id)
    for problem in problems:
        print(f"DIFFERENT STATE: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
