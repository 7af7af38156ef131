"""The package type-checks: mypy, with the project's configuration, reports no error."""

import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO_ROOT


def run_mypy(cache: Path, *args: str) -> subprocess.CompletedProcess:
    # A cache of this run only: parallel runs share nothing, and no result of an earlier run is reused.
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )


def test_mypy_reports_no_error(tmp_path):
    proc = run_mypy(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_fails_on_a_type_error(tmp_path):
    # The same configuration on a module with a type error: the check above can fail.
    module = tmp_path / "wrong.py"
    module.write_text("from dockermap.client.protocol import DockerClient\n\nclient: DockerClient = 1\n")
    proc = run_mypy(tmp_path / "cache", str(module))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "wrong.py:3: error: Incompatible types in assignment" in proc.stdout
