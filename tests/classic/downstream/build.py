"""A build script: a Dockerfile put together with the shortcuts, built through the client wrapper."""

from dockermap.api import DockerClientWrapper, DockerFile
from dockermap.client.cli import DockerCommandLineOutput
from dockermap.shortcuts import mkdir_chown, rm

APP_COMMAND = "trap 'exit 0' TERM; echo \"$GREETING\" > /var/log/app/greeting; while true; do sleep 1; done"


def app_dockerfile(base_image, revision):
    dockerfile = DockerFile(base_image, initial=f"LABEL revision={revision}")
    dockerfile.run(mkdir_chown(["/etc/app", "/var/lib/app"], (2000, 2000), recursive=1))
    dockerfile.run(rm("/tmp/build-cache", recursive=1, force=1))
    dockerfile.command = ["sh", "-c", APP_COMMAND]
    return dockerfile


def build_app(base_url, tag, base_image, revision=1):
    client = DockerClientWrapper(base_url)
    return client.build_from_file(app_dockerfile(base_image, revision), tag)


def stdin_build_command(base_url, tag):
    """A shell command that builds ``tag`` from a Dockerfile on standard input."""
    return DockerCommandLineOutput(cmd_args=["-H", base_url]).get_cmd("build", "- < Dockerfile", tag=tag)
