"""Docker command lines for SDK calls (every method the orchestrator uses), their quoting, and the parsers."""

from __future__ import annotations

import json
import shlex
import signal
import subprocess
import textwrap
from datetime import datetime, timezone

import docker
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockermap.client.cli import (
    DockerCommandLineOutput,
    UnsupportedOption,
    container_list_entry,
    parse_containers_output,
    parse_images_output,
    parse_info_output,
    parse_inspect_output,
    parse_iso_time,
    parse_networks_output,
    parse_ports,
    parse_ps_time,
    parse_top_output,
    parse_version_output,
    parse_volumes_output,
    published_ports,
)

OUT = DockerCommandLineOutput()


def cmd(method, *args, **kwargs):
    """The command line without the leading ``docker``."""
    line = OUT.get_cmd(method, *args, **kwargs)
    assert line.startswith("docker ")
    return line[len("docker ") :]


# --------------------------------------------------------------------------------------------------
# Base command


def test_prefix_binary_and_global_arguments_start_every_command():
    output = DockerCommandLineOutput(
        cmd_prefix="sudo -n", default_bin="/usr/bin/docker", cmd_args=["-H", "a b"]
    )
    assert output.get_cmd("start", "web") == "sudo -n /usr/bin/docker -H 'a b' start web"
    assert output.get_args("start", "web") == ["sudo", "-n", "/usr/bin/docker", "-H", "a b", "start", "web"]


def test_wait_with_timeout_is_prefixed_with_the_timeout_command():
    output = DockerCommandLineOutput(cmd_prefix="sudo")
    assert output.get_cmd("wait", "web", timeout=5) == "timeout -s INT 5 sudo docker wait web"
    assert output.get_cmd("wait", "web") == "sudo docker wait web"
    assert output.get_cmd("wait", container="web", condition="not-running") == "sudo docker wait web"
    with pytest.raises(UnsupportedOption, match="no condition 'removed'"):
        output.get_cmd("wait", "web", condition="removed")


def test_exec_start_has_no_command_of_its_own():
    assert OUT.get_cmd("exec_start", "abc", detach=True) is None
    assert OUT.get_args("exec_start", "abc") is None


def test_unknown_method_is_used_verbatim_with_generic_flags():
    assert cmd("pause", "web") == "pause web"
    assert cmd("diff", container="web") == "diff web"
    assert cmd("system_df", some_option="x") == "system_df --some-option=x"


def test_positional_arguments_of_a_verbatim_command_are_shell_words_as_written():
    # The classic form, e.g. a build reading its Dockerfile from standard input.
    assert OUT.get_cmd("build", "- < Dockerfile", tag="app:1") == "docker build --tag=app:1 - < Dockerfile"
    assert OUT.get_cmd("build", ".", "--pull") == "docker build . --pull"
    assert OUT.get_args("build", ".", tag="a") == ["docker", "build", "--tag=a", "."]


@pytest.mark.parametrize(
    "mode, expected",
    [
        ("host", ["--network=host"]),
        ("none", ["--network=none"]),
        ("container:m.web", ["--network=container:m.web"]),
        ("a", ["--network=a", "--network-alias=x"]),
    ],
)
def test_network_mode_wins_over_endpoint_configuration(mode, expected):
    endpoints = {"EndpointsConfig": {"a": {"Aliases": ["x"]}}}
    args = OUT.get_args(
        "create_container", "img", networking_config=endpoints, host_config={"network_mode": mode}
    )
    assert args[3:-1] == expected


def test_positional_arguments_are_named_as_the_sdk_names_them():
    assert cmd("stop", "web", 3) == "stop --time=3 web"
    with pytest.raises(TypeError, match="multiple values for argument 'container'"):
        OUT.get_cmd("stop", "web", container="db")
    with pytest.raises(TypeError, match="at most 2 positional"):
        OUT.get_cmd("stop", "web", 3, 4)


# --------------------------------------------------------------------------------------------------
# Containers


