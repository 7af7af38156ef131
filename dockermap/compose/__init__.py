"""Compose files as input: :func:`load_compose` turns a Compose file into a container map.

It reads the keys most Compose projects use (see the "Coming from Compose" guide for the table);
anything else is refused with one :class:`ComposeFileError` that lists every unsupported key with
its file, line and key, so nothing is silently dropped.
"""

from .exceptions import ComposeFileError, ComposeProblem
from .project import load_compose

__all__ = ["ComposeFileError", "ComposeProblem", "load_compose"]
