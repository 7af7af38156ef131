"""The closest valid name to a wrong one, for error messages (exit code 2)."""

from __future__ import annotations

from typing import Iterable

from dockermap.utils import closest_name


def did_you_mean(name: str, valid: Iterable[str], what: str = "names") -> str:
    """``; did you mean 'web'?``, or the valid ones (``what`` they are) when none is close."""
    names = sorted(set(valid))
    match = closest_name(name, names)
    return f"; did you mean {match!r}?" if match else f"; valid {what} are {', '.join(names)}"
