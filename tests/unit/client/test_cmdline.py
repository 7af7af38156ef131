"""The command-line client without an engine: commands it hands to ``run``, results, and error mapping."""

from __future__ import annotations

import json
from typing import Callable, Dict, List

import docker
import pytest
import requests

from dockermap.client.cli import UnsupportedOption
from dockermap.client.cmdline import (
    CommandError,
    DockerCommandLineClient,
    api_error,
    failure_details,
    output_of,
    run_local,
)
from dockermap.map.runner.utils import is_timeout


class FakeShell:
    """A ``run`` callable: records command lines and answers from ``replies`` (first matching prefix)."""

    def __init__(self, replies: Dict[str, object] = None) -> None:
        self.commands: List[str] = []
        self.replies = replies or {}

    def __call__(self, command: str) -> str:
        self.commands.append(command)
        for prefix, reply in self.replies.items():
            if command.startswith(prefix):
                if isinstance(reply, Exception):
                    raise reply
                return reply(command) if isinstance(reply, Callable) else reply
        return ""


def client(replies=None, **kwargs):
    shell = FakeShell(replies)
    return DockerCommandLineClient(run=shell, **kwargs), shell


def failure(command: str, code: int, stderr: str, stdout: str = "") -> CommandError:
    return CommandError(command, code, stderr, stdout)


# --------------------------------------------------------------------------------------------------
# Running and errors


def test_run_local_returns_output_and_raises_with_the_error_output():
    assert run_local(["sh", "-c", "echo out; echo err >&2"]) == "out\n"
    assert run_local(["sh", "-c", "echo out; echo err >&2"], streams="both") == "out\nerr\n"
    assert run_local(["sh", "-c", "echo out; echo err >&2"], streams="stderr") == "err\n"
    assert run_local(["sh", "-c", "read line; echo got $line"], stdin="secret") == "got secret\n"
    with pytest.raises(CommandError) as caught:
        run_local(["sh", "-c", "echo partial; echo 'it broke' >&2; exit 3"])
    assert caught.value.exit_code == 3
    assert caught.value.stdout == "partial\n"
    assert caught.value.stderr == "it broke\n"
    assert (
        str(caught.value)
        == "sh -c 'echo partial; echo '\"'\"'it broke'\"'\"' >&2; exit 3' exited with status 3: it broke"
    )


def test_output_of_accepts_text_bytes_and_result_objects():
    class Result:
        stdout = "from result"

    assert output_of("text") == "text"
    assert output_of(b"bytes") == "bytes"
    assert output_of(None) == ""
    assert output_of(Result()) == "from result"


def test_failure_details_of_command_errors_and_fabric_like_exits():
    assert failure_details(CommandError("c", 2, "bad\n", "out")) == (2, "out", "bad")

    class Result:
        exited = 1
        stdout = "o"
        stderr = "Error response from daemon: No such container: x\n"

    class UnexpectedExit(Exception):
        result = Result()

    assert failure_details(UnexpectedExit("boom")) == (
        1,
        "o",
        "Error response from daemon: No such container: x",
    )
    assert failure_details(RuntimeError("ssh connection lost")) == (None, "", "ssh connection lost")


@pytest.mark.parametrize(
    "message, error_class, status",
    [
        ("Error response from daemon: No such container: web", docker.errors.NotFound, 404),
        ("Error: No such object: web", docker.errors.NotFound, 404),
        ("Error response from daemon: get map.log: no such volume", docker.errors.NotFound, 404),
        ("Error response from daemon: network map.net not found", docker.errors.NotFound, 404),
        ("Error response from daemon: No such image: app:1", docker.errors.ImageNotFound, 404),
        ("Error response from daemon: manifest unknown", docker.errors.ImageNotFound, 404),
        ("Error response from daemon: Container abc is not running", docker.errors.APIError, 409),
        (
            'Error response from daemon: Conflict. The container name "/web" is already in use',
            docker.errors.APIError,
            409,
        ),
        ("Error response from daemon: remove map.log: volume is in use - [abc]", docker.errors.APIError, 409),
        (
            "Error response from daemon: Get https://r/v2/: unauthorized: authentication required",
            docker.errors.APIError,
            401,
        ),
        (
            "Error response from daemon: OCI runtime create failed: executable file not found",
            docker.errors.APIError,
            500,
        ),
    ],
)
def test_api_error_maps_messages_to_sdk_exceptions(message, error_class, status):
    error = api_error("docker start web", message)
    assert type(error) is error_class
    assert error.status_code == status
    assert error.explanation == message
    assert "docker start web" in str(error) and message in str(error)


