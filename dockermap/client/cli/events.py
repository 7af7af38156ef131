"""The engine's events as a ``docker events`` process streams them, one JSON object per line."""

from __future__ import annotations

import json
import subprocess
import time
from typing import Any, Dict, Iterator, List, Optional, Sequence

#: How far back a new events command starts: the command connects some time after it was started,
#: and the engine replays what happened since then, so that nothing in between is missed.
SINCE_MARGIN = 1.0


def events_args(base_args: Sequence[str], filters: Optional[Dict[str, Any]], since: Any = None) -> List[str]:
    """The ``docker events`` command that prints each event as JSON (``filters`` as the SDK takes them)."""
    since = f"{time.time() - SINCE_MARGIN:.6f}" if since is None else str(since)
    args = [*base_args, "events", "--format", "{{json .}}", f"--since={since}"]
    for key, values in (filters or {}).items():
        for value in values if isinstance(values, (list, tuple)) else [values]:
            args.append(f"--filter={key}={value}")
    return args


class EventProcess:
    """A running ``docker events`` command: iterate for the events (dicts), :meth:`close` to end it."""

    def __init__(self, args: Sequence[str]) -> None:
        self.process = subprocess.Popen(
            list(args), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.closing = False

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                if line.strip():
                    yield json.loads(line)
        if self.process.wait() != 0 and not self.closing:
            raise RuntimeError(f"docker events ended with exit code {self.process.returncode}")

    def close(self) -> None:
        self.closing = True
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()
