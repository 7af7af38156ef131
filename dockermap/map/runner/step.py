"""What every verb function receives: the action, its client, the desired record and the options."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Callable, Dict, Mapping, Optional, Set, Tuple, Type, TypeVar

from dockermap import DEFAULT_COREIMAGE
from dockermap.client.protocol import DockerClient
from dockermap.exceptions import InvalidArgumentError

from ..exceptions import describe_item
from ..items import Action

T = TypeVar("T")

#: Actions run at once unless ``max_workers`` says otherwise.
DEFAULT_MAX_WORKERS = 4

#: What a run reports to its ``listener`` about each action, in this order (``failed`` instead of ``done``).
WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
#: A run's listener: called with an action and its new state.
Listener = Callable[[Action, str], None]


@dataclass
class RunnerOptions:
    """Options of a :class:`~dockermap.map.runner.base.Runner`; other keys of an options dict are ignored."""

    #: Image of the short-lived helper containers that set the owner and mode of attached volumes.
    core_image: str = DEFAULT_COREIMAGE
    #: The same per client name, where it differs from ``core_image`` (a client's ``core_image`` setting).
    core_images: Dict[str, str] = field(default_factory=dict)
    #: Prepare volumes with the client's ``run_cmd(cmd)`` on the Docker host when the client has one
    #: (e.g. a Fabric-style client) instead of a helper container.
    prepare_local: bool = True
    #: Remove the container of a ``script`` action after it ran.
    remove_created_after: bool = True
    #: Registry logins per client: client name -> registry -> keywords of ``client.login``
    #: (``username``, ``password``, ``email``, ...), as in ``ClientConfiguration.auth_configs``.
    #: Not shown by ``repr()``: it holds passwords.
    auth_configs: Dict[str, Dict[str, Dict[str, Any]]] = field(default_factory=dict, repr=False)

    #: Most actions running at once (1: one after another, in plan order).
    max_workers: int = DEFAULT_MAX_WORKERS
    #: Most actions running at once on one client, per client name (a client's ``max_workers``
    #: setting); at most the size of the Docker SDK's connection pool unless a client says otherwise.
    client_workers: Dict[str, int] = field(default_factory=dict)
    #: Told ``(action, state)`` as the run goes, e.g. to show progress: ``waiting`` for every action when
    #: a run begins, ``running`` just before the action runs (from the thread that runs it), then
    #: ``done`` or ``failed``. It is called from several threads at once and should return quickly.
    listener: Optional[Listener] = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_workers, bool)
            or not isinstance(self.max_workers, int)
            or self.max_workers < 1
        ):
            raise InvalidArgumentError(
                f"max_workers: expected a whole number of at least 1, got {self.max_workers!r}"
            )

    @classmethod
    def from_mapping(cls, options: Optional[Mapping[str, Any]]) -> RunnerOptions:
        """Pick the runner's options out of a mixed options dict (e.g. a client's option defaults)."""
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in (options or {}).items() if key in names})


@dataclass
class Step:
    """One action about to run, with everything its verb function needs."""

    action: Action
    client: DockerClient
    #: The desired record of the item (``None`` when the item is not configured, e.g. for ``remove``).
    desired: Any
    options: RunnerOptions
    #: ``(client name, registry)`` pairs the runner already logged in to (shared by all its steps).
    logins: Set[Tuple[str, str]] = field(default_factory=set)
    #: Id of the run (one per runner), in the labels of the helper objects it makes.
    run_id: str = ""

    @property
    def core_image(self) -> str:
        """Image of volume preparation helpers on this action's client."""
        return self.options.core_images.get(self.action.client) or self.options.core_image

    @property
    def args(self) -> Dict[str, Any]:
        """The keywords the plan gave this action."""
        return self.action.args

    def required_arg(self, key: str) -> Any:
        """An argument this verb cannot do without; a clear error if the plan did not give it."""
        if key not in self.action.args:
            action = self.action
            raise ValueError(
                f"cannot {action.kind} {action.item_type.value} {action.name!r}: argument {key!r} missing"
            )
        return self.action.args[key]

    def require(self, record_type: Type[T]) -> T:
        """The desired record, which this verb cannot do without; a clear error if it is missing."""
        if not isinstance(self.desired, record_type):
            action = self.action
            raise ValueError(
                f"cannot {action.kind} {action.item_type.value} {action.name!r} on client {action.client!r}: "
                f"no {record_type.__name__} record for {describe_item(action.config_id)}"
            )
        return self.desired