def test_failed_command_raises_the_sdk_error_chained():
    cli, _ = client(
        {"docker start": failure("docker start web", 1, "Error response from daemon: No such container: web")}
    )
    with pytest.raises(docker.errors.NotFound) as caught:
        cli.start("web")
    assert isinstance(caught.value.__cause__, CommandError)
    assert caught.value.response.url == "docker start web"


def test_wait_timeout_raises_a_requests_timeout():
    cli, shell = client({"timeout -s INT 2 docker wait": failure("...", 124, "")})
    with pytest.raises(requests.exceptions.ReadTimeout) as caught:
        cli.wait("web", timeout=2)
    assert is_timeout(caught.value)
    assert shell.commands == ["timeout -s INT 2 docker wait web"]


def test_wait_returns_the_exit_code():
    cli, _ = client({"docker wait": "137\n"})
    assert cli.wait("web") == {"StatusCode": 137, "Error": None}


# --------------------------------------------------------------------------------------------------
# What run receives


def test_logs_read_both_streams_through_a_redirect():
    cli, shell = client({"env docker logs": "line 1\nline 2\n"}, cmd_prefix="env")
    assert cli.logs("map.web", tail="all") == b"line 1\nline 2\n"
    cli.logs("map.web", stderr=False, tail=3)
    cli.logs("map.web", stdout=False, timestamps=True)
    assert shell.commands == [
        "env docker logs map.web 2>&1",
        "env docker logs --tail=3 map.web",
        "env docker logs --timestamps map.web 2>&1 >/dev/null",
    ]
    with pytest.raises(UnsupportedOption, match="cannot stream logs"):
        cli.logs("map.web", stream=True)


def test_login_hands_the_password_to_run_as_standard_input():
    received = []

    def run(command, stdin=None):
        received.append((command, stdin))
        return "Login Succeeded\n"

    cli = DockerCommandLineClient(run=run, cmd_prefix="sudo")
    assert cli.login("user", "it's $ecret", registry="registry:5000") is True
    assert received == [("sudo docker login --username=user --password-stdin registry:5000", "it's $ecret\n")]


def test_login_refuses_a_run_without_standard_input():
    cli, shell = client({"sudo": "Login Succeeded\n"}, cmd_prefix="sudo")
    with pytest.raises(UnsupportedOption, match="FakeShell takes no 'stdin' keyword"):
        cli.login("user", "secret", registry="registry:5000")
    assert shell.commands == []


def test_a_failed_login_neither_shows_nor_chains_the_password():
    def run(command, stdin=None):
        raise CommandError(f"echo {stdin.strip()} | {command}", 1, f"bad password {stdin.strip()}")

    cli = DockerCommandLineClient(run=run)
    with pytest.raises(docker.errors.APIError) as caught:
        cli.login("user", "s3cr3t", registry="registry:5000")
    assert "s3cr3t" not in str(caught.value) and "bad password ***" in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__context__ is None


def test_api_version_is_the_lower_of_client_and_server_and_asked_once():
    versions = json.dumps(
        {"Client": {"ApiVersion": "1.45"}, "Server": {"ApiVersion": "1.41", "Version": "20.10"}}
    )
    cli, shell = client({"docker version": versions})
    assert cli.api_version == "1.41"
    assert cli.api_version == "1.41"
    assert cli.version()["Version"] == "20.10"
    assert shell.commands == ["docker version '--format={{json .}}'"] * 2


def test_containers_lists_ids_and_status_then_inspects_all_at_once():
    inspected = [
        {"Id": "aaa", "Name": "/map.web", "Image": "sha256:1", "State": {"Status": "running"}, "Config": {}},
        {"Id": "bbb", "Name": "/map.db", "Image": "sha256:2", "State": {"Status": "exited"}, "Config": {}},
    ]
    cli, shell = client(
        {
            "docker ps": "aaa||Up 2 minutes\nbbb||Exited (3) 1 minute ago\n",
            "docker inspect": json.dumps(inspected),
        }
    )
    found = cli.containers(all=True, filters={"label": ["io.dockermap.map"]})
    assert [(c["Id"], c["Names"], c["State"], c["Status"]) for c in found] == [
        ("aaa", ["/map.web"], "running", "Up 2 minutes"),
        ("bbb", ["/map.db"], "exited", "Exited (3) 1 minute ago"),
    ]
    assert shell.commands == [
        "docker ps --no-trunc --all --filter=label=io.dockermap.map '--format={{.ID}}||{{.Status}}'",
        "docker inspect --type=container aaa bbb",
    ]
    assert cli.containers(all=True, quiet=True) == [{"Id": "aaa"}, {"Id": "bbb"}]


