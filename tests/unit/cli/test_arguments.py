"""The command line: -j, and errors that say which command, option or choice was probably meant."""

from __future__ import annotations

import pytest

from dockermap.cli.arguments import ArgumentError, parse, unknown_arguments


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
