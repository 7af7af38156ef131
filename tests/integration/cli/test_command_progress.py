"""The progress display of the ``dockermap`` command: live on a pseudo-terminal, with several actions in
flight and lines updated in place; JSON events for image pulls."""

from __future__ import annotations

import re

from tests.helpers import build_image, ok
from tests.integration.cli.lines import CURSOR_UP, frames, states

LEAVES = 3
#: A leaf is ready only once every leaf started, so their start actions all run at the same time.
LEAF = """\
leaf{n}:
  image: {image}
  uses: data
  stop_timeout: 1
  ready: {{log: '^met$', timeout: 60}}
  create_options:
    command: [sh, -c, 'touch /data/leaf.$HOSTNAME; while [ "$(ls /data | grep -c leaf)" -lt {leaves} ];
      do sleep 0.05; done; echo met; trap "exit 0" TERM; sleep 600 & wait']
"""
MEETING = """\
name: {name}
volumes: {{data: /data}}
hub:
  image: {image}
  attaches: data
  stop_timeout: 1
  create_options: {{command: [sh, -c, 'trap "exit 0" TERM; sleep 600 & wait']}}
"""


def test_live_display_shows_actions_in_flight_and_updates_in_place(
    command, terminal, cleanup, base_image, tmp_path
):
    name = cleanup.name("live")
    text = MEETING.format(name=name, image=base_image)
    text += "".join(LEAF.format(n=n, image=base_image, leaves=LEAVES) for n in range(LEAVES))
    (tmp_path / "dockermap.yaml").write_text(text)
    planned = [r for r in ok(command(tmp_path, "--json", "plan", "--action", "startup")).json_lines()]
    actions = len(planned) - 1

    screen = terminal(tmp_path, "-j", "4", "startup", NO_COLOR="1")

    drawn = frames(screen)
    starts = {f"start container {name}.leaf{n}" for n in range(LEAVES)}
    in_flight = [
        frame
        for frame in drawn
        if starts <= {line.split(":")[0][16:] for line in frame if line.startswith("running")}
    ]
    assert in_flight, screen  # every leaf's start was running at once, on one screen
    assert len(CURSOR_UP.findall(screen)) > actions  # redrawn over and over in place
    assert not re.search(r"\x1b\[[0-9;]*m", screen)  # NO_COLOR: no colors
    # every action is printed once when it ends, above the live lines; the summary comes last
    ended = states([line for frame in drawn for line in frame if line.startswith("done")])
    assert len(ended) == len(set(ended)) == actions
    assert drawn[-1][-1] == f"{actions} action(s) done"
    assert "running" not in "".join(drawn[-1])

    ok(command(tmp_path, "shutdown", "--volumes"))


PULLED = """\
name: {name}
app:
  image: {image}
  stop_timeout: 1
"""


def test_pull_progress_per_image_as_json_events(command, engine, cleanup, registry, tmp_path):
    from dockermap.client.base import DockerClientWrapper

    repository = f"{registry.host}/{cleanup.name('repo')}/app"
    image = f"{repository}:latest"
    build_image(engine.api, image, "FROM busybox:latest\nRUN echo layer > /layer\n", labels=cleanup.labels)
    wrapper = DockerClientWrapper(engine.base_url)
    assert wrapper.login(registry.username, registry.password, registry=registry.host)
    assert wrapper.push(repository, tag="latest")
    engine.api.remove_image(image)
    wrapper.close()
    name = cleanup.name("pulled")
    (tmp_path / "dockermap.yaml").write_text(PULLED.format(name=name, image=image))
    (tmp_path / "clients.yaml").write_text(
        f"local:\n  base_url: {engine.base_url}\n  auth_configs:\n    {registry.host}:\n"
        f"      username: {registry.username}\n      password: {registry.password}\n"
    )

    records = ok(
        command(tmp_path, "-f", "dockermap.yaml", "-f", "clients.yaml", "--client", "local", "--json", "pull")
    )
    events = records.json_lines()
    pull = [r for r in events if r.get("kind") == "pull" and r["name"] == image]
    assert [r["state"] for r in pull if r["event"] == "action"] == ["waiting", "running", "done"]
    details = [r["detail"] for r in pull if r["event"] == "progress"]
    # the layers' statuses (the new one is pulled, the others exist), and the engine's output lines
    layers = [re.match(r"(\d+)/(\d+) layers, \w+: (.*)", detail) for detail in details]
    summaries = [match.groups() for match in layers if match]
    done, total, status = summaries[-1]
    assert done == total and status == "Pull complete", details
    # A layer on its way (the engine keeps only the latest progress of a transfer for a slow reader, so
    # which of these statuses shows depends on timing), before it is complete.
    on_its_way = ("Downloading", "Verifying Checksum", "Download complete", "Extracting")
    assert any(status.startswith(on_its_way) for _, _, status in summaries[:-1]), details
    assert any(detail.startswith("Status: Downloaded newer image") for detail in details), details
    assert engine.api.inspect_image(image)["RepoTags"] == [image]
    assert registry.password not in records.out
