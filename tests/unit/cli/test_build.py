"""The lines of ``dockermap build``: each build's steps, attributed to the image built in that thread."""

from __future__ import annotations

import io
import json
import logging
import threading

from dockermap.cli.build import BuildLines
from dockermap.cli.output import Output
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import Action


def build_action(image: str, client: str = "__default__") -> Action:
    name, tag = image.split(":")
    config_id = MapConfigId(ItemType.IMAGE, "m", name, tag)
    return Action(client, "build", ItemType.IMAGE, config_id, image, "build requested")


def record(logger: str, message: str, *args) -> logging.LogRecord:
    return logging.LogRecord(logger, logging.INFO, __file__, 1, message, args, None)


def test_steps_are_attributed_to_the_build_running_in_the_same_thread():
    out = io.StringIO()
    lines = BuildLines(Output(out=out))

    def build(image: str, client: str, proceed: threading.Event, done: threading.Event) -> None:
        lines.handle(record("dockermap.map.runner.base", "%s", build_action(image, client)))
        proceed.wait()
        lines.handle(record("dockermap.client.docker_util", "Step 1/2 : FROM scratch"))
        lines.handle(record("dockermap.client.docker_util", " ---> Running in 123"))  # not a step
        done.set()

    first_go, second_go, first_done, second_done = (threading.Event() for _ in range(4))
    threads = [
        threading.Thread(target=build, args=("web:1", "__default__", first_go, first_done)),
        threading.Thread(target=build, args=("api:2", "host2", second_go, second_done)),
    ]
    for thread in threads:
        thread.start()
    second_go.set()
    second_done.wait()
    first_go.set()
    for thread in threads:
        thread.join()
    lines.handle(record("dockermap.client.docker_util", "Step 2/2 : outside any build"))
    lines.handle(record("dockermap.map.runner.base", "%s", "not an action"))

    assert sorted(out.getvalue().splitlines()[:2]) == [
        "api:2 on host2: build requested",
        "web:1: build requested",
    ]
    assert out.getvalue().splitlines()[2:] == [
        "api:2 on host2: Step 1/2 : FROM scratch",
        "web:1: Step 1/2 : FROM scratch",
    ]


def test_json_events():
    out = io.StringIO()
    lines = BuildLines(Output(as_json=True, out=out))
    lines.handle(record("dockermap.map.runner.base", "%s", build_action("web:1")))
    lines.handle(record("dockermap.client.docker_util", "Step 1/1 : FROM scratch"))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events == [
        {
            "event": "build",
            "state": "started",
            "image": "web:1",
            "client": "__default__",
            "text": "build requested",
        },
        {
            "event": "build",
            "state": "step",
            "image": "web:1",
            "client": "__default__",
            "text": "Step 1/1 : FROM scratch",
        },
    ]


def test_map_files_read_by_the_command_have_contexts_relative_to_them(tmp_path, monkeypatch):
    from dockermap.cli.inputs import load_inputs

    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "dockermap.yaml").write_text("name: shop\nweb: {build: ./web}\n")
    monkeypatch.chdir(tmp_path)
    inputs = load_inputs(["stack/dockermap.yaml"])
    assert inputs.maps["shop"].containers["web"].build.context == str(tmp_path / "stack" / "web")
