"""Compose variable interpolation and environment files."""

from __future__ import annotations

import pytest

from dockermap.compose.variables import VariableError, chain, interpolate, parse_env_file

ENV = chain({"SET": "value", "EMPTY": "", "OTHER": "other"})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("${SET}", "value"),
        ("$SET/x", "value/x"),
        ("pre-${SET}-post", "pre-value-post"),
        ("${EMPTY:-default}", "default"),
        ("${EMPTY-default}", ""),
        ("${UNSET-default}", "default"),
        ("${UNSET:-${OTHER}}", "other"),
        ("${UNSET:-${ALSO_UNSET:-deep}}", "deep"),
        ("${SET:+alt}|${EMPTY:+alt}|${EMPTY+alt}|${UNSET+alt}", "alt||alt|"),
        ("${SET:?never}", "value"),
        ("$$SET and $${SET}", "$SET and ${SET}"),
        ("costs $5, 100%$", "costs $5, 100%$"),
        ("no variables", "no variables"),
    ],
)
def test_interpolation(text, expected):
    assert interpolate(text, ENV) == expected


def test_unset_variable_without_default_is_empty_with_a_warning():
    with pytest.warns(UserWarning, match=r"here: variable 'UNSET' is not set"):
        assert interpolate("a${UNSET}b", ENV, "here") == "ab"


@pytest.mark.parametrize(
    "text, message",
    [
        ("${UNSET:?set it please}", "required variable 'UNSET' is missing a value: set it please"),
        ("${EMPTY:?}", "required variable 'EMPTY' is missing a value"),
        ("${UNSET?gone}", "required variable 'UNSET' is missing a value: gone"),
        ("${SET", "unclosed '${'"),
        ("${SET/a/b}", "invalid variable reference '${SET/a/b}'"),
        ("${1X}", "invalid variable reference"),
    ],
)
def test_interpolation_errors(text, message):
    with pytest.raises(VariableError, match=message.replace("$", r"\$").replace("{", r"\{")):
        interpolate(text, ENV)


def test_env_file_syntax():
    text = (
        "# a comment\n"
        "\n"
        "PLAIN=one two # comment\n"
        "export EXPORTED=yes\n"
        "HASH=a#b\n"
        'DOUBLE="tab\\there ${PLAIN} # kept"\n'
        "SINGLE='${PLAIN} \\t'\n"
        "ESCAPED='it\\'s'\n"
        "FROM_ABOVE=${EXPORTED}-${SET}\n"
        "EMPTY_VALUE=\n"
    )
    variables, problems = parse_env_file(text, ENV, ".env")
    assert problems == []
    assert variables == {
        "PLAIN": "one two",
        "EXPORTED": "yes",
        "HASH": "a#b",
        "DOUBLE": "tab\there one two # kept",
        "SINGLE": "${PLAIN} \\t",
        "ESCAPED": "it's",
        "FROM_ABOVE": "yes-value",
        "EMPTY_VALUE": "",
    }


def test_env_file_problems_name_their_lines():
    variables, problems = parse_env_file('GOOD=1\nno equals sign\nQ="unclosed\nR=${X:?needed}\n', ENV, "f")
    assert variables == {"GOOD": "1"}
    assert [line for line, _ in problems] == [2, 3, 4]
    assert "expected VAR=VALUE" in problems[0][1] and "needed" in problems[2][1]
