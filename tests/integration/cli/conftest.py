"""The ``dockermap`` command run as a subprocess against the test engine."""

from __future__ import annotations

import os
import pty
import re
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
        control = re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.out + result.err)
        assert not control, f"control characters in output without a terminal: {result!r}"
        return result

    return run


@pytest.fixture
def terminal(engine) -> Callable[..., str]:
    """``terminal(cwd, *args, **env)`` runs the command with its standard output on a pseudo-terminal;
    returns what it printed there (it must succeed)."""

    def run(cwd: Path, *args: str, **env: str) -> str:
        primary, secondary = pty.openpty()
        environ = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
        environ.update({"DOCKER_HOST": engine.base_url, "TERM": "xterm", **env})
        with subprocess.Popen(
            [sys.executable, "-m", "dockermap", *args],
            cwd=cwd,
            env=environ,
            stdout=secondary,
            stderr=subprocess.PIPE,
        ) as proc:
            os.close(secondary)
            chunks = []
            while True:
                try:
                    chunk = os.read(primary, 4096)
                except OSError:  # the terminal closes when the command exits
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            assert proc.wait(timeout=300) == 0, proc.stderr.read()
        os.close(primary)
        return b"".join(chunks).decode()

    return run