@pytest.mark.parametrize(
    "call, expected",
    [
        (("start", ("web",), {}), "start web"),
        (("stop", ("web",), {"timeout": 3}), "stop --time=3 web"),
        (("stop", ("web",), {"timeout": None}), "stop web"),
        (("restart", (), {"container": "web", "timeout": 0}), "restart --time=0 web"),
        (("kill", ("web",), {"signal": "SIGHUP"}), "kill --signal=SIGHUP web"),
        (("kill", ("web",), {"signal": signal.SIGUSR1}), "kill --signal=SIGUSR1 web"),
        (("kill", ("web",), {"signal": 9}), "kill --signal=9 web"),
        (("kill", ("web",), {"signal": None}), "kill web"),
        (
            ("remove_container", ("web",), {"v": True, "force": True, "link": False}),
            "rm --volumes --force web",
        ),
        (("inspect_container", ("web",), {}), "inspect --type=container web"),
        (("inspect_container", (["a", "b"],), {}), "inspect --type=container a b"),
        (("top", ("web",), {"ps_args": "-eo pid,user,args"}), "top web -eo pid,user,args"),
        (("top", ("web",), {}), "top web"),
        (("logs", ("web",), {"tail": "all", "timestamps": False}), "logs web"),
        (("logs", ("web",), {"tail": 5, "timestamps": True}), "logs --tail=5 --timestamps web"),
        (
            ("logs", ("web",), {"since": datetime(2024, 1, 2, tzinfo=timezone.utc), "until": 1704200000}),
            "logs --since=1704153600 --until=1704200000 web",
        ),
        (
            ("update_container", ("web",), {"mem_limit": 134217728, "restart_policy": {"Name": "always"}}),
            "update --memory=134217728 --restart=always web",
        ),
        (
            (
                "update_container",
                ("web",),
                {
                    "cpu_shares": 512,
                    "cpuset_cpus": "0",
                    "restart_policy": {"Name": "on-failure", "MaximumRetryCount": 2},
                },
            ),
            "update --cpu-shares=512 --cpuset-cpus=0 --restart=on-failure:2 web",
        ),
        (("exec_create", ("web", ["ls", "-l"]), {"user": ""}), "exec --detach web ls -l"),
        (("exec_create", ("web", ["ls"]), {"detach": False}), "exec web ls"),
        (
            ("exec_create", ("web", "sh -c 'echo hi'"), {"user": "app", "detach": True}),
            "exec --detach --user=app web sh -c 'echo hi'",
        ),
        (
            (
                "exec_create",
                ("web", ["env"]),
                {"environment": {"A": "1"}, "workdir": "/tmp", "privileged": True},
            ),
            "exec --detach --env=A=1 --workdir=/tmp --privileged web env",
        ),
        (("containers", (), {"all": True, "quiet": True}), "ps --no-trunc --all --quiet"),
        (
            ("containers", (), {"all": True, "filters": {"label": ["a=b", "c"], "name": "^/x$"}, "limit": 3}),
            "ps --no-trunc --all --last=3 --filter=label=a=b --filter=label=c '--filter=name=^/x$' "
            "'--format={{.ID}}||{{.Image}}||{{.CreatedAt}}||{{.Status}}||{{.Names}}||{{.Command}}"
            "||{{.Ports}}'",
        ),
        (
            ("containers", (), {"filters": {"dangling": True}, "format": "{{.ID}}"}),
            "ps --no-trunc --filter=dangling=true '--format={{.ID}}'",
        ),
    ],
)
def test_container_commands(call, expected):
    method, args, kwargs = call
    assert cmd(method, *args, **kwargs) == expected


