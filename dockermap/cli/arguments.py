"""The ``dockermap`` command line: options, commands and their arguments."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Dict, Iterable, List, NoReturn, Optional

from .exceptions import ArgumentError as ArgumentError
from .suggest import did_you_mean

#: Commands that run an action of the map client, and the action's name.
ACTIONS = {
    "startup": "startup",
    "update": "update",
    "shutdown": "shutdown",
    "create": "create",
    "start": "start",
    "stop": "stop",
    "restart": "restart",
    "remove": "remove",
    "pull": "pull_images",
}
_HELP = {
    "plan": "show what an action would do, and why (changes nothing)",
    "startup": "create and start everything, in dependency order",
    "update": "make the engine match the files, replacing only what changed",
    "shutdown": "stop and remove the containers (--volumes: also their volumes)",
    "create": "create the containers and what they need",
    "start": "start existing containers",
    "stop": "stop containers (dependents first)",
    "restart": "restart containers",
    "remove": "remove stopped containers",
    "pull": "pull the images",
    "build": "build the images of the configurations that have 'build'",
    "status": "a table of the containers: state, health, image, ports, pending update",
    "logs": "the containers' output, each line prefixed with the container name",
    "exec": "run a command in a running container",
    "config": "the resolved map(s), as YAML",
}


def _terminal_columns() -> int:
    """``COLUMNS``, else the width of the terminal on standard output, else 80."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, for the terminal's width found as ``shutil`` finds it, without
    importing ``shutil`` (with its compression modules) for every command line."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: Optional[int] = None
    ) -> None:
        super().__init__(
            prog, indent_increment, max_help_position, _terminal_columns() - 2 if width is None else width
        )


class _Parser(argparse.ArgumentParser):
    """Errors are raised, and say which command or option was probably meant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise ArgumentError(f"{message} (see 'dockermap --help')")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is not None and value not in action.choices:
            choices = [str(choice) for choice in action.choices]
            raise argparse.ArgumentError(action, f"invalid choice: {value!r}{did_you_mean(value, choices)}")


def _commands(parser: argparse.ArgumentParser) -> Dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> List[str]:
    return [option for action in parser._actions for option in action.option_strings]


def unknown_arguments(extras: Iterable[str], command_options: List[str], general_options: List[str]) -> str:
    """What is wrong with arguments nobody took: an option of ``dockermap`` itself given after the
    command, or the closest option of the command."""
    problems = []
    known = command_options + general_options
    for extra in extras:
        option = extra.split("=", 1)[0]
        if option in general_options:
            problems.append(f"{option} is an option of dockermap: give it before the command")
        elif option.startswith("-"):
            problems.append(f"unknown option {option!r}{did_you_mean(option, known, 'options')}")
        else:
            problems.append(f"unexpected argument {extra!r}")
    return "; ".join(problems)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _names(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("names", nargs="*", metavar="NAME", help="configurations, instances or groups")


def _general(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-f",
        "--file",
        dest="files",
        action="append",
        metavar="FILE",
        default=[],
        help="map, clients or Compose file (repeatable; default: look in this directory)",
    )
    engine = parser.add_mutually_exclusive_group()
    engine.add_argument("-H", "--host", metavar="HOST", help="Docker Engine URL (default: DOCKER_HOST)")
    engine.add_argument("--client", metavar="NAME", help="a client of the clients file as the default engine")
    parser.add_argument("--map", dest="map_name", metavar="NAME", help="the map to act on (default: all)")
    parser.add_argument("-p", "--project-name", metavar="NAME", help="Compose project name")
    parser.add_argument(
        "--env-file", action="append", metavar="FILE", help="Compose variables (instead of .env)"
    )
    parser.add_argument(
        "-j", "--jobs", type=_jobs, metavar="N", help="most actions running at once (default: 8)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument(
        "--show-secret-values",
        action="store_true",
        help="causes show environment values instead of naming the variable only",
    )


def _add_command(commands: Any, command: str) -> None:
    sub = commands.add_parser(command, help=_HELP[command])
    if command == "plan":
        sub.add_argument(
            "--action", default="update", choices=sorted(ACTIONS), help="the action (default: update)"
        )
    elif command == "shutdown":
        sub.add_argument("--volumes", action="store_true", help="also remove the attached volumes")
    elif command == "logs":
        sub.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
        sub.add_argument("--tail", metavar="N", type=int, help="only the last N lines of each container")
    elif command == "exec":
        sub.add_argument("name", metavar="NAME", help="configuration or instance")
        sub.add_argument(
            "cmd", nargs=argparse.REMAINDER, metavar="COMMAND", help="the command and its arguments"
        )
    elif command == "build":
        sub.add_argument(
            "--no-cache", dest="nocache", action="store_true", help="build without the layer cache"
        )
        sub.add_argument("--pull", action="store_true", help="pull newer versions of the base images")
    if command not in ("exec", "config"):
        _names(sub)


def _command_in(parser: argparse.ArgumentParser, argv: List[str]) -> Optional[str]:
    """The command ``argv`` names after the general options, or ``None`` when that is not certain."""
    with_value = [option for option, action in parser._option_string_actions.items() if action.nargs != 0]
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--":
            return None
        elif token.startswith("--"):  # also an abbreviation (``--fi``) of a long option with a value
            skip = "=" not in token and any(option.startswith(token) for option in with_value)
        elif token.startswith("-"):
            skip = token in with_value
        else:
            return token if token in _HELP else None
    return None


def build_parser(argv: Optional[List[str]] = None) -> argparse.ArgumentParser:
    """The parser of the command line; for ``argv``, with only the command it names (making all of
    them takes about as long as a whole ``update`` that changes nothing). Without a known command, all."""
    parser = _Parser(
        prog="dockermap",
        description="Run the containers of map files and Compose files.",
        epilog="Exit codes: 0 done, 1 an action failed, 2 bad input.",
    )
    _general(parser)
    named = _command_in(parser, argv) if argv is not None else None
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for command in _HELP:
        if named in (None, command):
            _add_command(commands, command)
    return parser


def parse(argv: Optional[List[str]]) -> argparse.Namespace:
    """The parsed command line.

    :raises ArgumentError: for an unknown option or command, or missing arguments.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    parsed, extras = parser.parse_known_args(argv)
    if extras:
        command = _commands(parser).get(parsed.command)
        parser.error(unknown_arguments(extras, _options(command) if command else [], _options(parser)))
    return parsed
