"""Fuzzing DockerFile values on the real engine: every value is either refused with DockerfileValueError
(only for the documented reasons) or arrives in the built image exactly as given."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dockermap.build.dockerfile import DockerFile
from dockermap.exceptions import DockerfileValueError

HOSTILE_CHARS = list(" \t\n\r\x0b\x0c\x00;|&$()`'\"\\*?[]{}#=:!~%^,-_./<>aZ9é漢") + ["$(", "${", "\\\n"]
text = st.lists(st.sampled_from(HOSTILE_CHARS) | st.characters(codec="utf-8"), max_size=8).map("".join)
# LABEL and ENV values expand $NAME by design; path components are single names.
unexpanded = text.map(lambda value: value.replace("$", ""))
component = text.filter(lambda value: "/" not in value and value not in ("", ".", ".."))
LINE_BREAKING = ("\n", "\r", "\x00")
FUZZ = settings(
    max_examples=6,
    deadline=None,
    database=None,
    phases=[Phase.generate],  # shrinking would rebuild images for minutes; the failing example is printed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_tags = itertools.count()


def _accepted(apply, value, refusable):
    # Whether ``apply(scratch_dockerfile, value)`` (then finalize) accepts the value; refusals must have
    # one of the documented reasons.
    scratch = DockerFile("a")
    try:
        apply(scratch, value)
        scratch.finalize()
    except DockerfileValueError:
        assert refusable(value), f"{value!r} was refused"
        return False
    return True


def _breaks_line(value):
    return any(char in str(value) for char in LINE_BREAKING)


def _bad_volume(value):
    return _breaks_line(value) or value != value.strip()


def _bad_context_name(value):
    return _breaks_line(value) or any(char in value for char in "*?[\\")


def _shell_command(dockerfile, arg):
    dockerfile.command_shell = True
    dockerfile.command = ["echo", arg]


def _bad_label(pair):
    return _breaks_line(pair[0]) or _breaks_line(pair[1]) or not pair[0] or "=" in pair[0]


@FUZZ
@given(
    user=text,
    workdir=component,
    labels=st.lists(st.tuples(unexpanded, unexpanded), max_size=3),
    env=st.lists(unexpanded, max_size=3),
    volumes=st.lists(component, max_size=2, unique=True),
    files=st.lists(component, max_size=3, unique=True),
    args=st.lists(text, max_size=4),
)
def test_values_are_refused_or_kept(
    engine, client, base_image, cleanup, tmp_path, user, workdir, labels, env, volumes, files, args
):
    df = DockerFile(base_image)
    source = tmp_path / "source"
    source.write_text("x")
    files = [
        name
        for name in files
        if _accepted(lambda d, v: d.add_file(str(source), f"/f/{v}"), name, _bad_context_name)
    ]
    for name in files:
        df.add_file(str(source), f"/f/{name}")
    env = [value for value in env if _accepted(lambda d, v: d.env(E=v), value, _breaks_line)]
    if env:
        df.env({f"E{index}": value for index, value in enumerate(env)})
    labels = dict(
        pair for pair in labels if _accepted(lambda d, v: setattr(d, "labels", [v]), pair, _bad_label)
    )
    df.labels = labels
    volumes = [f"/v/{v}" for v in volumes if _accepted(lambda d, v: d.add_volume(f"/v/{v}"), v, _bad_volume)]
    df.volumes = volumes
    if _accepted(lambda d, v: setattr(d, "command_user", v), user, _breaks_line):
        df.command_user = user
    workdir = f"/w/{workdir}"
    if _accepted(lambda d, v: setattr(d, "command_workdir", v), workdir, _breaks_line):
        df.command_workdir = workdir
    args = [arg for arg in args if _accepted(_shell_command, arg, _breaks_line)]
    df.command_shell = True
    script = 'for arg in "$@"; do printf "%s\\0" "$arg"; done; [ ! -d /f ] || find /f -mindepth 1 -print0'
    df.command = ["sh", "-c", script, "sh", *args]

    image = client.build_from_file(
        df, cleanup.name(f"fuzz-{next(_tags)}"), labels=cleanup.labels, nocache=True
    )

    config = engine.api.inspect_image(image)["Config"]
    assert config["User"] == (df.command_user or "")
    assert config["WorkingDir"] == (df.command_workdir or "")
    assert {key: config["Labels"].get(key) for key in labels} == labels
    assert [item for item in config["Env"] if item.startswith("E")] == [
        f"E{i}={v}" for i, v in enumerate(env)
    ]
    assert sorted(config["Volumes"] or {}) == sorted(volumes)
    container = engine.api.create_container(image, user="0", labels=cleanup.labels)
    engine.api.start(container)
    assert engine.api.wait(container, timeout=60)["StatusCode"] == 0
    output = engine.api.logs(container, stderr=False).decode().split("\0")[:-1]
    assert output[: len(args)] == args
    assert sorted(output[len(args) :]) == sorted(f"/f/{name}" for name in files)