def test_create_with_every_option_the_orchestrator_passes():
    host_config = {
        "binds": ["/srv/conf:/etc/app:ro", "map.data:/var/lib/app:rw"],
        "port_bindings": {80: ("127.0.0.1", 8080), "53/udp": [53, None], 443: [("::1", 8443), ("10.0.0.1",)]},
        "links": [("map.db", "db")],
        "volumes_from": ["map.other"],
        "restart_policy": {"Name": "on-failure", "MaximumRetryCount": 3},
        "mem_limit": "64m",
        "memswap_limit": 134217728,
        "cap_add": ["NET_ADMIN"],
        "dns": ["127.0.0.1"],
        "tmpfs": {"/run/cache": "size=1m", "/run/empty": ""},
        "ulimits": [{"name": "nofile", "soft": 1024, "hard": 2048}],
        "extra_hosts": {"db.local": "10.0.0.5"},
        "log_config": {"type": "json-file", "config": {"max-size": "1m"}},
        "privileged": True,
        "security_opt": ["no-new-privileges"],
        "sysctls": {"net.ipv4.ip_forward": "1"},
        "shm_size": "16m",
        "init": True,
        "nano_cpus": 1_500_000_000,
        "network_mode": "map.net",
    }
    networking = {
        "EndpointsConfig": {
            "map.net": {
                "Aliases": ["web", "www"],
                "Links": ["map.cache:cache"],
                "IPAMConfig": {
                    "IPv4Address": "10.1.0.5",
                    "IPv6Address": "fd00::5",
                    "LinkLocalIPs": ["169.254.0.5"],
                },
            }
        }
    }
    line = cmd(
        "create_container",
        "repo/web:1.0",
        ["serve", "--port", "80"],
        name="map.web",
        hostname="map-web",
        domainname="example.com",
        user="2000",
        working_dir="/srv",
        environment={"MODE": "prod", "EMPTY": ""},
        volumes=["/etc/app", "/var/lib/app", "/scratch"],
        ports=[80, 443, ("53", "udp")],
        labels={"io.dockermap.map": "map", "tier": "web"},
        stop_signal="SIGQUIT",
        stop_timeout=20,
        healthcheck={
            "test": ["CMD", "curl", "-f", "http://localhost/"],
            "interval": 30_000_000_000,
            "retries": 3,
        },
        host_config=host_config,
        networking_config=networking,
        detach=True,
        use_config_proxy=True,
    )
    assert shlex.split(line) == [
        "create",
        "--pull=never",
        "--name=map.web",
        "--network=map.net",
        "--network-alias=web",
        "--network-alias=www",
        "--ip=10.1.0.5",
        "--ip6=fd00::5",
        "--link-local-ip=169.254.0.5",
        "--link=map.db:db",
        "--link=map.cache:cache",
        "--volume=/srv/conf:/etc/app:ro",
        "--volume=map.data:/var/lib/app:rw",
        "--volume=/scratch",
        "--expose=80",
        "--expose=443",
        "--expose=53/udp",
        "--publish=127.0.0.1:8080:80",
        "--publish=53:53/udp",
        "--publish=53/udp",
        "--publish=[::1]:8443:443",
        "--publish=10.0.0.1::443",
        "--health-cmd=curl -f http://localhost/",
        "--health-interval=30s",
        "--health-retries=3",
        "--hostname=map-web",
        "--domainname=example.com",
        "--user=2000",
        "--workdir=/srv",
        "--env=MODE=prod",
        "--env=EMPTY=",
        "--label=io.dockermap.map=map",
        "--label=tier=web",
        "--stop-signal=SIGQUIT",
        "--stop-timeout=20",
        "--volumes-from=map.other",
        "--restart=on-failure:3",
        "--memory=64m",
        "--memory-swap=134217728",
        "--cap-add=NET_ADMIN",
        "--dns=127.0.0.1",
        "--tmpfs=/run/cache:size=1m",
        "--tmpfs=/run/empty",
        "--ulimit=nofile=1024:2048",
        "--add-host=db.local:10.0.0.5",
        "--log-driver=json-file",
        "--log-opt=max-size=1m",
        "--privileged",
        "--security-opt=no-new-privileges",
        "--sysctl=net.ipv4.ip_forward=1",
        "--shm-size=16m",
        "--init",
        "--cpus=1.5",
        "repo/web:1.0",
        "serve",
        "--port",
        "80",
    ]


