"""Errors raised while reading Compose files.

Hierarchy (:class:`~dockermap.exceptions.DockerMapError` is the root of every dockermap error)::

    DockerMapError
    ├── ComposeFileError (ValueError)
    │       a Compose file cannot be turned into a container map; ``problems`` lists every
    │       ComposeProblem(file, line, key, message) found, unsupported keys included
    ├── VariableError (ValueError)
    │       a variable reference is malformed, or a required variable is missing
    └── UnresolvedExtends
            an ``extends`` cannot be resolved; its problem is already recorded, and the loader turns it
            into a ComposeFileError (never reaches the caller)
"""

from __future__ import annotations

from typing import Any, Iterable, List, NamedTuple, Optional, Protocol, Tuple

from dockermap.exceptions import DockerMapError
from dockermap.positions import KeyLines, Path
from dockermap.utils import closest_name


class ComposeProblem(NamedTuple):
    """One problem in a Compose file: where (file, line, dotted key) and what."""

    file: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return f"{place}: {self.key}: {self.message}" if self.key else f"{place}: {self.message}"


class ComposeFileError(DockerMapError, ValueError):
    """A Compose file cannot be turned into a container map; ``problems`` holds every problem found."""

    def __init__(self, problems: Iterable[ComposeProblem]) -> None:
        self.problems: List[ComposeProblem] = list(problems)
        lines = [f"{len(self.problems)} problem(s) in Compose file:"]
        lines.extend(f"  - {problem}" for problem in self.problems)
        super().__init__("\n".join(lines))


class VariableError(DockerMapError, ValueError):
    """A variable reference is malformed, or a required variable is missing."""


class UnresolvedExtends(DockerMapError):
    """An ``extends`` that cannot be resolved (the problem is already recorded)."""


def dotted(path: Path) -> str:
    """``('services', 'web', 'ports', 0)`` → ``services.web.ports[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def closest(name: str, valid: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the closest valid name, or an empty string."""
    match = closest_name(name, valid)
    return f"; did you mean {match!r}?" if match else ""


class Locator(Protocol):
    """Where the values of a document merged from several files come from."""

    def place(self, path: Path) -> Tuple[str, int]: ...


class Problems:
    """Collects the problems of one document, with the file and line of each key.

    ``lines`` locates the keys of a single file; ``places`` those of a document merged from several.
    """

    def __init__(self, file: str, lines: Optional[KeyLines] = None, places: Optional[Locator] = None) -> None:
        self.file = file
        self.lines = lines
        self.places = places
        self.found: List[ComposeProblem] = []

    def place(self, path: Path) -> Tuple[str, int]:
        """The file and line of ``path`` (line 0 if the lines are not known)."""
        if self.places is not None:
            return self.places.place(path)
        return self.file, self.lines.line(path) if self.lines is not None else 0

    def line(self, path: Path) -> int:
        return self.place(path)[1]

    def add(self, path: Path, message: str) -> None:
        file, line = self.place(path)
        self.found.append(ComposeProblem(file, line, dotted(path), message))

    def unsupported(self, path: Path, detail: str = "") -> None:
        self.add(path, f"not supported by dockermap{': ' + detail if detail else ''}")

    def unknown(self, path: Path, valid: Iterable[str]) -> None:
        self.add(path, f"unknown key{closest(str(path[-1]), valid)}")

    def check(self, *, convert: Any, path: Path, value: Any) -> Any:
        """``convert(value)``; a ``ValueError`` is recorded at ``path`` and gives ``None``."""
        try:
            return convert(value)
        except ValueError as exc:
            self.add(path, str(exc))
            return None

    def raise_any(self) -> None:
        if self.found:
            raise ComposeFileError(sorted(self.found, key=self._order))

    def _order(self, problem: ComposeProblem) -> Tuple[bool, str, int]:
        """The main file's problems first, then those of the other files, each by line."""
        return problem.file != self.file, problem.file, problem.line
