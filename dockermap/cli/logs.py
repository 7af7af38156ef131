"""``logs`` and ``exec``: the output of containers, and commands run in them."""

from __future__ import annotations

import queue
import re
import sys
import threading
from typing import Any, Iterable, List, Optional, Sequence

from .inputs import InputError
from .targets import Target

_END = object()


def _lines(chunks: Iterable[bytes]) -> Iterable[str]:
    """Whole lines of a byte stream (the last one even without a newline)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            yield line.decode("utf-8", "replace").rstrip("\r")
    if pending:
        yield pending.decode("utf-8", "replace").rstrip("\r")


def _existing(session: Any, found: Sequence[Target]) -> List[Target]:
    existing = []
    for target in found:
        if session.api(target.client).containers(all=True, filters={"name": f"^/{re.escape(target.name)}$"}):
            existing.append(target)
    if not existing:
        raise InputError("none of the containers exists; run 'dockermap startup' first")
    return existing


def print_logs(session: Any, found: Sequence[Target], follow: bool, tail: Optional[int]) -> int:
    """Each line prefixed by its container name; with ``follow``, until every container has stopped."""
    existing = _existing(session, found)
    width = max(len(target.name) for target in existing)
    output = session.output
    options = {"stdout": True, "stderr": True, "tail": "all" if tail is None else tail}

    def show(target: Target, line: str) -> None:
        record = {"event": "log", "container": target.name, "line": line}
        output.emit(record, f"{output.paint(target.name.ljust(width), 'dim')} | {line}")

    if not follow:
        for target in existing:
            data = session.api(target.client).logs(target.name, **options)
            for line in _lines([data]):
                show(target, line)
        return 0
    lines: queue.Queue[Any] = queue.Queue()

    def read(target: Target) -> None:
        try:
            stream = session.api(target.client).logs(target.name, stream=True, follow=True, **options)
            for line in _lines(stream):
                lines.put((target, line))
        finally:
            lines.put(_END)

    for target in existing:
        threading.Thread(target=read, args=(target,), daemon=True).start()
    running = len(existing)
    while running:
        item = lines.get()
        if item is _END:
            running -= 1
        else:
            show(*item)
    return 0


def run_exec(session: Any, name: str, command: List[str]) -> int:
    """Run ``command`` in the one running container ``name`` stands for; its exit code is returned."""
    found = session.targets()
    if len(found) != 1:
        choices = ", ".join(f"{target.config}.{target.instance}" for target in found)
        raise InputError(f"{name!r} stands for {len(found)} containers; name one instance: {choices}")
    target = found[0]
    api = session.api(target.client)
    exec_id = api.exec_create(target.name, command)["Id"]
    out, err = api.exec_start(exec_id, demux=True)
    code = api.exec_inspect(exec_id)["ExitCode"]
    if session.output.as_json:
        record = {
            "event": "exec",
            "container": target.name,
            "exit_code": code,
            "stdout": (out or b"").decode("utf-8", "replace"),
            "stderr": (err or b"").decode("utf-8", "replace"),
        }
        session.output.emit(record, "")
    else:
        sys.stdout.buffer.write(out or b"")
        sys.stdout.flush()
        sys.stderr.buffer.write(err or b"")
        sys.stderr.flush()
    return code