def test_create_volume_preparation_helper():
    # The helper container of volume preparation: no network, root, the volume bound at its own path.
    line = cmd(
        "create_container",
        image="busybox:latest",
        command=["sh", "-c", "chown -R 2000 /volume-tmp && chmod -R 'u=rwX,g=rX,o=' /volume-tmp"],
        user="0",
        network_disabled=True,
        volumes=["/volume-tmp"],
        host_config={"binds": ["map.app_log:/volume-tmp:rw"]},
        networking_config=None,
    )
    assert shlex.split(line) == [
        "create",
        "--pull=never",
        "--network=none",
        "--volume=map.app_log:/volume-tmp:rw",
        "--user=0",
        "busybox:latest",
        "sh",
        "-c",
        "chown -R 2000 /volume-tmp && chmod -R 'u=rwX,g=rX,o=' /volume-tmp",
    ]


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"network_mode": "host"}, ["--network=host"]),
        ({"network_mode": "container:map.web"}, ["--network=container:map.web"]),
        ({"links": {"map.db": "db", "map.cache": None}}, ["--link=map.db:db", "--link=map.cache"]),
        ({"links": ["map.db:db"]}, ["--link=map.db:db"]),
        (
            {"binds": {"/srv": {"bind": "/data", "mode": "ro"}, "/tmp": "/t"}},
            ["--volume=/srv:/data:ro", "--volume=/tmp:/t:rw"],
        ),
        ({"port_bindings": {"8000-8001/tcp": "9000-9001"}}, ["--publish=9000-9001:8000-8001/tcp"]),
        ({"restart_policy": {"Name": "always", "MaximumRetryCount": 5}}, ["--restart=always"]),
        ({"restart_policy": {"Name": ""}}, ["--restart=no"]),
        (
            {
                "devices": [
                    "/dev/fuse",
                    {"PathOnHost": "/dev/sda", "PathInContainer": "/dev/xvda", "CgroupPermissions": "r"},
                ]
            },
            ["--device=/dev/fuse", "--device=/dev/sda:/dev/xvda:r"],
        ),
        ({"device_read_bps": [{"Path": "/dev/sda", "Rate": 1024}]}, ["--device-read-bps=/dev/sda:1024"]),
        (
            {"mounts": [{"Type": "volume", "Source": "v,x", "Target": "/m", "ReadOnly": True}]},
            ['--mount=type=volume,"source=v,x",target=/m,readonly'],
        ),
        (
            {"auto_remove": True, "read_only": True, "publish_all_ports": True},
            ["--rm", "--read-only", "--publish-all"],
        ),
        ({"ulimits": [{"Name": "core", "Soft": 0, "Hard": 0}]}, ["--ulimit=core=0:0"]),
        ({"privileged": False, "oom_kill_disable": None}, []),
    ],
)
def test_create_host_config_forms(kwargs, expected):
    args = shlex.split(cmd("create_container", "img", host_config=kwargs))
    assert args[2:-1] == expected


@pytest.mark.parametrize(
    "check, expected",
    [
        ({"test": ["NONE"]}, ["--no-healthcheck"]),
        ({"test": "curl -f localhost"}, ["--health-cmd=curl -f localhost"]),
        (
            {"test": ["CMD-SHELL", "exit 0"], "timeout": 1_500_000_000},
            ["--health-cmd=exit 0", "--health-timeout=1500000000ns"],
        ),
        (
            {"Test": ["CMD", "sh", "-c", "a b"], "StartPeriod": 5_000_000_000},
            ["--health-cmd=sh -c 'a b'", "--health-start-period=5s"],
        ),
        ({"test": [], "interval": 10_000_000_000}, ["--health-interval=10s"]),
    ],
)
def test_create_healthcheck_forms(check, expected):
    assert shlex.split(cmd("create_container", "img", healthcheck=check))[2:-1] == expected


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"entrypoint": ["sh", "-c"], "command": ["echo hi"]}, ["--entrypoint=sh", "img", "-c", "echo hi"]),
        ({"entrypoint": "/bin/run --fast"}, ["--entrypoint=/bin/run", "img", "--fast"]),
        ({"entrypoint": [], "command": "ls -l"}, ["--entrypoint=", "img", "ls", "-l"]),
        ({"command": "sh -c 'echo $HOME'"}, ["img", "sh", "-c", "echo $HOME"]),
        ({"environment": ["A=1", "B=two words"]}, ["--env=A=1", "--env=B=two words", "img"]),
        (
            {"labels": ["marker"], "tty": True, "stdin_open": True},
            ["--label=marker", "--tty", "--interactive", "img"],
        ),
        ({"volumes": "/data"}, ["--volume=/data", "img"]),
        (
            {"mem_limit": "32m", "restart_policy": {"Name": "always"}},
            ["--memory=32m", "--restart=always", "img"],
        ),
    ],
)
def test_create_container_configuration_forms(kwargs, expected):
    assert shlex.split(cmd("create_container", "img", **kwargs))[2:] == expected


