"""The ``dockermap`` command: run the containers of map files and Compose files from a shell.

Exit codes: 0 done, 1 an action failed (what was done is printed), 2 bad input (the message names
the file, line and key). Imports are made where they are needed, so that the command starts fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, List, Optional

if TYPE_CHECKING:
    from .output import Output


def main(argv: Optional[List[str]] = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    from .arguments import parse
    from .exceptions import ArgumentError, InputError
    from .output import Output

    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parse(argv)
    except ArgumentError as exc:
        Output("--json" in argv).error(str(exc), 2)
        return 2
    output = Output(args.json)
    try:
        from .commands import run

        return run(args, output)
    except InputError as exc:
        output.error(str(exc), 2)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the command reports every other failure as an exit code
        return _failure(output, exc)


def _failure(output: Output, exc: Exception) -> int:
    """Configuration problems found while planning are bad input (2); anything else failed (1)."""
    from dockermap.map.exceptions import ConfigurationNotFound

    if isinstance(exc, (ConfigurationNotFound, ValueError)):
        output.error(str(exc), 2)
        return 2
    output.error(f"{type(exc).__name__}: {exc}", 1)
    return 1
