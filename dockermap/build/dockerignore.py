"""``.dockerignore`` files, read and applied exactly as the Docker CLI does for the classic builder.

The rules, checked against ``docker build`` on a real engine:

* Lines are split at ``\\n``; a line starting with ``#`` is a comment; blanks around a pattern and around
  the ``!`` of an exception are dropped; patterns are cleaned like paths (``./a/`` is ``a``, a trailing
  ``/`` does not restrict a pattern to directories) and a leading ``/`` is dropped.
* ``*`` and ``?`` do not match ``/``; a pattern starting with ``**`` matches at any depth (``**.txt`` is
  every name ending in ``.txt``), ``**`` elsewhere any number of directories, a trailing ``/**``
  everything below a directory. ``[...]`` is a character class (``^`` negates it, and a negated class
  also matches ``/``; ``!`` has no special meaning); a backslash makes the next punctuation character
  literal.
* Patterns are evaluated in order and the last matching one decides; a pattern also applies to
  everything below a directory it matches.
* An excluded directory is only searched for exceptions when the text of an exception pattern starts
  with the directory's path (``!docs/keep.txt`` finds ``docs/keep.txt``, ``!*/keep.txt`` does not);
  the excluded directory itself is not sent, only what the exceptions include again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple, Optional

from dockermap.exceptions import DockerignoreError

DOCKERIGNORE = ".dockerignore"
# What Go's strings.TrimSpace removes (Unicode White_Space); Python's str.strip also removes \x1c-\x1f.
_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_BOM = "\ufeff"


class IgnorePattern(NamedTuple):
    """One compiled pattern: ``regex`` matches a whole ``/``-separated relative path."""

    regex: re.Pattern[str]
    exclusion: bool
    #: The cleaned pattern, without ``!``; an excluded directory is searched for exceptions by this text.
    text: str


def go_clean(path: str) -> str:
    """Clean a ``/``-separated path like Go's ``filepath.Clean`` (which, unlike ``posixpath.normpath``,
    also collapses a leading ``//``)."""
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part != "..":
            parts.append(part)
        elif parts and parts[-1] != "..":
            parts.pop()
        elif not rooted:
            parts.append("..")
    cleaned = "/".join(parts)
    return "/" + cleaned if rooted else cleaned or "."


def _class(pattern: str, pos: int) -> tuple[str, int]:
    # Translate the character class whose '[' is before ``pos``; returns (regex, index after ']').
    negate = pos < len(pattern) and pattern[pos] == "^"
    pos += negate
    items: list[str] = []

    def char(at: int) -> tuple[str, int]:
        if at >= len(pattern) or pattern[at] in "-]":
            raise ValueError("malformed character class")
        if pattern[at] == "\\":
            return _escaped(pattern, at + 1), at + 2
        if pattern.startswith("[:", at):
            raise ValueError("POSIX character classes ([:name:]) are not supported")
        return pattern[at], at + 1

    while True:
        if pos < len(pattern) and pattern[pos] == "]" and items:
            return ("[^" if negate else "[") + "".join(items) + "]", pos + 1
        low, pos = char(pos)
        if pos < len(pattern) and pattern[pos] == "-":
            high, pos = char(pos + 1)
            if high < low:
                raise ValueError(f"character range {low}-{high} is reversed")
            items.append(f"{re.escape(low)}-{re.escape(high)}")
        else:
            items.append(re.escape(low))


def _escaped(pattern: str, pos: int) -> str:
    # The character after a backslash; Docker hands letters, digits and non-ASCII characters to its
    # regular expression engine as escape sequences (\d, \n, ...) or fails, so they are refused.
    if pos >= len(pattern):
        raise ValueError("a pattern cannot end with a backslash")
    char = pattern[pos]
    if char.isalnum() or not char.isascii():
        raise ValueError(f"'\\{char}' is not a supported escape (a backslash escapes punctuation only)")
    return char


