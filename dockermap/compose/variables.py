"""Variables of a Compose project: ``${VAR}`` interpolation and environment files (``.env``, ``env_file``).

Interpolation follows the Compose Specification: ``$VAR`` and ``${VAR}``; ``${VAR:-default}`` (unset or
empty) and ``${VAR-default}`` (unset); ``${VAR:?message}`` and ``${VAR?message}`` (an error);
``${VAR:+other}`` and ``${VAR+other}`` (the alternative when set); nested defaults; ``$$`` for a
literal ``$``. An unset variable without default becomes an empty string, with a warning.
"""

from __future__ import annotations

import re
import warnings
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from .exceptions import VariableError as VariableError

Lookup = Callable[[str], Optional[str]]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BRACED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", re.DOTALL)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"'}


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    index = start
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}":
            if depth == 0:
                return index
            depth -= 1
        index += 1
    raise VariableError(f"unclosed '${{' in {text!r}")


def _braced(inner: str, lookup: Lookup, where: str) -> str:
    match = _BRACED.fullmatch(inner)
    if match is None:
        raise VariableError(f"invalid variable reference '${{{inner}}}'")
    name, operator, argument = match.groups()
    value = lookup(name)
    is_set = value is not None
    filled = bool(value)
    if operator is None:
        if not is_set:
            warnings.warn(f"{where}: variable {name!r} is not set; using an empty string", stacklevel=4)
        return value or ""
    if operator in (":-", "-"):
        keep = filled if operator == ":-" else is_set
        return value if keep and value is not None else interpolate(argument, lookup, where)
    if operator in (":?", "?"):
        if value is not None and (filled if operator == ":?" else is_set):
            return value
        message = interpolate(argument, lookup, where)
        raise VariableError(
            f"required variable {name!r} is missing a value" + (f": {message}" if message else "")
        )
    use = filled if operator == ":+" else is_set
    return interpolate(argument, lookup, where) if use else ""


def interpolate(text: str, lookup: Lookup, where: str = "") -> str:
    """``text`` with its variable references replaced through ``lookup`` (``None``: unset).

    :raises VariableError: for a malformed reference or a missing required variable.
    """
    if "$" not in text:
        return text
    out: List[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        following = text[index + 1 : index + 2]
        if char != "$":
            out.append(char)
            index += 1
        elif following == "$":
            out.append("$")
            index += 2
        elif following == "{":
            end = _closing_brace(text, index + 2)
            out.append(_braced(text[index + 2 : end], lookup, where))
            index = end + 1
        else:
            match = _NAME.match(text, index + 1)
            if match is None:
                out.append("$")
                index += 1
            else:
                out.append(_braced(match.group(), lookup, where))
                index = match.end()
    return "".join(out)


def _quoted(rest: str, quote: str) -> Tuple[str, str]:
    """``(value, what follows the closing quote)`` of a quoted env-file value (after the opening quote)."""
    out: List[str] = []
    index = 0
    while index < len(rest):
        char = rest[index]
        if char == "\\" and index + 1 < len(rest):
            escaped = rest[index + 1]
            if quote == '"' and escaped in _ESCAPES:
                out.append(_ESCAPES[escaped])
            elif escaped == quote:
                out.append(quote)
            else:
                out.append(char + escaped)
            index += 2
            continue
        if char == quote:
            return "".join(out), rest[index + 1 :]
        out.append(char)
        index += 1
    raise VariableError(f"missing closing {quote} in {quote}{rest}")


def _env_value(raw: str, lookup: Lookup, where: str) -> str:
    raw = raw.strip()
    if raw[:1] in ("'", '"'):
        value, after = _quoted(raw[1:], raw[0])
        after = after.strip()
        if after and not after.startswith("#"):
            raise VariableError(f"unexpected text after the closing quote: {after!r}")
        return value if raw[0] == "'" else interpolate(value, lookup, where)
    comment = re.search(r"\s#", raw)
    if comment:
        raw = raw[: comment.start()]
    return interpolate(raw.strip(), lookup, where)


def parse_env_file(text: str, lookup: Lookup, source: str) -> Tuple[Dict[str, str], List[Tuple[int, str]]]:
    """``(variables, problems as (line, message))`` of an environment file.

    Lines are ``VAR=VALUE`` (an ``export`` prefix is allowed); ``#`` starts a comment line, and in an
    unquoted value a comment after a space. Unquoted and double-quoted values are interpolated
    (through ``lookup`` and the variables defined above them); single-quoted values are literal.
    """
    variables: Dict[str, str] = {}
    problems: List[Tuple[int, str]] = []

    def known(name: str) -> Optional[str]:
        return variables[name] if name in variables else lookup(name)

    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("export "):
            stripped = stripped[len("export ") :].lstrip()
        name, sep, raw = stripped.partition("=")
        name = name.strip()
        if not sep or not _NAME.fullmatch(name):
            problems.append((number, f"expected VAR=VALUE, found {stripped!r}"))
            continue
        try:
            variables[name] = _env_value(raw, known, f"{source}:{number}")
        except VariableError as exc:
            problems.append((number, str(exc)))
    return variables, problems


def chain(*sources: Mapping[str, str]) -> Lookup:
    """A lookup trying ``sources`` in order."""

    def lookup(name: str) -> Optional[str]:
        for source in sources:
            if name in source:
                return source[name]
        return None

    return lookup
