"""What the command prints: plain lines, colored on a terminal (unless ``NO_COLOR``), or JSON lines."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Mapping, Optional, Sequence, TextIO

_COLORS = {"green": "32", "yellow": "33", "red": "31", "bold": "1", "dim": "2"}
#: Color of each action kind.
KIND_COLORS = {
    "create": "green",
    "start": "green",
    "pull": "green",
    "connect": "green",
    "prepare": "green",
    "update": "yellow",
    "restart": "yellow",
    "stop": "yellow",
    "exec": "yellow",
    "kill": "red",
    "remove": "red",
    "disconnect": "red",
}


def use_color(stream: TextIO, environ: Optional[Mapping[str, str]] = None) -> bool:
    """Colors on a terminal, unless ``NO_COLOR`` is set to a non-empty value."""
    variables = os.environ if environ is None else environ
    return bool(stream.isatty()) and not variables.get("NO_COLOR")


class Output:
    """Prints records as readable lines or, with ``as_json``, as one JSON object per line."""

    def __init__(
        self, as_json: bool = False, out: Optional[TextIO] = None, err: Optional[TextIO] = None
    ) -> None:
        self.as_json = as_json
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.color = not as_json and use_color(self.out)
        self.err_color = not as_json and use_color(self.err)

    def paint(self, text: str, color: Optional[str], stream_color: Optional[bool] = None) -> str:
        enabled = self.color if stream_color is None else stream_color
        if not enabled or not color:
            return text
        return f"\033[{_COLORS[color]}m{text}\033[0m"

    def emit(self, record: Dict[str, Any], text: str) -> None:
        """``record`` as a JSON line, or ``text`` as a line."""
        line = json.dumps(record, default=str) if self.as_json else text
        self.out.write(line + "\n")
        self.out.flush()

    def action(self, action: Any, state: str, step: Optional[int] = None) -> None:
        """An action of a plan (``planned``), with its ``step`` when some actions run together."""
        record = {
            "event": "action",
            "state": state,
            "kind": action.kind,
            "type": action.item_type.value,
            "name": action.name,
            "client": action.client,
            "cause": action.cause,
        }
        prefix = ""
        if step is not None:
            record["step"] = step
            prefix = f"[{step}] "
        kind = self.paint(action.kind, KIND_COLORS.get(action.kind))
        where = "" if action.client == "__default__" else f" on {action.client}"
        self.emit(record, f"{prefix}{kind} {action.item_type.value} {action.name}{where}: {action.cause}")

    def summary(self, event: str, text: str, **values: Any) -> None:
        self.emit({"event": event, **values}, self.paint(text, "bold"))

    def error(self, message: str, code: int, **values: Any) -> None:
        """An error: a JSON line on stdout with ``--json``, else ``dockermap: error: ...`` on stderr."""
        if self.as_json:
            self.emit({"event": "error", "exit_code": code, "message": message, **values}, "")
            return
        self.err.write(f"{self.paint('dockermap: error:', 'red', self.err_color)} {message}\n")
        self.err.flush()

    def table(self, event: str, columns: Sequence[str], rows: List[Dict[str, Any]]) -> None:
        """Rows as JSON lines, or as a table with a header and aligned columns."""
        if self.as_json:
            for row in rows:
                self.emit({"event": event, **row}, "")
            return
        cells = [[str(row.get(column) or "-") for column in columns] for row in rows]
        widths = [max([len(column)] + [len(line[i]) for line in cells]) for i, column in enumerate(columns)]
        header = "  ".join(column.upper().ljust(width) for column, width in zip(columns, widths))
        self.emit({}, self.paint(header.rstrip(), "bold"))
        for line in cells:
            self.emit({}, "  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
