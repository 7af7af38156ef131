"""Plain records shared by the steps of a call: desired, observe, plan, run.

* *Desired* records say what the configuration asks for on one client (built by
  :mod:`dockermap.map.desired` from the extended maps and client configurations, no engine needed).
* *Observed* records say what an engine has (built by :mod:`dockermap.map.state` from a few list calls).
* An :class:`Action` is one step of a plan (built by :mod:`dockermap.map.plan`, a pure function of
  desired and observed records) and is executed by :mod:`dockermap.map.runner`.

Every record is plain data: no client objects, no lazy values (they are resolved when the desired
records are built), so a plan can be printed, compared in tests and run later.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Dict, List, Optional, Tuple

from dockermap.records import field, record

from .input import ExecPolicy, ItemType, MapConfigId
from .labels import LABEL_VOLUME
from .readiness import STARTED, Readiness

# --------------------------------------------------------------------------------------------------
# Desired state


@record(frozen=True)
class DesiredBuild:
    """How an image is built: the configuration's ``build`` setting with every value resolved."""

    source: str  # 'map.config': the configuration whose ``build`` this is
    context: str  # absolute path of the context directory
    dockerfile: Optional[str] = None  # path inside the context; None: 'Dockerfile'
    args: Dict[str, str] = field(default_factory=dict, hash=False)
    target: Optional[str] = None
    labels: Dict[str, str] = field(default_factory=dict, hash=False)
    pull: bool = False
    nocache: bool = False


@record(frozen=True)
class DesiredImage:
    """An image that containers on ``client`` are created from."""

    client: str
    config_id: MapConfigId  # (IMAGE, map, image name, tag)
    ref: str  # 'name:tag'
    #: Built (instead of pulled) when missing, if a configuration of the map using it has ``build``.
    build: Optional[DesiredBuild] = None


@record
class DesiredNetwork:
    """A network to create on ``client`` (never one of the preset networks)."""

    client: str
    config_id: MapConfigId  # (NETWORK, map, network config name, None)
    name: str  # engine name, 'map.network'
    driver: str
    options: Dict[str, str]  # driver options
    internal: bool
    create_kwargs: Dict[str, Any]  # every keyword for APIClient.create_network (labels included)
    #: Made outside dockermap: only used, never created or removed; it must exist.
    external: bool = False


@record
class DesiredVolume:
    """An attached (named) volume, owned by one container configuration."""

    client: str
    config_id: MapConfigId  # (VOLUME, map, owning container config, alias)
    name: str  # engine name, 'map.alias' or 'map.cfg.alias'
    driver: str
    driver_opts: Dict[str, str]
    create_kwargs: Dict[str, Any]  # every keyword for APIClient.create_volume (labels included)
    user: Optional[str]  # owner to set by the preparation helper container ('2000' or 'user:group')
    permissions: Optional[str]  # chmod mode, e.g. 'u=rwX,g=rX,o='
    #: Made outside dockermap: only mounted, never created, prepared or removed; it must exist.
    external: bool = False


@record(frozen=True)
class DesiredEndpoint:
    """A container's connection to a network."""

    network: str  # engine name of the network
    aliases: Tuple[str, ...] = ()
    links: Tuple[Tuple[str, str], ...] = ()  # (container name, alias)
    ipv4_address: Optional[str] = None
    ipv6_address: Optional[str] = None
    link_local_ips: Tuple[str, ...] = ()


@record(frozen=True)
class DesiredExec:
    """A command executed in a running container after it starts."""

    cmd: Any  # string or list (exec form)
    user: Optional[str]
    policy: ExecPolicy


