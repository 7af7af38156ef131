"""Reading what the command printed: its plain progress lines and the frames of its live display."""

from __future__ import annotations

import re
from typing import List, Tuple

#: ``done      0.3s  create container m.web: container does not exist`` (no elapsed time when running)
PLAIN_LINE = re.compile(r"^(waiting|running|done|failed) +(?:\d+\.\ds|\d+m\d\ds)?  (.*)$")
#: Colors and erasing, but not cursor movement.
STYLE = re.compile(r"\x1b\[[0-9;]*[mKJ]")
#: Moves the cursor up over the last frame of the live display.
CURSOR_UP = re.compile(r"\r\x1b\[\d+A")


def states(lines: List[str]) -> List[Tuple[str, str]]:
    """``(state, "kind type name: cause")`` of every progress line; other lines are left out."""
    found = [PLAIN_LINE.match(line) for line in lines]
    return [(match.group(1), match.group(2)) for match in found if match]


def frames(screen: str) -> List[List[str]]:
    """The lines of each frame the live display drew over the previous one, without colors."""
    return [STYLE.sub("", frame).replace("\r", "").splitlines() for frame in CURSOR_UP.split(screen)]