def test_create_anonymous_volume_only_where_nothing_is_mounted():
    args = shlex.split(
        cmd(
            "create_container",
            "img",
            volumes=["/a", "/b", "/c", "/d"],
            host_config={
                "binds": ["/x:/a"],
                "tmpfs": {"/b": ""},
                "mounts": [{"Target": "/c", "Source": "v"}],
            },
        )
    )
    assert [a for a in args if a.startswith("--volume")] == ["--volume=/x:/a", "--volume=/d"]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"host_config": {"Binds": ["/a:/b"]}}, "not the API form"),
        ({"host_config": {"lxc_conf": {}}}, "'lxc_conf' cannot be set on the docker command line"),
        ({"host_config": {"device_requests": [{}]}}, "'device_requests' cannot be set"),
        ({"host_config": {"no_such_option": 1}}, "unknown host config keyword 'no_such_option'"),
        ({"healthcheck": {"test": ["BOGUS"]}}, "must start with CMD, CMD-SHELL or NONE"),
        (
            {"networking_config": {"EndpointsConfig": {"a": {}, "b": {}}}},
            "docker create joins one network, not 2 \\(a, b\\)",
        ),
        (
            {"networking_config": {"EndpointsConfig": {"a": {"DriverOpts": {"x": "y"}}}}},
            "endpoint driver options",
        ),
    ],
)
def test_create_refuses_what_the_command_line_cannot_express(kwargs, message):
    with pytest.raises(UnsupportedOption, match=message):
        OUT.get_cmd("create_container", "img", **kwargs)


def test_create_needs_an_image():
    with pytest.raises(TypeError, match="needs an image"):
        OUT.get_cmd("create_container", name="x")


def test_create_accepts_merged_host_config_keywords():
    # The classic 'merge' form: host-config keywords given to create_container directly.
    args = shlex.split(
        cmd("create_container", "img", binds=["/h:/c:ro"], port_bindings={80: 8080}, volumes=["/c"])
    )
    assert args == ["create", "--pull=never", "--volume=/h:/c:ro", "--publish=8080:80", "img"]


def test_endpoint_mac_address_becomes_the_container_mac_address():
    networking = {"EndpointsConfig": {"net": {"MacAddress": "02:42:ac:11:00:99"}}}
    args = shlex.split(cmd("create_container", "img", networking_config=networking))
    assert args == ["create", "--pull=never", "--network=net", "--mac-address=02:42:ac:11:00:99", "img"]


# --------------------------------------------------------------------------------------------------
# Volumes, networks, images, registries, engine


@pytest.mark.parametrize(
    "call, expected",
    [
        (
            ("volumes", (), {"filters": {"label": ["io.dockermap.map"]}, "quiet": True}),
            "volume ls --quiet --filter=label=io.dockermap.map",
        ),
        (
            (
                "create_volume",
                (),
                {
                    "name": "map.log",
                    "driver": "local",
                    "driver_opts": {"type": "tmpfs"},
                    "labels": {"a": "b"},
                },
            ),
            "volume create --driver=local --opt=type=tmpfs --label=a=b map.log",
        ),
        (("inspect_volume", ("map.log",), {}), "volume inspect map.log"),
        (("remove_volume", ("map.log",), {"force": True}), "volume rm --force map.log"),
        (
            ("networks", (), {"names": ["map.net"], "ids": ["abc"], "filters": {"label": "x"}}),
            "network ls --no-trunc --filter=label=x --filter=name=map.net --filter=id=abc",
        ),
        (
            (
                "create_network",
                ("map.net",),
                {
                    "driver": "bridge",
                    "options": {"com.docker.network.bridge.name": "br1"},
                    "internal": True,
                    "labels": {"a": "b"},
                    "enable_ipv6": True,
                    "attachable": True,
                    "check_duplicate": True,
                },
            ),
            "network create --driver=bridge --opt=com.docker.network.bridge.name=br1 --internal --label=a=b "
            "--ipv6 --attachable map.net",
        ),
        (
            (
                "create_network",
                ("n",),
                {
                    "ipam": {
                        "Driver": "default",
                        "Config": [
                            {
                                "Subnet": "10.9.0.0/24",
                                "Gateway": "10.9.0.1",
                                "IPRange": "10.9.0.128/25",
                                "AuxiliaryAddresses": {"host": "10.9.0.2"},
                            }
                        ],
                        "Options": {"o": "1"},
                    }
                },
            ),
            "network create --ipam-driver=default --subnet=10.9.0.0/24 --ip-range=10.9.0.128/25 "
            "--gateway=10.9.0.1 --aux-address=host=10.9.0.2 --ipam-opt=o=1 n",
        ),
        (
            ("inspect_network", ("map.net",), {"verbose": True, "scope": None}),
            "network inspect --verbose map.net",
        ),
        (("remove_network", ("map.net",), {}), "network rm map.net"),
        (
            (
                "connect_container_to_network",
                ("web", "map.net"),
                {
                    "ipv4_address": "10.1.0.5",
                    "ipv6_address": "fd00::5",
                    "aliases": ["w"],
                    "links": [("map.db", "db")],
                    "link_local_ips": ["169.254.1.1"],
                    "driver_opt": {"k": "v"},
                },
            ),
            "network connect --ip=10.1.0.5 --ip6=fd00::5 --alias=w --link=map.db:db "
            "--link-local-ip=169.254.1.1 --driver-opt=k=v map.net web",
        ),
        (
            ("disconnect_container_from_network", ("web", "map.net"), {"force": True}),
            "network disconnect --force map.net web",
        ),
        (("images", (), {}), "images --no-trunc"),
        (
            ("images", (), {"name": "repo/app", "all": True, "filters": {"dangling": False}}),
            "images --no-trunc --all --filter=dangling=false repo/app",
        ),
        (("images", (), {"quiet": True}), "images --no-trunc --quiet"),
        (("inspect_image", ("repo/app:1",), {}), "image inspect repo/app:1"),
        (
            ("remove_image", ("repo/app:1",), {"force": True, "noprune": True}),
            "rmi --force --no-prune repo/app:1",
        ),
        (("tag", ("abc", "repo/app", "2"), {"force": True}), "tag abc repo/app:2"),
        (("pull", ("repo/app",), {"tag": "1.0", "stream": True, "decode": True}), "pull repo/app:1.0"),
        (("pull", ("registry:5000/app",), {}), "pull registry:5000/app"),
        (
            ("pull", ("app",), {"tag": "sha256:abc", "platform": "linux/amd64"}),
            "pull --platform=linux/amd64 app@sha256:abc",
        ),
        (("pull", ("app",), {"all_tags": True}), "pull --all-tags app"),
        (("push", ("registry:5000/app", "1"), {"stream": True}), "push registry:5000/app:1"),
        (
            ("login", ("user", "secret"), {"registry": "registry:5000", "email": None, "reauth": True}),
            "login --username=user --password-stdin registry:5000",
        ),
        (("version", (), {"api_version": False}), "version '--format={{json .}}'"),
        (("info", (), {}), "info '--format={{json .}}'"),
    ],
)
def test_object_and_engine_commands(call, expected):
    method, args, kwargs = call
    assert cmd(method, *args, **kwargs) == expected


