"""The closest valid name to a wrong one, for error messages (exit code 2)."""

from __future__ import annotations

from typing import Iterable


def did_you_mean(name: str, valid: Iterable[str], what: str = "names") -> str:
    """``; did you mean 'web'?``, or the valid ones (``what`` they are) when none is close."""
    names = sorted(set(valid))
    import difflib  # only for a message

    match = difflib.get_close_matches(name, names, n=1)
    return f"; did you mean {match[0]!r}?" if match else f"; valid {what} are {', '.join(names)}"
