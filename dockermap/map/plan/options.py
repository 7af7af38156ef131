"""The options of a call, parsed once: what the desired records, the plan and the runner take into account
(the classic option names and defaults), and the call's own keywords for the engine calls."""

from __future__ import annotations

from typing import Any, Callable, Collection, Dict, FrozenSet, Mapping, Optional, Sequence, Tuple, Union

from dockermap import DEFAULT_COREIMAGE, DEFAULT_HOSTNAME_REPLACEMENT
from dockermap.exceptions import InvalidArgumentError
from dockermap.records import field, fields, record
from dockermap.refs import ImageRef

from ..input import CmdCheck, MapConfigId
from ..labels import secret_key_set

#: Values of ``recreate_volumes``: ``None`` refuses to recreate a volume whose configuration changed.
RECREATE_VOLUMES = (None, "discard", "copy")
#: Actions run at once unless ``max_workers`` says otherwise.
DEFAULT_MAX_WORKERS = 8


@record(frozen=True)
class PlanOptions:
    """The options of a call: what the desired records, the planner and the runner take into account
    besides the configuration and what the engines have, and the call's own keywords.

    :meth:`parse` makes it from a client's option defaults and a call's keywords.
    """

    #: Exit codes after which a stopped container is replaced rather than started again.
    nonrecoverable_exit_codes: Tuple[int, ...] = (-127, -1)
    #: Items to replace even when nothing changed (ids as in the plan, usually containers).
    force_update: FrozenSet[MapConfigId] = frozenset()
    #: ``update`` also replaces ``persistent`` containers whose image changed.
    update_persistent: bool = False
    #: How ``update`` checks that exec commands still run (``CmdCheck.NONE`` does not check).
    check_exec_commands: CmdCheck = CmdCheck.FULL
    #: ``update`` inspects every container and compares limits and restart policy with the engine's
    #: (repairing changes made behind dockermap's back); without it, with the values dockermap recorded.
    verify_containers: bool = False
    #: ``update`` keeps a container whose removed limit cannot be reset in place.
    skip_limit_reset: bool = False
    #: ``restart`` runs the exec commands again afterwards.
    restart_exec_commands: bool = False
    #: ``remove``/``shutdown`` also remove ``persistent`` containers.
    remove_persistent: bool = True
    #: ``remove``/``shutdown`` also remove the attached volumes of the containers they remove.
    remove_attached: bool = False
    #: ``update``, ``startup``, ``remove`` and ``shutdown`` remove containers (and, with ``remove_attached``,
    #: attached volumes) that carry the labels of the call's maps but are no longer configured.
    remove_orphans: bool = False
    #: ``pull_images`` pulls images already on the client, too.
    pull_all_images: bool = True
    #: ``update`` pulls every image on its path.
    pull_before_update: bool = False
    #: ``script`` removes an existing container of the configuration instead of failing.
    remove_existing_before: bool = False
    #: Go on with the reachable clients when the engines of others cannot be reached; what is on those
    #: clients is left untouched and listed in the plan and the results.
    skip_unreachable: bool = False
    #: How a present volume whose driver or driver options changed is recreated: ``None`` refuses
    #: (nothing is changed), ``'discard'`` recreates it empty, ``'copy'`` keeps its data; or the same
    #: per map name (the maps' own ``recreate_volumes`` settings).
    recreate_volumes: Union[None, str, Mapping[str, str]] = None
    #: Image of the helper containers that prepare and copy volumes, and the same per client name.
    core_image: str = DEFAULT_COREIMAGE
    core_images: Dict[str, str] = field(default_factory=dict)
    #: Causes show the values of secrets (environment values and ``secret_keys``) instead of naming
    #: only the key that changed.
    show_secret_values: bool = False
    #: Further keys whose values are secret, besides every environment value: create or host-config
    #: keywords (``command``, ``labels``, ...) or one entry of a mapping (``labels.api_token``).
    secret_keys: FrozenSet[str] = frozenset()
    #: Objects under a wanted name without dockermap's labels are used as they are instead of refused:
    #: ``True``, ``False``, or the names of the maps whose unlabelled objects may be adopted.
    adopt_unlabelled: Union[bool, Collection[str]] = False
    #: Pairs ``(old, new)`` replaced in container names to make their host names.
    hostname_replace: Sequence[Tuple[str, str]] = tuple(DEFAULT_HOSTNAME_REPLACEMENT)
    #: Readiness conditions that replace the configured ones, by container name.
    ready: Mapping[str, Any] = field(default_factory=dict)
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
    #: Told ``(action, state)`` as a run goes, e.g. to show progress: ``waiting`` for every action when
    #: a run begins, ``running`` just before the action runs (from the thread that runs it), then
    #: ``done`` or ``failed``. It is called from several threads at once and should return quickly.
    listener: Optional[Callable[[Any, str], None]] = field(default=None, repr=False, compare=False)
    #: Extra keywords of the call, added to the main action of each *requested* item only (for example
    #: ``signal`` for ``signal``, ``timeout`` for ``stop``, the script arguments for ``script``).
    call_kwargs: Dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (
            isinstance(self.max_workers, bool)
            or not isinstance(self.max_workers, int)
            or self.max_workers < 1
        ):
            raise InvalidArgumentError(
                f"max_workers: expected a whole number of at least 1, got {self.max_workers!r}"
            )
        object.__setattr__(self, "force_update", frozenset(self.force_update or ()))
        object.__setattr__(self, "secret_keys", secret_key_set(self.secret_keys))
        object.__setattr__(self, "nonrecoverable_exit_codes", tuple(self.nonrecoverable_exit_codes or ()))
        object.__setattr__(self, "check_exec_commands", _cmd_check(self.check_exec_commands))
        modes = (
            self.recreate_volumes.values()
            if isinstance(self.recreate_volumes, Mapping)
            else [self.recreate_volumes]
        )
        for mode in modes:
            if mode not in RECREATE_VOLUMES:
                raise InvalidArgumentError(
                    f"recreate_volumes: {mode!r} is not one of None, 'discard' or 'copy'"
                )
        object.__setattr__(self, "adopt_unlabelled", _adoption(self.adopt_unlabelled))

    def core_image_of(self, client: str) -> str:
        """The helper image on ``client``."""
        return self.core_images.get(client) or self.core_image

    def core_image_ref(self, client: str) -> str:
        """The helper image on ``client`` with its tag, as the plan looks it up among the client's images."""
        return str(ImageRef.parse(self.core_image_of(client)).tagged())

    def volume_recreation(self, map_name: str) -> Optional[str]:
        """How a changed volume of the map ``map_name`` is recreated (``None``: refused)."""
        if isinstance(self.recreate_volumes, Mapping):
            return self.recreate_volumes.get(map_name)
        return self.recreate_volumes

    def adopts(self, map_name: Optional[str]) -> bool:
        """Whether unlabelled objects of the map ``map_name`` may be adopted."""
        if isinstance(self.adopt_unlabelled, bool):
            return self.adopt_unlabelled
        return map_name in self.adopt_unlabelled

    @classmethod
    def parse(
        cls, defaults: Optional[Mapping[str, Any]] = None, call: Optional[Mapping[str, Any]] = None
    ) -> PlanOptions:
        """The options of a call: a client's option ``defaults``, overridden by the ``call``'s keywords.

        A key named like a field sets it. Any other keyword of the call goes to the engine calls of the
        requested items (``call_kwargs``); other keys of the defaults are ignored, so one set of defaults
        can serve every action.
        """
        given = {**(defaults or {}), **(call or {})}
        return cls(
            **{key: value for key, value in given.items() if key in _OPTION_NAMES},
            call_kwargs={key: value for key, value in (call or {}).items() if key not in _OPTION_NAMES},
        )


#: The names :meth:`PlanOptions.parse` reads as options (every field but the call's own keywords).
_OPTION_NAMES = frozenset(fields(PlanOptions)) - {"call_kwargs"}


def _adoption(value: Any) -> Union[bool, FrozenSet[str]]:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(name, str) for name in value):
        return frozenset(value)
    raise InvalidArgumentError(f"adopt_unlabelled: {value!r} is not True, False or a list of map names")


def _cmd_check(value: Any) -> CmdCheck:
    if isinstance(value, CmdCheck):
        return value
    if value is True:
        return CmdCheck.FULL
    if not value:
        return CmdCheck.NONE
    try:
        return CmdCheck(value)
    except ValueError:
        raise InvalidArgumentError(
            f"check_exec_commands: {value!r} is not one of {[c.value for c in CmdCheck]}, True or False"
        ) from None
