"""What the command prints: colors only on a terminal without NO_COLOR, tables, JSON lines."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from dockermap.cli.config import plain
from dockermap.cli.inputs import _kind
from dockermap.cli.output import Output, use_color
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


ACTION = Action(
    "__default__", "create", ItemType.CONTAINER, MapConfigId(ItemType.CONTAINER, "m", "web"), "m.web", "why"
)


def test_colors_only_on_a_terminal_without_no_color():
    assert use_color(Terminal(), {}) is True
    assert use_color(Terminal(), {"NO_COLOR": "1"}) is False
    assert use_color(Terminal(), {"NO_COLOR": ""}) is True
    assert use_color(io.StringIO(), {}) is False


def test_action_lines_plain_colored_and_json():
    plain_out = io.StringIO()
    Output(out=plain_out).action(ACTION, "planned")
    assert plain_out.getvalue() == "create container m.web: why\n"
    terminal = Terminal()
    output = Output(out=terminal)
    output.color = True
    output.action(ACTION, "running")
    assert terminal.getvalue() == "\x1b[32mcreate\x1b[0m container m.web: why\n"
    json_out = io.StringIO()
    Output(as_json=True, out=json_out).action(ACTION, "planned")
    assert json.loads(json_out.getvalue()) == {
        "event": "action",
        "state": "planned",
        "kind": "create",
        "type": "container",
        "name": "m.web",
        "client": "__default__",
        "cause": "why",
    }


def test_table_and_errors():
    out, err = io.StringIO(), io.StringIO()
    output = Output(out=out, err=err)
    output.table("status", ["name", "state"], [{"name": "m.web", "state": "running"}, {"name": "m.db"}])
    assert out.getvalue().splitlines() == ["NAME   STATE", "m.web  running", "m.db   -"]
    output.error("bad file", 2)
    assert err.getvalue() == "dockermap: error: bad file\n"
    json_out = io.StringIO()
    Output(as_json=True, out=json_out).error("bad file", 2, done=0)
    assert json.loads(json_out.getvalue()) == {
        "event": "error",
        "exit_code": 2,
        "message": "bad file",
        "done": 0,
    }


def test_file_kinds():
    assert _kind({"services": {}}) == "compose"
    assert _kind({"one": {"base_url": "tcp://a:2375"}, "two": {"base_url": "unix:///s"}}) == "clients"
    assert _kind({"name": "m", "web": {"image": "nginx"}}) == "map"
    assert _kind({"web": {"base_url": "x"}, "db": {}}) == "map"


def test_plain_values_for_yaml():
    value = {"a": (1, 2), "b": None, "c": [], "d": MapConfigId(ItemType.CONTAINER, "m", "web")}
    assert plain(value) == {
        "a": [1, 2],
        "d": {"config_type": "container", "map_name": "m", "config_name": "web"},
    }
    # a readiness timeout of None is no time limit, not an unset entry
    ready = {"condition": "completed", "timeout": None}
    assert plain({"job": {"ready": ready, "user": None}}) == {"job": {"ready": ready}}


def test_import_and_start_stay_lean():
    """Neither ``import dockermap`` nor ``dockermap --help`` loads the Docker SDK or the map machinery."""
    code = (
        "import sys, dockermap, dockermap.cli\n"
        "from dockermap.cli.arguments import build_parser\n"
        "build_parser().format_help()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docker', 'yaml', 'requests') "
        "or m.startswith('dockermap.map')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_plan_steps_only_when_actions_run_together():
    from dockermap.cli.commands import together

    assert together([1, 2, 1, 3], None) == [1, 2, 1, 3]
    assert together([1, 2, 1, 3], 1) is None  # one job at a time: nothing runs together
    assert together([1, 2, 3], 4) is None and together(None, 4) is None
    out, json_out = io.StringIO(), io.StringIO()
    Output(out=out).action(ACTION, "planned", step=2)
    assert out.getvalue() == "[2] create container m.web: why\n"
    Output(as_json=True, out=json_out).action(ACTION, "planned", step=2)
    assert json.loads(json_out.getvalue())["step"] == 2
