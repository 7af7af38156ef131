"""Configuration of one container (possibly several instances) on a container map."""

from __future__ import annotations

from dockermap.map.input import (
    AttachedVolumeList,
    ContainerLinkList,
    ExecCommandList,
    NetworkEndpointList,
    PortBindingList,
    SharedHostVolumesList,
    UsedVolumeList,
    bool_if_set,
    get_build,
    get_healthcheck,
    get_network_mode,
)

from ..readiness import check_readiness
from . import CP, ConfigurationObject
from .values import (
    get_image_ref,
    mapping,
    merge_first,
    merge_unique,
    name_list,
    optional,
    scalar,
    seconds,
    text_list,
)

#: Keywords of ``APIClient.create_container`` that ``create_options`` may set. Any other option is a
#: host-config keyword (since SDK 7, resource limits such as ``mem_limit`` are only accepted there).
CREATE_KEYWORDS = frozenset(
    {
        "command",
        "detach",
        "domainname",
        "entrypoint",
        "environment",
        "healthcheck",
        "hostname",
        "image",
        "labels",
        "mac_address",
        "network_disabled",
        "platform",
        "ports",
        "runtime",
        "stdin_open",
        "stop_signal",
        "stop_timeout",
        "tty",
        "use_config_proxy",
        "user",
        "volumes",
        "working_dir",
    }
)
#: Host-config keywords often written at the container level; they belong in ``host_config``.
HOST_CONFIG_HINTS = frozenset(
    {
        "auto_remove",
        "cap_add",
        "cap_drop",
        "cpu_period",
        "cpu_quota",
        "cpu_shares",
        "cpuset_cpus",
        "devices",
        "dns",
        "dns_search",
        "extra_hosts",
        "group_add",
        "init",
        "ipc_mode",
        "log_config",
        "mem_limit",
        "mem_reservation",
        "memswap_limit",
        "mounts",
        "oom_kill_disable",
        "pid_mode",
        "pids_limit",
        "port_bindings",
        "privileged",
        "read_only",
        "restart_policy",
        "security_opt",
        "shm_size",
        "sysctls",
        "tmpfs",
        "ulimits",
        "volumes_from",
    }
)


class ContainerConfiguration(ConfigurationObject):
    """Settings of a container configuration: image, volumes, links, ports, networks, commands, options.

    See the "Container maps" guide for each key; the declaration order is the order of :meth:`as_dict`.
    """

    __slots__ = ()

    #: Where Docker keywords written at the container level belong (named by the unknown-key error).
    KEY_PLACES = {
        **{key: f"create_options.{key}" for key in CREATE_KEYWORDS},
        **{key: f"host_config.{key}" for key in HOST_CONFIG_HINTS},
        "ports": "exposes",
    }

    DOCSTRINGS = {
        "abstract": "Only a base for ``extends``; never created itself.",
        "extends": "Names of configurations whose settings are merged into this one (in order).",
        "image": "Image name, with optional tag; defaults to the configuration name.",
        "build": "Build context directory (and Dockerfile, args, target, labels) the image is built from.",
        "instances": "Names of the instances; each becomes a container ``<map>.<config>.<instance>``.",
        "container_name": "Engine name of the container, instead of the one derived from the map.",
        "clients": "Declared for compatibility; only the map's ``clients`` are used.",
        "shares": "Paths inside the container to declare as (anonymous) volumes.",
        "binds": "Host volumes: aliases resolved through ``host`` and ``volumes``, or explicit paths.",
        "attaches": "Named volumes owned by this configuration (created before the container).",
        "uses": "Volumes of other configurations (attached aliases or configuration names).",
        "links": "Containers to link to, optionally with an alias.",
        "depends_on": "Configurations (or ``config.instance``) created and started first; an order only.",
        "exposes": "Exposed ports, optionally published on a host port and interface.",
        "user": "User (name or id, optionally ``user:group``) to run as and to own attached volumes.",
        "permissions": "``chmod`` mode applied to attached volumes.",
        "stop_timeout": "Seconds to wait for a stop before the container is killed.",
        "stop_signal": "Signal sent to stop the container.",
        "start_delay": "Seconds to wait after starting the container.",
        "ready": "When dependents may start: ``started``, ``healthy``, ``completed`` or a log pattern.",
        "network_mode": "``none``, ``host``, ``bridge``, ``container:<name>`` or another configuration.",
        "networks": "Networks to connect to, with optional aliases, links and addresses.",
        "exec_commands": "Commands run in the container after it started.",
        "healthcheck": "Health check: test command and timing.",
        "persistent": "Kept by clean-up operations.",
        "create_options": "Extra keyword arguments for creating the container.",
        "host_config": "Extra host-config keyword arguments.",
    }

    abstract = CP(default=False, input_func=bool, merge_func=False)
    extends = CP(list, input_func=name_list("extends entry"), merge_func=False)
    image = CP(input_func=get_image_ref)
    build = CP(input_func=optional(get_build))
    instances = CP(list, input_func=name_list("instance name"))
    container_name = CP(input_func=scalar("container_name", "an engine container name (string)", str))
    clients = CP(list, input_func=name_list("client name"))
    shares = CP(list, input_func=text_list("shared path"))
    binds = CP(SharedHostVolumesList, merge_func=merge_first)
    attaches = CP(AttachedVolumeList, merge_func=merge_first)
    uses = CP(UsedVolumeList, merge_func=merge_first)
    links = CP(ContainerLinkList)
    depends_on = CP(list, input_func=name_list("depends_on entry"))
    exposes = CP(PortBindingList, merge_func=merge_first)
    user = CP(input_func=scalar("user", "a user name or id", str, int))
    permissions = CP(input_func=scalar("permissions", "a chmod mode such as 'u=rwX,g=rX,o='", str, int))
    stop_timeout = CP(input_func=seconds("stop_timeout", integer=True))
    stop_signal = CP(input_func=scalar("stop_signal", "a signal name or number", str, int))
    start_delay = CP(input_func=seconds("start_delay"))
    ready = CP(input_func=check_readiness)
    network_mode = CP(input_func=get_network_mode)
    networks = CP(NetworkEndpointList, merge_func=merge_first)
    exec_commands = CP(ExecCommandList, merge_func=merge_unique)
    healthcheck = CP(input_func=optional(get_healthcheck))
    persistent = CP(input_func=bool_if_set)
    create_options = CP(dict, input_func=mapping("create_options"))
    host_config = CP(dict, input_func=mapping("host_config"))
