"""The ``dockermap`` command line: options, commands and their arguments."""

from __future__ import annotations

import argparse
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


class _Parser(argparse.ArgumentParser):
    """Errors are raised, and say which command or option was probably meant."""

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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dockermap",
        description="Run the containers of map files and Compose files.",
        epilog="Exit codes: 0 done, 1 an action failed, 2 bad input.",
    )
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    plan = commands.add_parser("plan", help=_HELP["plan"])
    plan.add_argument(
        "--action", default="update", choices=sorted(ACTIONS), help="the action (default: update)"
    )
    _names(plan)
    for command, _ in ACTIONS.items():
        sub = commands.add_parser(command, help=_HELP[command])
        if command == "shutdown":
            sub.add_argument("--volumes", action="store_true", help="also remove the attached volumes")
        _names(sub)
    _names(commands.add_parser("status", help=_HELP["status"]))
    logs = commands.add_parser("logs", help=_HELP["logs"])
    logs.add_argument("-f", "--follow", action="store_true", help="keep printing new lines")
    logs.add_argument("--tail", metavar="N", type=int, help="only the last N lines of each container")
    _names(logs)
    run = commands.add_parser("exec", help=_HELP["exec"])
    run.add_argument("name", metavar="NAME", help="configuration or instance")
    run.add_argument("cmd", nargs=argparse.REMAINDER, metavar="COMMAND", help="the command and its arguments")
    commands.add_parser("config", help=_HELP["config"])
    build = commands.add_parser("build", help=_HELP["build"])
    build.add_argument(
        "--no-cache", dest="nocache", action="store_true", help="build without the layer cache"
    )
    build.add_argument("--pull", action="store_true", help="pull newer versions of the base images")
    _names(build)
    return parser


def parse(argv: Optional[List[str]]) -> argparse.Namespace:
    """The parsed command line.

    :raises ArgumentError: for an unknown option or command, or missing arguments.
    """
    parser = build_parser()
    parsed, extras = parser.parse_known_args(argv)
    if extras:
        command = _commands(parser).get(parsed.command)
        parser.error(unknown_arguments(extras, _options(command) if command else [], _options(parser)))
    return parsed