def test_containers_removed_between_list_and_inspect_are_left_out():
    one = [{"Id": "aaa", "Name": "/map.web", "State": {"Status": "running"}}]
    gone = failure("...", 1, "Error: No such object: bbb")
    cli, shell = client(
        {
            "docker ps": "aaa||Up\nbbb||Up\n",
            "docker inspect --type=container aaa bbb": gone,
            "docker inspect --type=container aaa": json.dumps(one),
            "docker inspect --type=container bbb": gone,
        }
    )
    assert [c["Id"] for c in cli.containers(all=True)] == ["aaa"]


def test_no_containers_needs_no_inspect():
    cli, shell = client({"docker ps": "\n"})
    assert cli.containers(all=True) == []
    assert len(shell.commands) == 1


def test_volumes_and_networks_list_names_then_inspect():
    volume = {"Name": "map.log", "Driver": "local", "Labels": {"a": "b"}, "Options": None}
    network = {"Name": "map.net", "Id": "n1", "Driver": "bridge", "Containers": {"c": {}}}
    cli, shell = client(
        {
            "docker volume ls": "map.log\nmap.log\n",
            "docker volume inspect": json.dumps([volume]),
            "docker network ls": "n1\n",
            "docker network inspect": json.dumps([network]),
        }
    )
    assert cli.volumes(filters={"name": ["map.log"]}) == {"Volumes": [volume], "Warnings": None}
    assert cli.networks(names=["map.net"]) == [{**network, "Containers": {}}]
    assert shell.commands == [
        "docker volume ls --quiet --filter=name=map.log",
        "docker volume inspect map.log",
        "docker network ls --no-trunc --quiet --filter=name=map.net",
        "docker network inspect n1",
    ]


def test_create_returns_the_id_and_created_volume_is_inspected():
    cli, shell = client(
        {
            "docker create": "abc123\n",
            "docker volume create": "map.log\n",
            "docker volume inspect": '[{"Name": "map.log"}]',
        }
    )
    host_config = cli.create_host_config(binds=["map.log:/log:rw"], mem_limit=None)
    assert host_config == {"binds": ["map.log:/log:rw"]}
    endpoint = cli.create_endpoint_config(aliases=["w"], links=[("map.db", "db")], ipv4_address="10.0.0.2")
    assert endpoint == {"Aliases": ["w"], "Links": ["map.db:db"], "IPAMConfig": {"IPv4Address": "10.0.0.2"}}
    networking = cli.create_networking_config({"map.net": endpoint})
    created = cli.create_container(
        "img", name="map.web", host_config=host_config, networking_config=networking
    )
    assert created == {"Id": "abc123", "Warnings": []}
    assert cli.create_volume(name="map.log", labels={"k": "v"}) == {"Name": "map.log"}
    assert shell.commands == [
        "docker create --pull=never --name=map.web --network=map.net --network-alias=w --ip=10.0.0.2 "
        "--link=map.db:db --volume=map.log:/log:rw img",
        "docker volume create --label=k=v map.log",
        "docker volume inspect map.log",
    ]


def test_create_host_config_refuses_unknown_keywords():
    cli, _ = client()
    with pytest.raises(TypeError, match="unexpected keyword arguments: bindz"):
        cli.create_host_config(bindz=["a:b"])


def test_exec_runs_on_start_and_records_the_exit_code():
    cli, shell = client(
        {
            "docker exec --detach": "",
            "docker exec --user=app map.web false": failure("...", 1, "", "partial output"),
            "docker exec map.web ls": "a\nb\n",
        }
    )
    first = cli.exec_create("map.web", ["ls"])
    assert cli.exec_start(first) == b"a\nb\n"
    assert cli.exec_inspect(first)["ExitCode"] == 0
    failing = cli.exec_create("map.web", "false", user="app")
    assert cli.exec_start(failing["Id"]) == b"partial output"
    assert cli.exec_inspect(failing)["ExitCode"] == 1
    detached = cli.exec_create("map.web", ["sleep", "100"])
    assert cli.exec_start(detached, detach=True) == b""
    assert cli.exec_inspect(detached)["ExitCode"] is None
    assert shell.commands == [
        "docker exec map.web ls 2>&1",
        "docker exec --user=app map.web false 2>&1",
        "docker exec --detach map.web sleep 100",
    ]


