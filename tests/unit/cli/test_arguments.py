"""The command line: -j, and errors that say which command, option or choice was probably meant."""

from __future__ import annotations

import pytest

from dockermap.cli.arguments import ArgumentError, build_parser, parse, unknown_arguments


def error(*argv: str) -> str:
    with pytest.raises(ArgumentError) as caught:
        parse(list(argv))
    return str(caught.value)


def test_jobs():
    assert parse(["-j", "3", "startup"]).jobs == 3
    assert parse(["startup"]).jobs is None
    for bad in ("0", "-1", "two"):
        assert "expected a whole number of at least 1" in error("-j", bad, "startup")


def test_unknown_command_and_choice_suggest_the_closest():
    assert "invalid choice: 'upgrade'; did you mean 'update'?" in error("upgrade")
    assert "invalid choice: 'shutdwn'; did you mean 'shutdown'?" in error("plan", "--action", "shutdwn")


def test_unknown_options():
    assert "unknown option '--jsn'; did you mean '--json'?" in error("--jsn", "plan")
    assert "unknown option '--tial'; did you mean '--tail'?" in error("logs", "--tial", "3")
    assert "--json is an option of dockermap: give it before the command" in error("status", "--json")
    assert error("plan", "--zzz").startswith("unknown option '--zzz'; valid options are --action, ")


def test_unknown_arguments_message():
    message = unknown_arguments(["--volume", "--map=x", "extra"], ["--volumes"], ["--map"])
    assert message == (
        "unknown option '--volume'; did you mean '--volumes'?; --map is an option of dockermap: give it "
        "before the command; unexpected argument 'extra'"
    )


COMMAND_LINES = [
    ["update"],
    ["-f", "a.yaml", "-f", "b.yaml", "--map", "web", "-j", "2", "startup", "web", "db"],
    ["--file=a.yaml", "--json", "shutdown", "--volumes"],
    ["-fa.yaml", "plan", "--action", "shutdown", "web"],
    ["--fi", "update", "-H", "tcp://127.0.0.1:1", "status"],  # an abbreviated option's value names a command
    ["--ma", "logs", "logs", "-f", "--tail", "3", "web"],
    ["--env-file", "x.env", "-p", "proj", "exec", "web", "ls", "-l", "/"],
    ["build", "--no-cache", "--pull"],
    ["--show-secret-values", "config"],
    ["--", "update"],
    ["update", "--bogus"],
    ["bogus"],
    [],
]


@pytest.mark.parametrize("argv", COMMAND_LINES)
def test_only_the_named_command_is_built_and_parsing_is_the_same_as_with_all(argv):
    """``parse`` builds the parser of the command it finds alone; the result or error is the one the parser
    with every command gives."""

    def outcome(parser):
        try:
            parsed, extras = parser.parse_known_args(argv)
        except (ArgumentError, SystemExit) as exc:
            return type(exc), str(exc)
        return vars(parsed), extras

    reduced = build_parser(argv)
    commands = {
        name
        for action in reduced._actions
        if hasattr(action, "choices") and action.choices
        for name in action.choices
    }
    named = outcome(build_parser())
    assert outcome(reduced) == named
    if isinstance(named[0], dict) and "--" not in argv:
        assert commands == {named[0]["command"]}  # the one command, not all
