"""dockermap's loggers are made on first use, and what waits for them is attached just before."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.helpers import REPO_ROOT


def test_what_waits_for_logging_runs_once_just_before_the_first_logger_is_made():
    script = textwrap.dedent(
        """
        import sys
        from dockermap import log
        calls = []
        forget = log.when_logging(lambda: calls.append("first"))
        forgotten = log.when_logging(lambda: calls.append("forgotten"))
        forgotten()
        print("logging" in sys.modules, calls)
        made = log.logger("dockermap.test")
        print("logging" in sys.modules, calls, made.name)
        log.logger("dockermap.other")
        log.when_logging(lambda: calls.append("later"))  # runs at once now
        forget()
        print(calls)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == [
        "False []",
        "True ['first'] dockermap.test",
        "['first', 'later']",
    ]


def test_with_logging_imported_the_attachment_is_immediate():
    script = "import logging\nfrom dockermap import log\ncalls = []\n"
    script += "log.when_logging(lambda: calls.append(1))\nprint(calls)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[1]"