def test_password_never_appears_on_the_command_line():
    line = OUT.get_cmd("login", "user", "s3cret", registry="r")
    assert "s3cret" not in line


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "refused"),
    [
        (
            "login",
            ("user", "secret"),
            {"email": "a@b"},
            "docker login has no option for the argument 'email'",
        ),
        ("login", ("user", "secret"), {"dockercfg_path": "/x/config.json"}, "argument 'dockercfg_path'"),
        (
            "inspect_network",
            ("map.net",),
            {"scope": "swarm"},
            "docker network inspect has no option for the argument 'scope'",
        ),
    ],
)
def test_arguments_without_a_command_line_equivalent_are_refused(method, args, kwargs, refused):
    with pytest.raises(UnsupportedOption, match=refused):
        OUT.get_cmd(method, *args, **kwargs)


def test_pull_refuses_auth_config():
    with pytest.raises(UnsupportedOption, match="docker pull takes registry credentials from login"):
        OUT.get_cmd("pull", "app", auth_config={"username": "u"})


# --------------------------------------------------------------------------------------------------
# Quoting: hostile values arrive as one literal argument each, and nothing else runs


ARGV_PRINTER = textwrap.dedent(
    """\
    #!/bin/sh
    for arg in "$@"; do printf '%s\\0' "$arg"; done
    """
)
HOSTILE = st.text(
    alphabet=st.sampled_from(list("ab ;|&$()`'\"\\\n\t*?<>!#~{}[]-=:,%"))
    | st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
    min_size=1,
    max_size=30,
)


@pytest.fixture(scope="module")
def printer(tmp_path_factory):
    root = tmp_path_factory.mktemp("argv")
    script = root / "print-argv"
    script.write_text(ARGV_PRINTER)
    script.chmod(0o755)
    return script, root / "canary"


def _run_in_sh(line: str, cwd) -> list:
    proc = subprocess.run(["sh", "-c", line], capture_output=True, cwd=cwd, check=True)
    return proc.stdout.decode("utf-8", "surrogateescape").split("\0")[:-1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=HOSTILE, label=HOSTILE, env=HOSTILE, command=st.lists(HOSTILE, min_size=1, max_size=3))
