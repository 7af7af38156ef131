"""Every test module on disk is collected: a folder can never drop out of the run silently."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO_ROOT

TESTS = REPO_ROOT / "tests"


def collected_modules() -> set:
    """The test modules that ``pytest --collect-only`` of the whole suite finds at least one test in."""
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", str(TESTS)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {line.split("::", 1)[0] for line in proc.stdout.splitlines() if "::" in line}


def test_every_test_module_on_disk_is_collected():
    on_disk = {path.relative_to(REPO_ROOT).as_posix() for path in TESTS.rglob("test_*.py")}
    assert on_disk, "no test modules found"
    assert sorted(on_disk - collected_modules()) == []
