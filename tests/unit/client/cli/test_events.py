"""The ``docker events`` command of the command-line client."""

from __future__ import annotations

import time

import pytest

from dockermap.client.cli import UnsupportedOption
from dockermap.client.cli.events import SINCE_MARGIN, events_args
from dockermap.client.cmdline import DockerCommandLineClient


def test_events_print_json_with_every_filter_value_as_its_own_flag():
    args = events_args(["docker", "-H", "unix:///e.sock"], {"type": ["container"], "label": "a"}, since=12.5)
    assert args == [
        "docker",
        "-H",
        "unix:///e.sock",
        "events",
        "--format",
        "{{json .}}",
        "--since=12.5",
        "--filter=type=container",
        "--filter=label=a",
    ]


def test_without_since_the_command_starts_a_moment_back():
    before = time.time()
    since = float(events_args(["docker"], None)[4].split("=")[1])
    after = time.time()
    assert before - SINCE_MARGIN - 1e-6 <= since <= after - SINCE_MARGIN + 1e-6


def test_a_client_running_commands_through_a_callable_cannot_stream_events():
    client = DockerCommandLineClient(run=lambda command: "")
    with pytest.raises(UnsupportedOption) as error:
        client.events(decode=True, filters={})
    assert "locally run commands" in str(error.value)
