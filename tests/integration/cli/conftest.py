"""The ``dockermap`` command run as a subprocess against the test engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from tests.helpers import CommandResult


@pytest.fixture
def command(engine) -> Callable[..., CommandResult]:
    """``command(cwd, *args, **env)`` runs ``python -m dockermap *args`` in ``cwd``, output to pipes."""

    def run(cwd: Path, *args: str, **env: str) -> CommandResult:
        environ = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
        environ.update({"DOCKER_HOST": engine.base_url, **env})
        proc = subprocess.run(
            [sys.executable, "-m", "dockermap", *args],
            cwd=cwd,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )
        result = CommandResult(proc)
        assert "\x1b" not in result.out + result.err, "control characters in output without a terminal"
        return result

    return run
