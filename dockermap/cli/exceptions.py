"""Errors of the ``dockermap`` command: what it reports with exit code 2 (bad input).

Hierarchy::

    DockerMapError
    ├── ArgumentError
    │       the command line is not valid
    └── InputError
            a file or a name on the command line is not valid
"""

from __future__ import annotations

from dockermap.exceptions import DockerMapError


class ArgumentError(DockerMapError):
    """The command line is not valid (exit code 2)."""


class InputError(DockerMapError):
    """A file or a name on the command line is not valid (exit code 2)."""
