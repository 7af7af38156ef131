"""The instructions beyond the classic library build on a real engine: ARG, ENV, multi-stage builds,
COPY --from / --chown, and paths with spaces."""

from __future__ import annotations

from dockermap.build.dockerfile import DockerFile


def test_multi_stage_build_with_arg_env_copy_from_and_chown(
    client, base_image, cleanup, run_container, tmp_path
):
    source = tmp_path / "my notes.txt"
    source.write_text("notes with a space in the file name\n")
    df = DockerFile(base_image, stage="builder")
    df.arg("GREETING", "hello from the builder stage")
    df.run('mkdir -p /out && echo "$GREETING" > /out/greeting.txt')
    df.from_(base_image)
    df.env(APP_MODE='quoted "value" with spaces', PLAIN="x")
    df.copy("/out/greeting.txt", "/app/greeting.txt", from_stage="builder", chown="2000:2000")
    df.copy(str(source), "/app/my notes.txt")
    df.command = [
        "sh",
        "-c",
        'cat /app/greeting.txt "/app/my notes.txt"; echo "$APP_MODE"; stat -c %u:%g /app/greeting.txt',
    ]

    image_id = client.build_from_file(df, cleanup.name("stages"), labels=cleanup.labels, nocache=True)

    output = run_container(image_id, None, "stages")
    assert output.splitlines() == [
        "hello from the builder stage",
        "notes with a space in the file name",
        'quoted "value" with spaces',
        "2000:2000",
    ]


def test_build_arg_given_at_build_time(client, base_image, cleanup, run_container):
    df = DockerFile(base_image)
    df.arg("VERSION")
    df.run('echo "version=$VERSION" > /version.txt')
    image_id = client.build_from_file(
        df, cleanup.name("arg"), buildargs={"VERSION": "2.5"}, labels=cleanup.labels, nocache=True
    )
    assert run_container(image_id, "cat /version.txt", "arg").strip() == "version=2.5"
