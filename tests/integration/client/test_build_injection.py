"""Hostile values in every instruction that DockerFile formats, built on the real engine: each value ends
up in the image exactly as given, and nothing else happens (no command in a name runs, no extra
instruction appears)."""

from __future__ import annotations

import pytest

from dockermap.build.dockerfile import DockerFile
from dockermap.client.base import DockerClientWrapper

# A command in any of these would create /INJECTED.
HOSTILE = [
    "semi;touch INJECTED",
    "$(touch INJECTED)",
    "`touch INJECTED`",
    'it\'s "quoted"',
    "sp ace",
    "--chown=0:0",
    "-rf",
    "back\\slash",
    "#hash",
    "$HOME",
    "ünï cödé",
    "trailing\\",
]
# Context names cannot hold the builder's wildcard characters; these get one of their own.
NEEDS_CTX_PATH = [name for name in HOSTILE if "\\" in name]
# LABEL and ENV values expand $NAME by design (documented).
NOT_EXPANDED = [name for name in HOSTILE if "$HOME" not in name]
USER = 'it\'s "u"; touch INJECTED'
WORKDIR = "/work/$(touch INJECTED) 'q' \"dq\" ;x"
VOLUMES = ["/vol/$(touch INJECTED) 'q'", "/vol/sp ace", "/vol/back\\slash"]


def _output(engine, image, labels, command=None):
    # Output of a container of ``image`` (as root; its own user does not exist), running ``sh -c command``
    # or the image's command.
    api = engine.api
    container = api.create_container(image, command and ["sh", "-c", command], user="0", labels=labels)
    try:
        api.start(container)
        assert api.wait(container, timeout=60)["StatusCode"] == 0, api.logs(container)
        return api.logs(container, stderr=False)
    finally:
        api.remove_container(container, force=True, v=True)  # and the image's anonymous volumes


@pytest.fixture(scope="module")
def hostile_image(engine, base_image, test_run, tmp_path_factory):
    source = tmp_path_factory.mktemp("hostile")
    for index, name in enumerate(HOSTILE):
        (source / name).write_text(f"content {index}\n")
    df = DockerFile(base_image)
    df.arg("HOSTILE", "$(touch INJECTED) `touch INJECTED`; it's")
    df.run('printf %s "$HOSTILE" > /arg.txt')
    for name in HOSTILE:
        ctx_path = f"ctx/{HOSTILE.index(name)}" if name in NEEDS_CTX_PATH else None
        df.add_file(str(source / name), f"/dst/{name}", ctx_path=ctx_path, chown="1000:1000")
        # Copied into / and removed again at the end of the build (RUN rm -Rf <name>).
        df.copy(str(source / name), name, ctx_path=f"rm/{HOSTILE.index(name)}", remove_final=True)
    df.env({f"V{index}": name for index, name in enumerate(NOT_EXPANDED)})
    df.labels = {name: name for name in NOT_EXPANDED if "=" not in name}
    df.volumes = VOLUMES
    df.command_user = USER
    df.command_workdir = WORKDIR
    df.command_shell = True
    df.command = ["printf", "%s\\n", *HOSTILE]
    df.stopsignal = "SIGUSR1"
    df.expose = "8080/tcp 9000-9001/udp"
    df.shell = ["/bin/sh", "-c"]
    df.healthcheck = "NONE"
    client = DockerClientWrapper(engine.base_url, timeout=120)
    tag = test_run.name("hostile")
    try:
        image_id = client.build_from_file(df, tag, labels=test_run.labels, nocache=True)
    finally:
        client.close()
    yield image_id
    engine.api.remove_image(tag, force=True)


def test_nothing_runs_and_names_are_kept(engine, hostile_image, test_run):
    listing = _output(engine, hostile_image, test_run.labels, "find /dst -mindepth 1 -print0")
    assert sorted(listing.decode().split("\0")[:-1]) == sorted(f"/dst/{name}" for name in HOSTILE)
    script = 'for f in /dst/*; do cat -- "$f"; stat -c %u:%g -- "$f"; done'
    contents = _output(engine, hostile_image, test_run.labels, script).decode().splitlines()
    expected = [f"content {index}" for index in range(len(HOSTILE))] + ["1000:1000"] * len(HOSTILE)
    assert sorted(contents) == sorted(expected)


def test_removed_files_are_gone_and_nothing_was_injected(engine, hostile_image, test_run):
    root = _output(engine, hostile_image, test_run.labels, "find / -xdev -print0").decode().split("\0")
    assert [name for name in HOSTILE if f"/{name}" in root] == []
    assert [path for path in root if path.rsplit("/", 1)[-1] == "INJECTED"] == []


def test_arg_value_is_literal(engine, hostile_image, test_run):
    output = _output(engine, hostile_image, test_run.labels, "cat /arg.txt")
    assert output.decode() == "$(touch INJECTED) `touch INJECTED`; it's"


def test_image_configuration_holds_the_values(engine, hostile_image):
    config = engine.api.inspect_image(hostile_image)["Config"]
    assert config["User"] == USER
    assert config["WorkingDir"] == WORKDIR
    assert sorted(config["Volumes"]) == sorted(VOLUMES)
    assert {key: value for key, value in config["Labels"].items() if key in HOSTILE} == {
        name: name for name in NOT_EXPANDED if "=" not in name
    }
    env = dict(item.split("=", 1) for item in config["Env"])
    assert [env[f"V{index}"] for index in range(len(NOT_EXPANDED))] == NOT_EXPANDED
    assert config["StopSignal"] == "SIGUSR1"
    assert sorted(config["ExposedPorts"]) == ["8080/tcp", "9000/udp", "9001/udp"]


def test_shell_form_arguments_stay_arguments(engine, hostile_image, test_run):
    output = _output(engine, hostile_image, test_run.labels)
    assert output.decode() == "".join(f"{name}\n" for name in HOSTILE)