@record
class DesiredContainer:
    """Everything needed to create, start, compare and stop one container instance."""

    client: str
    config_id: MapConfigId  # (CONTAINER, map, config, instance)
    name: str  # engine name, 'map.config[.instance]'
    image: str  # 'name:tag'
    #: Keywords for APIClient.create_container, except ``host_config`` and ``networking_config``
    #: (image, command, entrypoint, environment, volumes, ports, user, hostname, domainname, labels
    #: incl. dockermap's, stop_signal, stop_timeout, healthcheck, working_dir, network_disabled, ...).
    create_kwargs: Dict[str, Any]
    #: Keywords for ``APIClient.create_host_config`` (binds, port_bindings, links, volumes_from,
    #: network_mode, restart_policy, limits, ...).
    host_config: Dict[str, Any]
    #: Networks to connect; the first is passed at create time, the others connected afterwards.
    endpoints: List[DesiredEndpoint]
    #: The host-config values that ``update_container`` can change in place (limits, restart policy).
    updatable: Dict[str, Any]
    #: Hash of the complete create configuration except ``updatable``; stored as a label.
    fingerprint: str
    #: Expected mounts: container path -> volume name (named volumes) or host path (binds).
    mounts: Dict[str, str]
    #: Expected published ports: ('80/tcp', host ip, host port as str).
    published: List[Tuple[str, str, str]]
    exec_commands: List[DesiredExec] = field(default_factory=list)
    persistent: bool = False
    start_delay: Optional[float] = None
    #: When the containers that depend on this one may start (see :mod:`dockermap.map.readiness`).
    ready: Readiness = STARTED
    stop_timeout: Optional[int] = None
    stop_signal: Optional[str] = None
    #: Names of containers this one must be recreated with: links, ``volumes_from`` and
    #: ``network_mode: container:...`` targets (their recreation invalidates this container).
    bound_to: List[str] = field(default_factory=list)
    #: Names of containers started before this one only for the order (``depends_on``).
    after: List[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# Observed state


@record
class ObservedContainer:
    """A container as the engine lists (and, where needed, inspects) it."""

    name: str
    id: str
    image_id: str
    status: str  # 'created', 'running', 'paused', 'restarting', 'exited', 'dead', 'removing'
    exit_code: Optional[int]
    labels: Dict[str, str]
    mounts: Dict[str, str]  # container path -> volume name or host path
    published: List[Tuple[str, str, str]]  # ('80/tcp', host ip, host port)
    networks: Dict[str, Dict[str, Any]]  # network name -> {'id', 'endpoint_id', 'aliases', 'links', ...}
    #: ``inspect_container`` output when the list could not tell everything (e.g. no labels).
    detail: Optional[Dict[str, Any]] = None
    #: Running processes as (user, args) when exec commands had to be checked.
    processes: Optional[List[Tuple[str, str]]] = None

    @property
    def running(self) -> bool:
        """Whether it may be running: an unknown status counts as running, so it is stopped before removal."""
        return self.status in ("running", "restarting", "paused") or not self.status

    @property
    def never_started(self) -> bool:
        return self.status == "created"


@record
class ObservedVolume:
    name: str
    driver: str
    options: Dict[str, str]
    labels: Dict[str, str]


@record
class ObservedNetwork:
    name: str
    id: str
    driver: str
    options: Dict[str, str]
    internal: bool
    labels: Dict[str, str]


@record
class ObservedClient:
    """What one engine has of the items a plan is about."""

    client: str
    containers: Dict[str, ObservedContainer] = field(default_factory=dict)  # by name
    volumes: Dict[str, ObservedVolume] = field(default_factory=dict)
    networks: Dict[str, ObservedNetwork] = field(default_factory=dict)
    images: Dict[str, str] = field(default_factory=dict)  # 'name:tag' -> image id
    #: Helper containers of volumes (left by an interrupted run), by name.
    helpers: Dict[str, ObservedContainer] = field(default_factory=dict)
    #: Temporary copies of volumes (left by an interrupted copy), by name.
    volume_copies: Dict[str, ObservedVolume] = field(default_factory=dict)

    def helpers_of(self, volume: str) -> List[str]:
        """Names of the helper containers of ``volume``."""
        return sorted(
            name for name, found in self.helpers.items() if found.labels.get(LABEL_VOLUME) == volume
        )

    def copy_of(self, volume: str) -> Optional[str]:
        """Name of the temporary copy of ``volume``, if there is one."""
        return next(
            (name for name, found in self.volume_copies.items() if found.labels.get(LABEL_VOLUME) == volume),
            None,
        )


# --------------------------------------------------------------------------------------------------
# Plan


class ActionKind(str, Enum):
    """What an :class:`Action` does: one of the runner's verbs (see :mod:`dockermap.map.plan.generate` for
    the item types and ``args`` of each).

    A kind is a string: it equals, prints and serialises as its plain name (``ActionKind.CREATE ==
    'create'``).
    """

    PULL = "pull"
    BUILD = "build"
    CREATE = "create"
    PREPARE = "prepare"
    CLEAN = "clean"
    BACKUP = "backup"
    RESTORE = "restore"
    REMOVE_COPY = "remove_copy"
    START = "start"
    CONNECT = "connect"
    DISCONNECT = "disconnect"
    EXEC = "exec"
    UPDATE = "update"
    STOP = "stop"
    RESTART = "restart"
    KILL = "kill"
    REMOVE = "remove"
    SCRIPT = "script"
    #: Nothing is done: the object is not dockermap's (the cause says whose).
    SKIP = "skip"

    def __str__(self) -> str:
        return str(self.value)


@record(frozen=True)
class Action:
    """One step of a plan: ``kind`` on the engine object ``name`` of ``client``, and why.

    ``kind`` may be given as its plain name (``'create'``); it is stored as the :class:`ActionKind`.
    ``args`` holds the verb's keywords (plain data).

    :raises ValueError: for a kind that is not an :class:`ActionKind`.
    """

    client: str
    kind: ActionKind
    item_type: ItemType
    config_id: MapConfigId
    name: str
    cause: str
    args: Dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", ActionKind(self.kind))

    def __str__(self) -> str:
        return f"{self.kind} {_where(self.item_type, self.name, self.client)}: {self.cause}"


@record(frozen=True)
class UntouchedItem:
    """An item a plan leaves alone because the engine of its client cannot be reached (only with
    ``skip_unreachable``)."""

    client: str
    item_type: ItemType
    config_id: MapConfigId
    name: str
    reason: str

    def __str__(self) -> str:
        return f"untouched {_where(self.item_type, self.name, self.client)}: {self.reason}"


def _where(item_type: ItemType, name: str, client: str) -> str:
    """``container main.web on web1`` (without the client part on the default client)."""
    where = "" if client == "__default__" else f" on {client}"
    return f"{item_type.value} {name}{where}"