def test_exec_in_a_stopped_container_raises():
    stopped = failure("...", 1, "Error response from daemon: Container abc is not running")
    cli, _ = client({"docker exec": stopped})
    exec_id = cli.exec_create("map.web", ["ls"])
    with pytest.raises(docker.errors.APIError) as caught:
        cli.exec_start(exec_id)
    assert caught.value.status_code == 409


def test_images_and_top_are_parsed():
    table = "REPOSITORY TAG IMAGE ID CREATED SIZE\nrepo/app latest sha256:bbb 2 days ago 1MB\n"
    cli, shell = client(
        {
            "docker images --no-trunc --quiet": "sha256:bbb\nsha256:bbb\nsha256:aaa\n",
            "docker images": table,
            "docker top": "PID USER COMMAND\n1 root sh -c x\n",
        }
    )
    assert [(i["Id"], i["RepoTags"]) for i in cli.images()] == [("sha256:bbb", ["repo/app:latest"])]
    assert cli.images(quiet=True) == ["sha256:bbb", "sha256:aaa"]
    assert cli.top("map.web", ps_args="-eo pid,user,args")["Processes"] == [["1", "root", "sh -c x"]]
    assert shell.commands[-1] == "docker top map.web -eo pid,user,args"


def test_pull_tag_update_and_remove_commands():
    cli, shell = client()
    assert cli.pull("repo/app", tag="1") is True
    assert cli.tag("sha256:abc", "repo/app", "2") is True
    assert cli.update_container("map.web", mem_limit=1024, restart_policy=None) == {"Warnings": []}
    cli.remove_container("map.web", force=True)
    cli.connect_container_to_network("map.web", "map.net", aliases=["w"])
    cli.disconnect_container_from_network("map.web", "map.net")
    cli.kill("map.web", signal="SIGHUP")
    cli.stop("map.web", timeout=1)
    assert shell.commands == [
        "docker pull repo/app:1",
        "docker tag sha256:abc repo/app:2",
        "docker update --memory=1024 map.web",
        "docker rm --force map.web",
        "docker network connect --alias=w map.net map.web",
        "docker network disconnect map.net map.web",
        "docker kill --signal=SIGHUP map.web",
        "docker stop --time=1 map.web",
    ]


def test_run_cmd_is_offered_only_when_given():
    cli, _ = client()
    assert cli.run_cmd is None
    hook = FakeShell()
    assert DockerCommandLineClient(run_cmd=hook).run_cmd is hook
    assert repr(DockerCommandLineClient(cmd_prefix="sudo", cmd_args=["-H", "x"])) == (
        "DockerCommandLineClient('sudo docker -H x')"
    )


def test_networks_keep_their_containers_only_when_greedy():
    entry = {"Name": "map.net", "Id": "n1", "Containers": {"c1": {"Name": "map.web"}}}
    listing = json.dumps(entry)
    cli, _ = client({"docker network ls": "n1\n", "docker network inspect": f"[{listing}]"})
    assert cli.networks()[0]["Containers"] == {}
    assert cli.networks(greedy=True)[0]["Containers"] == {"c1": {"Name": "map.web"}}


def test_a_listed_container_is_not_inspected_again_until_a_command_may_change_it():
    detail = {"Id": "c1", "Name": "/web", "State": {"Status": "running", "Running": True}, "Config": {}}
    cli, shell = client({"docker ps": "c1||Up 1 second\n", "docker inspect": json.dumps([detail])})
    cli.containers(all=True)
    assert cli.inspect_container("c1") == detail  # the listing's inspect
    assert [c.split()[1] for c in shell.commands] == ["ps", "inspect"]
    cli.containers(all=True)
    cli.start("web")
    assert cli.inspect_container("c1") == detail
    assert [c.split()[1] for c in shell.commands] == ["ps", "inspect", "ps", "inspect", "start", "inspect"]