def test_hostile_values_reach_docker_as_literal_arguments(printer, name, label, env, command):
    script, canary = printer
    output = DockerCommandLineOutput(default_bin=str(script), cmd_args=["-H", f"unix://{name}"])
    kwargs = dict(
        name=name,
        labels={"tier": label, label: "x"},
        environment={"VALUE": env},
        user=name,
        host_config={"binds": [f"{name}:/data:ro"], "restart_policy": {"Name": name}},
    )
    line = output.get_cmd("create_container", f"img{name}", command, **kwargs)
    assert (
        _run_in_sh(line, script.parent)
        == output.get_args("create_container", f"img{name}", command, **kwargs)[1:]
    )
    for method, args in (("stop", (name,)), ("exec_create", (name, command)), ("remove_volume", (label,))):
        line = output.get_cmd(method, *args)
        assert _run_in_sh(line, script.parent) == output.get_args(method, *args)[1:]
    assert not canary.exists()


def test_command_substitution_in_a_value_does_not_run(printer):
    script, canary = printer
    output = DockerCommandLineOutput(default_bin=str(script))
    evil = f"$(touch {canary}); `touch {canary}`; touch {canary} #'\""
    line = output.get_cmd(
        "create_container", "img", name=evil, labels={"l": evil}, command=["sh", "-c", evil]
    )
    args = _run_in_sh(line, script.parent)
    assert args == ["create", "--pull=never", f"--name={evil}", f"--label=l={evil}", "img", "sh", "-c", evil]
    assert not canary.exists()


# --------------------------------------------------------------------------------------------------
# Parsers


PS_OUTPUT = (
    "abc123||repo/web:1||2024-05-07 21:09:36 +0200 CEST||Up 3 minutes||map.web,other/web||\"sh -c 'serve'\"||"
    "127.0.0.1:8080->80/tcp, :::8443->443/tcp, 53/udp\n"
    'def456||busybox||2024-05-07 19:00:00 +0000 UTC||Exited (137) 2 seconds ago||map.db||"sh"||\n'
)


