"""Benchmark: building a DockerContext from a large directory, compared with ``tar -c``.

    python benchmarks/context_bench.py [--size-gib 1] [--dir DIR] [--keep] [--tree TREE]
                                       [--rss-limit-mib 100] [--repeat 1] [--no-gzip]

Generates a tree of many small files plus a few large ones, then archives it with ``tar`` and with
:meth:`DockerContext.from_directory` (uncompressed and gzip), each in its own subprocess so that its peak
memory can be read from ``os.wait4``. Exits with status 1 if a context build peaks at the RSS limit or above.
With ``--repeat N`` the runs alternate N times and the table shows the median time of each and the highest
peak RSS. ``throughput`` is that of ``tar -c`` divided by the run's (1.0 is as fast as ``tar -c``); ``CPU s``
is the user and system time of the run (less disturbed than its duration by other load on the machine).

A child's peak RSS as reported by the kernel includes the RSS of the process that spawned it, so all work that
needs memory (generating the tree) runs in children too and this launcher stays small; its own peak is printed
as the floor of the measurement.

``--tree TREE`` reuses the tree in ``TREE`` (generating it there first if ``TREE`` does not exist) and keeps
it, to save generating 1 GiB for every run; a tree that was just written is still being flushed to disk for a
while, which disturbs the first runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import NamedTuple

MIB = 1 << 20
GIB = 1 << 30
POOL_SIZE = 64 * MIB  # random bytes that file contents are cut from
LARGE_FILE_SIZE = 200 * MIB  # nominal size of a large file
LARGE_SHARE = 0.65  # part of the tree in large files
FILES_PER_DIR = 100


class Result(NamedTuple):
    label: str
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    output_mib: float


def generate_tree(root: str, size: int, seed: int = 1) -> tuple[int, int]:
    """Write a tree of about ``size`` bytes below ``root``; returns (file count, bytes)."""
    rng = random.Random(seed)
    pool = os.urandom(POOL_SIZE)
    view = memoryview(pool)
    large_total = int(size * LARGE_SHARE)
    large_count = max(1, round(large_total / LARGE_FILE_SIZE))
    count = written = 0
    for index in range(large_count):
        # Sizes vary around the nominal size (100-300 MiB for the default), summing to large_total.
        remaining = large_total - written
        file_size = (
            remaining
            if index == large_count - 1
            else int(remaining / (large_count - index) * rng.uniform(0.6, 1.4))
        )
        path = os.path.join(root, "large", f"blob{index}.bin")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            left = file_size
            while left:
                chunk = min(left, 4 * MIB)
                offset = rng.randrange(POOL_SIZE - chunk + 1)
                f.write(view[offset : offset + chunk])
                left -= chunk
        written += file_size
        count += 1
    index = 0
    while written < size:
        directory = os.path.join(
            root, "small", f"{index // FILES_PER_DIR // 20:03d}", f"{index // FILES_PER_DIR % 20:02d}"
        )
        if index % FILES_PER_DIR == 0:
            os.makedirs(directory, exist_ok=True)
        file_size = min(rng.randint(1024, 16 * 1024), size - written)
        offset = rng.randrange(POOL_SIZE - file_size + 1)
        with open(os.path.join(directory, f"f{index}.bin"), "wb") as f:
            f.write(view[offset : offset + file_size])
        written += file_size
        count += 1
        index += 1
    return count, written


def tree_size(root: str) -> tuple[int, int]:
    """File count and bytes of an existing tree."""
    count = size = 0
    for directory, _, files in os.walk(root):
        count += len(files)
        size += sum(os.lstat(os.path.join(directory, name)).st_size for name in files)
    return count, size


def measure(label: str, command: list[str], output: str) -> Result:
    """Run ``command`` as a child and read its own peak RSS; ``output`` is the archive it writes."""
    start = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{label}: {command} failed with status {process.returncode}")
    size = os.path.getsize(output)
    os.remove(output)
    cpu = usage.ru_utime + usage.ru_stime
    return Result(label, seconds, cpu, usage.ru_maxrss / 1024, size / MIB)  # ru_maxrss is in KiB on Linux


def build_context(tree: str, output: str, compression: str) -> None:
    """Child process: build a context of ``tree`` and save it to ``output``."""
    from dockermap.build.context import DockerContext

    tempfile.tempdir = os.path.dirname(output)
    with DockerContext.from_directory(tree, compression=compression or None) as context:
        context.finalize()
        # Move the finished temporary file instead of copying it, like tar writing its output.
        os.link(context.name, output)


def launcher_peak_mib() -> float:
    """Peak RSS of this process (it is part of every child's reported peak)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def summarize(samples: list[Result]) -> Result:
    """One row for repeated runs: the median times and the highest peak RSS."""
    return samples[0]._replace(
        seconds=statistics.median(sample.seconds for sample in samples),
        cpu_seconds=statistics.median(sample.cpu_seconds for sample in samples),
        peak_rss_mib=max(sample.peak_rss_mib for sample in samples),
    )


def print_table(results: list[Result], tree_bytes: int) -> None:
    reference = results[0].seconds
    print(
        f"{'run':<28} {'seconds':>8} {'CPU s':>6} {'MiB/s':>8} {'peak RSS MiB':>13} {'output MiB':>11} "
        f"{'throughput':>11}"
    )
    for result in results:
        print(
            f"{result.label:<28} {result.seconds:8.2f} {result.cpu_seconds:6.2f} "
            f"{tree_bytes / MIB / result.seconds:8.1f} "
            f"{result.peak_rss_mib:13.1f} {result.output_mib:11.1f} {reference / result.seconds:11.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-gib", type=float, default=1.0, help="size of the generated tree")
    parser.add_argument("--dir", help="where to create the working directory (default: system temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the generated tree")
    parser.add_argument("--tree", help="use (and keep) the tree in this directory; generate it if missing")
    parser.add_argument(
        "--rss-limit-mib", type=float, default=100.0, help="maximum peak RSS of a context build"
    )
    parser.add_argument("--repeat", type=int, default=1, help="alternate the runs this many times")
    parser.add_argument("--no-gzip", action="store_true", help="leave out the compressed runs")
    parser.add_argument("--child", nargs=3, metavar=("TREE", "OUTPUT", "COMPRESSION"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("TREE", "BYTES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build_context(*args.child)
        return 0
    if args.generate:
        count, size = generate_tree(args.generate[0], int(args.generate[1]))
        print(json.dumps({"files": count, "bytes": size}))
        return 0

    workdir = tempfile.mkdtemp(prefix="dockermap-bench-", dir=args.dir)
    tree = os.path.abspath(args.tree) if args.tree else os.path.join(workdir, "tree")
    try:
        script = [sys.executable, os.path.abspath(__file__)]
        start = time.perf_counter()
        if os.path.isdir(tree):
            count, size = tree_size(tree)
            print(f"tree: {count} files, {size / MIB:.0f} MiB, reused at {tree}")
        else:
            generated = subprocess.run(
                [*script, "--generate", tree, str(int(args.size_gib * GIB))], check=True, capture_output=True
            )
            tree_info = json.loads(generated.stdout)
            count, size = tree_info["files"], tree_info["bytes"]
            elapsed = time.perf_counter() - start
            print(f"tree: {count} files, {size / MIB:.0f} MiB, generated in {elapsed:.1f} s at {tree}")
        out = os.path.join(workdir, "out")
        context_cmd = [*script, "--child", tree, out]
        runs = [
            ("tar -c", ["tar", "-cf", out, "-C", tree, "."]),
            ("tar -cz (gzip -6, reference)", ["tar", "-czf", out, "-C", tree, "."]),
            ("DockerContext (none)", [*context_cmd, ""]),
            ("DockerContext (gz)", [*context_cmd, "gz"]),
        ]
        if args.no_gzip:
            runs = [run for run in runs if "gz" not in run[0]]
        samples: dict[str, list[Result]] = {label: [] for label, _ in runs}
        for _ in range(args.repeat):
            for label, command in runs:
                samples[label].append(measure(label, command, out))
        results = [summarize(samples[label]) for label, _ in runs]
        print_table(results, size)
        print(f"measurement floor (launcher peak RSS): {launcher_peak_mib():.1f} MiB")
        peak = max(result.peak_rss_mib for result in results if result.label.startswith("DockerContext"))
        context = next(result for result in results if result.label == "DockerContext (none)")
        summary = {"throughput_vs_tar": round(results[0].seconds / context.seconds, 2), "repeat": args.repeat}
        summary.update(context_peak_rss_mib=round(peak, 1), limit_mib=args.rss_limit_mib)
        print(json.dumps(summary))
        if peak >= args.rss_limit_mib:
            print(f"FAIL: a context build peaked at {peak:.1f} MiB RSS (limit {args.rss_limit_mib} MiB)")
            return 1
        return 0
    finally:
        if args.tree:
            shutil.rmtree(workdir)
        elif args.keep:
            print(f"kept {tree}")
            for name in os.listdir(workdir):
                if name != "tree":
                    os.remove(os.path.join(workdir, name))
        else:
            shutil.rmtree(workdir)


if __name__ == "__main__":
    sys.exit(main())
