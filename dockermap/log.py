"""dockermap's loggers, made when first needed: a command that logs nothing does not import :mod:`logging`.

Importing :mod:`logging` (with ``traceback``, ``tokenize`` and ``textwrap``) takes a few per cent of a
``dockermap update`` that changes nothing. Every dockermap module gets its logger from :func:`logger`;
code that shows dockermap's log records (the command's progress display) attaches its handler through
:func:`when_logging`, at once if a logger exists, else just before the first one is made.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Callable, List

if TYPE_CHECKING:
    import logging

_waiting: List[Callable[[], None]] = []
_made = False


def logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)``; the first call runs what :func:`when_logging` was given."""
    global _made
    import logging

    if not _made:
        _made = True
        while _waiting:
            _waiting.pop(0)()
    return logging.getLogger(name)


def when_logging(attach: Callable[[], None]) -> Callable[[], None]:
    """Run ``attach`` now if :mod:`logging` is in use, else when the first dockermap logger is made.
    Returns a function that forgets ``attach`` if it has not run yet."""
    if _made or "logging" in sys.modules:
        attach()
    else:
        _waiting.append(attach)

    def forget() -> None:
        if attach in _waiting:
            _waiting.remove(attach)

    return forget