def test_parse_containers_output():
    web, db = parse_containers_output(PS_OUTPUT)
    assert web == {
        "Id": "abc123",
        "Image": "repo/web:1",
        "Created": int(datetime(2024, 5, 7, 19, 9, 36, tzinfo=timezone.utc).timestamp()),
        "Status": "Up 3 minutes",
        "Names": ["/map.web", "/other/web"],
        "Command": "sh -c 'serve'",
        "Ports": [
            {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
            {"IP": "::", "PrivatePort": 443, "PublicPort": 8443, "Type": "tcp"},
            {"PrivatePort": 53, "Type": "udp"},
        ],
    }
    assert db["Created"] == int(datetime(2024, 5, 7, 19, 0, tzinfo=timezone.utc).timestamp())
    assert db["Ports"] == [] and db["Names"] == ["/map.db"] and db["Command"] == "sh"
    assert parse_containers_output("") == []
    with pytest.raises(ValueError, match="unexpected docker ps output line"):
        parse_containers_output("abc||def\n")


def test_parse_ports_ranges_and_bracketed_ipv6():
    assert parse_ports("0.0.0.0:8000-8001->9000-9001/tcp, [::]:7000->70/udp, 100-101/tcp") == [
        {"IP": "0.0.0.0", "PrivatePort": 9000, "PublicPort": 8000, "Type": "tcp"},
        {"IP": "0.0.0.0", "PrivatePort": 9001, "PublicPort": 8001, "Type": "tcp"},
        {"IP": "::", "PrivatePort": 70, "PublicPort": 7000, "Type": "udp"},
        {"PrivatePort": 100, "Type": "tcp"},
        {"PrivatePort": 101, "Type": "tcp"},
    ]


def test_parse_times():
    assert parse_ps_time("2024-01-01 00:00:00 +0100 CET") == 1704063600
    assert parse_ps_time("yesterday") == 0
    assert parse_iso_time("2024-01-01T00:00:00.123456789Z") == 1704067200
    assert parse_iso_time("2024-01-01T01:00:00+01:00") == 1704067200
    assert parse_iso_time("0001-01-01T00:00:00Z") == -62135596800
    assert parse_iso_time("") == 0


def test_parse_networks_and_volumes_tables():
    networks = (
        "NETWORK ID   NAME      DRIVER    SCOPE\n"
        "abc          bridge    bridge    local\n"
        "def   map.net   bridge   local\n"
    )
    assert parse_networks_output(networks) == [
        {"Id": "abc", "Name": "bridge", "Driver": "bridge", "Scope": "local"},
        {"Id": "def", "Name": "map.net", "Driver": "bridge", "Scope": "local"},
    ]
    assert parse_networks_output("") == []
    volumes = "DRIVER    VOLUME NAME\nlocal     map.log\n"
    assert parse_volumes_output(volumes) == [{"Driver": "local", "Name": "map.log"}]


def test_parse_inspect_output():
    assert parse_inspect_output('[{"Id": "abc"}]', "container") == {"Id": "abc"}
    with pytest.raises(docker.errors.NotFound, match="Container not found."):
        parse_inspect_output("[]", "container")
    with pytest.raises(docker.errors.NotFound, match="Network not found."):
        parse_inspect_output("", "network")


def test_parse_images_output_groups_tags_by_id():
    table = textwrap.dedent(
        """\
        REPOSITORY   TAG       IMAGE ID       CREATED        SIZE
        repo/app     latest    sha256:bbb     2 days ago     1MB
        <none>       <none>    sha256:aaa     3 days ago     1MB
        repo/app     1.0       sha256:bbb     2 days ago     1MB
        other        <none>    sha256:ccc     3 days ago     1MB
        """
    )
    images = parse_images_output(table)
    assert [(i["Id"], i["RepoTags"]) for i in images] == [
        ("sha256:aaa", ["<none>:<none>"]),
        ("sha256:bbb", ["repo/app:latest", "repo/app:1.0"]),
        ("sha256:ccc", ["<none>:<none>"]),
    ]
    assert images[0]["ParentId"] == "" and images[0]["Size"] == 0


def test_parse_version_info_and_top():
    out = json.dumps({"Client": {"ApiVersion": "1.45"}, "Server": {"ApiVersion": "1.41", "Version": "20.10"}})
    assert parse_version_output(out) == {"ApiVersion": "1.45"}
    assert parse_version_output(out, "Server")["Version"] == "20.10"
    assert parse_version_output('{"Client": {}}', "Server") == {}
    assert parse_info_output('{"Containers": 3}') == {"Containers": 3}
    top = "PID   USER    COMMAND\n1     root    sh -c trap 'exit 0' TERM\n25    2000    sleep 1\n"
    assert parse_top_output(top) == {
        "Titles": ["PID", "USER", "COMMAND"],
        "Processes": [["1", "root", "sh -c trap 'exit 0' TERM"], ["25", "2000", "sleep 1"]],
    }
    assert parse_top_output("") == {"Titles": [], "Processes": []}


INSPECTED = {
    "Id": "abc",
    "Name": "/map.web",
    "Image": "sha256:111",
    "Created": "2024-01-01T00:00:00.5Z",
    "Path": "sh",
    "Args": ["-c", "serve now"],
    "State": {"Status": "running"},
    "Config": {"Image": "repo/web:1", "Labels": {"a": "b"}},
    "HostConfig": {"NetworkMode": "map.net"},
    "NetworkSettings": {
        "Ports": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}], "443/tcp": None},
        "Networks": {"map.net": {"NetworkID": "n1", "Aliases": ["web"]}},
    },
    "Mounts": [{"Type": "volume", "Name": "map.data", "Destination": "/data"}],
}


def test_container_list_entry_from_inspect_output():
    assert container_list_entry(INSPECTED, "Up 2 seconds") == {
        "Id": "abc",
        "Names": ["/map.web"],
        "Image": "repo/web:1",
        "ImageID": "sha256:111",
        "Command": "sh -c 'serve now'",
        "Created": 1704067200,
        "Ports": [
            {"IP": "127.0.0.1", "PrivatePort": 80, "Type": "tcp", "PublicPort": 8080},
            {"PrivatePort": 443, "Type": "tcp"},
        ],
        "Labels": {"a": "b"},
        "State": "running",
        "Status": "Up 2 seconds",
        "HostConfig": {"NetworkMode": "map.net"},
        "NetworkSettings": {"Networks": {"map.net": {"NetworkID": "n1", "Aliases": ["web"]}}},
        "Mounts": [{"Type": "volume", "Name": "map.data", "Destination": "/data"}],
    }


def test_published_ports_without_host_port():
    assert published_ports({"80/tcp": [{"HostIp": "", "HostPort": ""}]}) == [
        {"IP": "", "PrivatePort": 80, "Type": "tcp"}
    ]
    assert published_ports(None) == []
