"""The commands: each takes the parsed arguments, the loaded files and the output, returns an exit code."""

from __future__ import annotations

import argparse
from typing import Any, Callable, Dict, List, Optional

from .arguments import ACTIONS
from .inputs import InputError, Inputs
from .output import Output
from .targets import ALL, Target, check_names, client_named, select_map, targets

DONE, FAILED = 0, 1


class Session:
    """The map client for the loaded files, the selected map and names, and the output."""

    def __init__(self, args: argparse.Namespace, inputs: Inputs, output: Output) -> None:
        from dockermap.client import client_kwargs_from_env
        from dockermap.map.client import MappingDockerClient
        from dockermap.map.config.client import ClientConfiguration

        self.args = args
        self.inputs = inputs
        self.output = output
        self.map_name = select_map(inputs.maps, args.map_name)
        self.names: List[str] = list(getattr(args, "names", None) or [])
        check_names(inputs.maps, self.map_name, self.names, inputs.sources)
        if args.client:
            default = client_named(inputs.clients, args.client)
        elif args.host:
            default = ClientConfiguration(base_url=args.host)
        else:
            default = ClientConfiguration(**client_kwargs_from_env())
        defaults = {"show_secret_values": True} if args.show_secret_values else {}
        self.client = MappingDockerClient(
            inputs.maps, default, clients=inputs.clients, option_defaults=defaults
        )

    @property
    def requested(self) -> Any:
        return self.names or ALL

    def with_networks(self) -> Any:
        """The requested names; for a whole map also its networks (which ``shutdown`` then removes)."""
        if self.names:
            return self.names
        from dockermap.map.input import ItemType, MapConfigId

        maps = self.inputs.maps
        selected = [maps[self.map_name]] if self.map_name else list(maps.values())
        networks = [
            MapConfigId(ItemType.NETWORK, m.name, name) for m in selected for name in dict(m.networks)
        ]
        return [ALL, *networks]

    def api(self, client_name: str) -> Any:
        return self.client.clients[client_name].get_client()

    def targets(self) -> List[Target]:
        return targets(self.inputs.maps, self.map_name, self.names)


def plan(session: Session) -> int:
    action = session.args.action
    requested = session.with_networks() if action == "shutdown" else session.requested
    actions = session.client.plan(ACTIONS[action], requested, map_name=session.map_name)
    steps = together(actions.steps(), session.args.jobs)
    for index, action in enumerate(actions):
        session.output.action(action, "planned", step=steps[index] if steps else None)
    count = len(actions)
    text = f"{count} action(s) planned" if count else "nothing to do"
    session.output.summary("planned", text, actions=count)
    return DONE


def together(steps: Optional[List[int]], jobs: Optional[int]) -> Optional[List[int]]:
    """The step of each action when some run together (not with one job at a time), else ``None``."""
    if not steps or jobs == 1 or len(set(steps)) == len(steps):
        return None
    return steps


def run_action(session: Session) -> int:
    from dockermap.map.exceptions import ActionRunnerException

    from .progress import open_progress

    command = session.args.command
    options: Dict[str, Any] = {}
    requested = session.requested
    if command == "shutdown":
        options["remove_attached"] = session.args.volumes
        requested = session.with_networks()
    if session.args.jobs:
        options["max_workers"] = session.args.jobs
    try:
        with open_progress(session.output) as progress:
            results = session.client.run_actions(
                ACTIONS[command], requested, map_name=session.map_name, listener=progress.listener, **options
            )
    except ActionRunnerException as exc:
        done = len(exc.results)
        session.output.error(f"{exc}\n{done} action(s) done before the failure", FAILED, done=done)
        return FAILED
    text = f"{len(results)} action(s) done" if results else "nothing to do"
    session.output.summary("done", text, actions=len(results))
    return DONE


def _health(status_text: str) -> str:
    for word in ("unhealthy", "healthy", "health: starting"):
        if f"({word})" in status_text:
            return word.replace("health: ", "")
    return ""


def _ports(entry: Dict[str, Any]) -> str:
    published = []
    for port in entry.get("Ports") or []:
        inside = f"{port['PrivatePort']}/{port['Type']}"
        if port.get("PublicPort"):
            published.append(f"{port.get('IP', '')}:{port['PublicPort']}->{inside}")
        else:
            published.append(inside)
    return ", ".join(sorted(set(published)))


def status(session: Session) -> int:
    update = session.client.plan("update", session.requested, map_name=session.map_name)
    causes: Dict[Any, str] = {}
    for action in update:
        if action.item_type.value == "container":
            causes.setdefault((action.client, action.name), action.cause)
    listed: Dict[str, Dict[str, Any]] = {}
    rows = []
    for target in session.targets():
        if target.client not in listed:
            entries = session.api(target.client).containers(all=True)
            listed[target.client] = {name.lstrip("/"): entry for entry in entries for name in entry["Names"]}
        entry = listed[target.client].get(target.name)
        row = {
            "name": target.name,
            "state": entry["State"] if entry else "missing",
            "health": _health(entry.get("Status", "")) if entry else "",
            "image": entry["Image"] if entry else "",
            "ports": _ports(entry) if entry else "",
            "update": causes.get((target.client, target.name), ""),
        }
        if target.client != "__default__":
            row["client"] = target.client
        rows.append(row)
    columns = ["name", "state", "health", "image", "ports", "update"]
    if any("client" in row for row in rows):
        columns.insert(1, "client")
    session.output.table("status", columns, rows)
    return DONE


def logs(session: Session) -> int:
    from .logs import print_logs

    return print_logs(session, session.targets(), session.args.follow, session.args.tail)


def exec_command(session: Session) -> int:
    from .logs import run_exec

    return run_exec(session, session.args.name, session.args.cmd)


def build(session: Session) -> int:
    from .build import build_images

    return build_images(session)


def config(session: Session) -> int:
    from .config import print_config

    return print_config(session)


COMMANDS: Dict[str, Callable[[Session], int]] = {
    "plan": plan,
    "status": status,
    "logs": logs,
    "exec": exec_command,
    "config": config,
    "build": build,
    **{command: run_action for command in ACTIONS},
}


def run(args: argparse.Namespace, output: Output, inputs: Optional[Inputs] = None) -> int:
    """Load the files and run the command; bad input raises :class:`InputError`."""
    from .inputs import find_files, load_inputs

    if inputs is None:
        inputs = load_inputs(find_files(args.files), args.project_name, args.env_file)
    if args.command == "exec":
        args.names = [args.name]
        if not args.cmd:
            raise InputError("exec needs a command, e.g. 'dockermap exec web ls /'")
    session = Session(args, inputs, output)
    return COMMANDS[args.command](session)