def compile_pattern(text: str) -> re.Pattern[str]:
    """A regular expression matching the whole relative paths that the cleaned pattern ``text`` matches.

    :raises ValueError: if the pattern is malformed or uses regular-expression features by accident.
    """
    parts: list[str] = []
    kind = "exact"
    pos, end, first = 0, len(text), True
    while pos < end:
        char = text[pos]
        pos += 1
        if char == "*" and text.startswith("*", pos):
            pos += 2 if text.startswith("*/", pos) else 1
            if pos < end:
                parts.append("(?:.*/)?")
                kind = "regex"
            elif kind == "exact":
                kind = "prefix"
            else:
                parts.append(".*")
                kind = "regex"
            if first:
                kind = "suffix"
        elif char in "*?":
            parts.append("[^/]*" if char == "*" else "[^/]")
            kind = "regex"
        elif char == "\\":
            parts.append(re.escape(_escaped(text, pos)))
            pos += 1
            kind = "regex"
        elif char == "[":
            regex, pos = _class(text, pos)
            parts.append(regex)
            kind = "regex"
        elif char == "]":
            parts.append(re.escape(char))
            kind = "regex"
        elif char == "^":
            parts.append(char)  # an anchor, as in Docker's regular expression; literal in plain patterns
        else:
            parts.append(re.escape(char))
        first = False
    if kind == "exact":
        body = re.escape(text)
    elif kind == "prefix":
        body = re.escape(text[:-2]) + "(?s:.*)"
    elif kind == "suffix":
        suffix = text[2:]
        body = "(?s:.*)" + re.escape(suffix)
        if suffix.startswith("/"):
            body = f"{body}|{re.escape(suffix[1:])}"
    else:
        body = "".join(parts)
    return re.compile(f"(?:{body})\\Z")


def read_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """``(line number, pattern)`` for the patterns in ``.dockerignore`` lines, cleaned as the Docker CLI
    reads them (exceptions keep their ``!``)."""
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        item = line.strip(_SPACE)
        if not item:
            continue
        exclusion = item.startswith("!")
        if exclusion:
            item = item[1:].strip(_SPACE)
        if item:
            item = go_clean(item)
            if len(item) > 1 and item.startswith("/"):
                item = item[1:]
        yield number, "!" + item if exclusion else item


def compile_item(item: str) -> IgnorePattern:
    """Compile one pattern as read by :func:`read_lines`.

    :raises ValueError: for a lone ``!`` or a malformed pattern.
    """
    item = go_clean(item.strip(_SPACE))
    exclusion = item.startswith("!")
    if exclusion:
        item = item[1:]
        if not item:
            raise ValueError('"!" alone is not a pattern')
    return IgnorePattern(compile_pattern(item), exclusion, item)


def parse_patterns(lines: Iterable[str], source: Optional[str] = None) -> list[IgnorePattern]:
    """Compile the patterns of ``.dockerignore`` lines.

    :param source: Name of the file, for error messages.
    :raises DockerignoreError: naming the file and line of an invalid pattern.
    """
    patterns = []
    for number, item in read_lines(lines):
        try:
            patterns.append(compile_item(item))
        except ValueError as exc:
            raise DockerignoreError(f"invalid pattern {item!r}: {exc}", source, number) from None
    return patterns


def read_dockerignore(directory: str) -> Optional[list[IgnorePattern]]:
    """The patterns of the ``.dockerignore`` file in ``directory``; ``None`` if it has none.

    :raises DockerignoreError: if the file is not UTF-8 or holds an invalid pattern.
    """
    filename = os.path.join(directory, DOCKERIGNORE)
    if not os.path.isfile(filename):
        return None
    with open(filename, "rb") as f:
        raw_lines = f.read().split(b"\n")
    lines = []
    for number, raw in enumerate(raw_lines, 1):
        try:
            lines.append(raw.removesuffix(b"\r").decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise DockerignoreError(f"not valid UTF-8 ({exc.reason})", filename, number) from None
    if lines and lines[0].startswith(_BOM):
        lines[0] = lines[0][1:]
    return parse_patterns(lines, filename)


def _matches(pattern: IgnorePattern, path: str, with_parents: bool) -> bool:
    if pattern.regex.match(path):
        return True
    if with_parents:
        components = path.split("/")[:-1]
        return any(pattern.regex.match("/".join(components[: i + 1])) for i in range(len(components)))
    return False


def evaluate(
    patterns: Sequence[IgnorePattern], path: str, parent: Optional[Sequence[bool]] = None
) -> tuple[bool, list[bool]]:
    """Whether ``path`` is excluded, and which patterns apply to it (the ``parent`` list of its children).

    A pattern that applied to the parent directory applies to the path; without ``parent`` the patterns
    are also matched against each parent directory. Patterns that cannot change the outcome so far are
    skipped, as by Docker (and then do not apply to children either).
    """
    excluded = False
    applied = []
    for index, pattern in enumerate(patterns):
        match = bool(parent and parent[index])
        if not match and pattern.exclusion == excluded:
            match = _matches(pattern, path, parent is None)
        applied.append(match)
        if match:
            excluded = not pattern.exclusion
    return excluded, applied


def searched_for_exceptions(patterns: Sequence[IgnorePattern], directory: str) -> bool:
    """Whether the excluded ``directory`` must be searched because an exception may include something
    inside it: the text of an exception starts with the directory's path."""
    prefix = directory + "/"
    return any(pattern.exclusion and (pattern.text + "/").startswith(prefix) for pattern in patterns)
