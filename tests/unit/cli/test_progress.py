"""The progress display: live lines on a terminal, plain lines elsewhere, JSON events; client output
of a running item becomes its detail."""

from __future__ import annotations

import io
import json
import logging
import re
import threading

import pytest

from dockermap.cli.output import Output
from dockermap.cli.progress import (
    CLIENT_LOGGER,
    JsonProgress,
    LiveProgress,
    PlainProgress,
    PullLayers,
    elapsed_text,
    frame_items,
    open_progress,
)
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def action(kind: str, name: str, client: str = "__default__") -> Action:
    config_id = MapConfigId(ItemType.CONTAINER, "m", name)
    return Action(client, kind, ItemType.CONTAINER, config_id, f"m.{name}", f"{name} needs it")


def test_elapsed_text():
    seconds = (None, 0.04, 12.0, 59.94, 125.5)
    assert [elapsed_text(s) for s in seconds] == ["", "0.0s", "12.0s", "59.9s", "2m05s"]


def test_pull_layers_are_summarized_and_only_status_changes_count():
    layers = PullLayers()
    assert layers.feed("Pulling from library/busybox", "latest", "") is False
    assert layers.feed("Pulling fs layer", "aaa", "") is True
    assert layers.feed("Already exists", "bbb", "") is True
    assert layers.feed("Downloading", "aaa", "[==>      ]  1.2MB/4MB") is True
    assert layers.feed("Downloading", "aaa", "[=====>   ]  2.5MB/4MB") is False
    assert layers.text() == "1/2 layers, aaa: Downloading 2.5MB/4MB"
    layers.feed("Pull complete", "aaa", "")
    assert layers.text() == "2/2 layers, aaa: Pull complete"


def test_plain_lines_when_actions_start_and_end():
    out, clock = io.StringIO(), Clock()
    progress = PlainProgress(Output(out=out), clock)
    first, second = action("create", "web"), action("start", "web", client="web1")
    progress.listener(first, "waiting")
    progress.listener(second, "waiting")
    assert out.getvalue() == ""
    progress.listener(first, "running")
    clock.now += 0.25
    progress.listener(first, "done")
    progress.listener(second, "running")
    clock.now += 61
    progress.listener(second, "failed")
    assert out.getvalue().splitlines() == [
        "running         create container m.web: web needs it",
        "done      0.2s  create container m.web: web needs it",
        "running         start container m.web on web1: web needs it",
        "failed   1m01s  start container m.web on web1: web needs it",
    ]
    assert not CONTROL.search(out.getvalue().replace("\n", ""))


def test_json_events_for_states_and_significant_details():
    out, clock = io.StringIO(), Clock()
    progress = JsonProgress(Output(as_json=True, out=out), clock)
    item = progress.add("pull image busybox", kind="pull", type="image", name="busybox")
    item.start()
    item.report("1/2 layers", significant=True)
    item.report("1/2 layers, aaa: Downloading 1MB/4MB", significant=False)
    clock.now += 1.5
    item.finish()
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    fields = {"kind": "pull", "type": "image", "name": "busybox"}
    assert records == [
        {"event": "action", "state": "waiting", **fields},
        {"event": "action", "state": "running", **fields},
        {"event": "progress", **fields, "detail": "1/2 layers"},
        {"event": "action", "state": "done", **fields, "elapsed": 1.5},
    ]


def frames(text: str):
    """The screens a live display drew: each starts by moving the cursor up over the last one."""
    return re.split(r"\r\x1b\[\d+A", text)


def test_live_display_redraws_running_and_waiting_lines_in_place():
    out, clock = Terminal(), Clock()
    progress = LiveProgress(Output(out=out), clock)
    actions = [action("create", "a"), action("create", "b"), action("start", "a")]
    for each in actions:
        progress.listener(each, "waiting")
    progress.listener(actions[0], "running")
    progress.listener(actions[1], "running")
    clock.now += 2
    progress.draw()
    progress.listener(actions[0], "done")
    progress.close()

    drawn = frames(out.getvalue())
    lines = [re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line) for line in drawn[2].split("\n")]
    assert lines[:3] == [
        "running   2.0s  create container m.a: a needs it",
        "running   2.0s  create container m.b: b needs it",
        "waiting         start container m.a: a needs it",
    ]
    assert drawn[2].startswith("\x1b[2K\x1b[33mrunning\x1b[0m")
    # the ended item is printed once above the live lines, which the last frame clears
    assert re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", drawn[3]).splitlines()[0] == (
        "done      2.0s  create container m.a: a needs it"
    )
    assert drawn[-1] == "\x1b[J"
    # three frames of three lines were drawn over (two starts, a tick), then one of two lines
    assert out.getvalue().count("\r\x1b[3A") == 3 and out.getvalue().count("\r\x1b[2A") == 1


def test_live_lines_fit_the_terminal_and_no_color_leaves_colors_out():
    out = Terminal()
    output = Output(out=out)
    output.color = False
    progress = LiveProgress(output, Clock())
    for n in range(30):
        progress.listener(action("create", f"c{n}" * 40), "waiting")
    progress.draw()
    lines = out.getvalue().split("\n")[:-1]
    assert len(lines) == 23 and lines[-1] == "\x1b[2K... and 8 more (8 waiting)"
    assert all(len(line) <= 4 + 79 for line in lines)  # \x1b[2K and at most 79 columns
    assert "\x1b[3" not in out.getvalue() and "\x1b[2m" not in out.getvalue()


def test_frame_puts_running_items_first():
    progress = PlainProgress(Output(out=io.StringIO()), Clock())
    waiting, running, last = progress.add("w"), progress.add("r"), progress.add("l")
    running.start()
    assert frame_items(progress.items, 10) == [running, waiting, last]
    assert frame_items(progress.items, 2) == [running, "... and 2 more (2 waiting)"]


def test_client_output_of_a_running_item_becomes_its_detail():
    from dockermap.client.base import LOG_PROGRESS_FORMAT

    out, err = io.StringIO(), io.StringIO()
    client_log = logging.getLogger(CLIENT_LOGGER)
    with PlainProgress(Output(out=out, err=err)) as progress:
        item = progress.add("build image app")
        other = progress.add("pull image busybox")
        with item.running():
            client_log.info("Step 1/2 : FROM busybox")
            assert item.detail == "Step 1/2 : FROM busybox"
            # output of another thread belongs to the item that thread runs
            with other.running():
                client_log.debug(LOG_PROGRESS_FORMAT, "Downloading", "aaa", "[=>  ] 1MB/2MB")
            thread = threading.Thread(target=client_log.info, args=("not bound",))
            thread.start()
            thread.join()
        logging.getLogger("dockermap.map.client").warning("orphan container m.old")
        with pytest.raises(RuntimeError):
            with progress.add("fails").running():
                raise RuntimeError("boom")
    assert other.detail == "0/1 layers, aaa: Downloading 1MB/2MB"
    assert item.detail == "Step 1/2 : FROM busybox" and item.state == "done"
    assert progress.items[-1].state == "failed"
    assert err.getvalue() == "dockermap: warning: orphan container m.old\n"
    assert client_log.level == logging.NOTSET and not logging.getLogger("dockermap").handlers


def test_open_progress_picks_the_display():
    assert isinstance(open_progress(Output(as_json=True, out=Terminal())), JsonProgress)
    assert isinstance(open_progress(Output(out=Terminal()), {"TERM": "xterm"}), LiveProgress)
    assert isinstance(open_progress(Output(out=Terminal()), {"TERM": "dumb"}), PlainProgress)
    assert isinstance(open_progress(Output(out=io.StringIO()), {}), PlainProgress)
