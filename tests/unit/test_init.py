"""Importing the package and its command stays cheap: neither pulls in the Docker SDK or requests."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("docker", "requests", "urllib3", "yaml")


@pytest.mark.parametrize("module", ["dockermap", "dockermap.cli"])
def test_importing_loads_no_heavy_module(module):
    check = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []


def test_the_help_of_the_command_loads_no_heavy_module():
    check = (
        "import sys\n"
        "from dockermap.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print('LOADED', ' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1].split() == ["LOADED"]
