"""Planning: what each action (``startup``, ``update``, ``shutdown``, ...) does with each item.

:func:`plan` walks the items in the order the caller decided (``MappingDockerClient``: dependencies
first for ``create``, ``start``, ``startup``, ``update``, ``script``, ``pull_images`` and
``build_images``; dependents first
for ``stop``, ``remove`` and ``shutdown``, which also act on volumes and networks only after every
container), assesses each one (:mod:`.assess`) and lets the action's generator append what the item
needs. The generators follow the classic ones with their bugs fixed: ``startup`` neither creates
existing networks nor pulls present images, ``remove`` and ``shutdown`` respect ``remove_persistent`` and
``remove_attached``, never remove a running container with ``remove``, and disconnect the containers of a
network before removing it.

Action kinds and their ``args`` (as :mod:`dockermap.map.runner` reads them):

===========  ===========  =====================================================================
kind         item types   args
===========  ===========  =====================================================================
pull         image        --
build        image        the call's extra keywords (``nocache``, ...), added to the configured build
create       all but      container: the call's extra keywords, if requested; ``keep_volumes``
             image        (path -> anonymous volume of the replaced container, for its ``shares``);
                          volume: ``through_helper``: created as a mount of its preparation helper
prepare      volume       ``helper_created``: that helper waits to be started (owner and mode
                          come from the desired volume)
clean        volume       ``containers``: helper containers an interrupted run left
backup       volume       ``copy``: the temporary volume that receives the volume's data
restore      volume       ``copy``: copy the data back, remove the temporary volume
remove_copy  volume       ``copy``: the temporary volume to drop
start        container    the call's extra keywords (``start``, ``startup``), if requested
connect      container    ``endpoints``: a list of :class:`~dockermap.map.items.DesiredEndpoint`
disconnect   container    ``networks``: a list of network names
disconnect   network      ``containers``: names of the containers to disconnect
exec         container    ``commands``: the :class:`~dockermap.map.items.DesiredExec` to run
update       container    ``changes``: keywords of ``update_container`` (``mem_limit``, ...)
stop         container    ``timeout`` (the configured ``stop_timeout``), plus the call's keywords
restart      container    ``timeout`` as for stop, plus the call's keywords
kill         container    the call's keywords (``signal``)
remove       all but      container: the call's keywords with ``remove``, if requested
             image
script       container    the call's keywords (script path, command format, timeouts, ...)
skip         volume,      -- (nothing is done: the object is not dockermap's; the cause says whose)
             network
===========  ===========  =====================================================================

Before any generator runs, :func:`~.ownership.check_ownership` refuses objects under wanted names that
dockermap did not create for the item (see :mod:`.ownership`), and :mod:`.external` takes out the
volumes and networks made outside dockermap (refusing the plan if one of them is missing).
"""

from __future__ import annotations

from typing import Any, Callable, Collection, Dict, Mapping, Optional, Sequence

from dockermap.exceptions import InvalidArgumentError

from ..flags import State, StateFlags
from ..input import ItemType
from ..items import ActionKind, ObservedClient
from .assess import ItemKey, ItemState, assess_item, has_completed, is_running, lookup, stopped_cause
from .builder import PlanBuilder, restart_commands
from .external import check_external, is_external, split_external
from .graph import action_dependencies
from .options import PlanOptions
from .orphans import ORPHAN_ACTIONS, RENAME_FOLLOWING, Configured, find_orphans, plan_orphans, plan_renamed
from .ownership import check_ownership, foreign_object
from .result import Plan
from .script import script_item
from .update import update_item
from .volumes import pull_core_images, settle_volume

#: Appends what an action does with one item: ``(builder, key, assessed state)``.
Generator = Callable[[PlanBuilder, ItemKey, ItemState], None]


def _create(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if state.base_state is State.ABSENT:
        b.create_missing(key, start=False)


def _start(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    startable = state.base_state is State.PRESENT and not state.state_flags & StateFlags.RESTARTING
    if key[1].config_type is ItemType.CONTAINER and startable and not has_completed(b.desired[key], state):
        initial = bool(state.state_flags & StateFlags.INITIAL)
        b.start_container(key, initial, stopped_cause(state), b.call_args(key))


def _startup(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    """Create what is missing and start what is stopped; a ``persistent`` container only if it never ran
    (as ``update`` does: a finished job is not run again)."""
    flags = state.state_flags
    if state.base_state is State.ABSENT:
        b.create_missing(key, start=True)
    elif not flags & StateFlags.PERSISTENT or flags & StateFlags.INITIAL:
        _start(b, key, state)


def _restart(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if key[1].config_type is not ItemType.CONTAINER or state.base_state is State.ABSENT:
        return
    if state.state_flags & StateFlags.INITIAL:
        return
    record = b.desired[key]
    args = {} if record.stop_timeout is None else {"timeout": record.stop_timeout}
    args.update(b.call_args(key))
    b.add(key, ActionKind.RESTART, "restart requested", args)
    if b.options.restart_exec_commands:
        b.exec_commands(key, restart_commands(record), "restart requested")


def _stop(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if key[1].config_type is ItemType.CONTAINER and is_running(state):
        b.stop_container(key, "stop requested", b.call_args(key))


def _signal(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if key[1].config_type is ItemType.CONTAINER and state.base_state is State.RUNNING:
        b.add(key, ActionKind.KILL, "signal requested", b.call_args(key))


def _pull_images(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if key[1].config_type is not ItemType.IMAGE or b.desired[key].build is not None:
        return  # an image with a build setting is built (``build_images``), not pulled
    if state.base_state is State.ABSENT:
        b.create_missing(key, start=False)
    elif b.options.pull_all_images:
        b.pull(key, "pull requested (pull_all_images is set)")


def _build_images(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    """Build every image that has a ``build`` setting, present or not (as ``docker compose build``)."""
    if key[1].config_type is ItemType.IMAGE and b.desired[key].build is not None:
        present = state.base_state is not State.ABSENT
        cause = "build requested" if present else f"image {b.desired[key].ref} is not on the client"
        b.build_image(key, cause, dict(b.options.call_kwargs))


def _keeps(b: PlanBuilder, state: ItemState) -> bool:
    """Whether ``remove``/``shutdown`` keep a container because it is persistent."""
    return bool(state.state_flags & StateFlags.PERSISTENT) and not b.options.remove_persistent


def _keeps_foreign(b: PlanBuilder, key: ItemKey) -> bool:
    """Skip (and say so) the removal of a volume or network that is not ours."""
    found = foreign_object(key, b.desired[key], b.observed[key[0]])
    if found is not None:
        b.add(key, ActionKind.SKIP, f"kept, not removed: it {found.owner}")
    return found is not None


def _remove_other(b: PlanBuilder, key: ItemKey, state: ItemState, cause: str) -> None:
    """``remove``/``shutdown`` of a volume (only with ``remove_attached``) or a network."""
    kind = key[1].config_type
    if kind is ItemType.VOLUME and b.options.remove_attached and not _keeps_foreign(b, key):
        b.add(key, ActionKind.REMOVE, f"{cause} (remove_attached is set)")
    elif kind is ItemType.NETWORK and not _keeps_foreign(b, key):
        b.remove_network(key, state.extra_data["containers"], cause)


def _anonymous(b: PlanBuilder) -> Dict[str, Any]:
    """``v`` (remove a container's anonymous volumes, e.g. of its ``shares``) with ``remove_attached``."""
    return {"v": True} if b.options.remove_attached else {}


def _remove(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if state.base_state is not State.PRESENT:
        return  # absent, or running: ``remove`` never removes a running container
    if key[1].config_type is not ItemType.CONTAINER:
        _remove_other(b, key, state, "remove requested")
    elif not state.state_flags & StateFlags.RESTARTING and not _keeps(b, state):
        b.remove_container(key, False, "remove requested", remove_args={**_anonymous(b), **b.call_args(key)})


def _shutdown(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    if state.base_state is State.ABSENT:
        return
    if key[1].config_type is not ItemType.CONTAINER:
        _remove_other(b, key, state, "shutdown requested")
    elif not _keeps(b, state):
        b.remove_container(key, is_running(state), "shutdown requested", b.call_args(key), _anonymous(b))
    elif is_running(state):
        b.stop_container(key, "shutdown requested; persistent container kept", b.call_args(key))


#: The generator of each action name.
GENERATORS: Dict[str, Generator] = {
    "create": _create,
    "start": _start,
    "restart": _restart,
    "stop": _stop,
    "remove": _remove,
    "startup": _startup,
    "shutdown": _shutdown,
    "update": update_item,
    "signal": _signal,
    "pull_images": _pull_images,
    "build_images": _build_images,
    "script": script_item,
}


#: Actions that remove containers, volumes and networks.
REMOVING_ACTIONS = frozenset({"remove", "shutdown"})


def _remove_attached(b: PlanBuilder, ordered_ids: Sequence[ItemKey]) -> None:
    """Remove the attached volumes of the container configurations in the plan (``remove_attached``).

    A volume stays while a container that this plan does not remove still mounts it.
    """
    owners = {
        (c, cid.map_name, cid.config_name) for c, cid in ordered_ids if cid.config_type is ItemType.CONTAINER
    }
    listed = set(ordered_ids)
    for key, record in b.desired.items():
        client, cid = key
        if cid.config_type is not ItemType.VOLUME or key in listed or is_external(record):
            continue
        observed = b.observed.get(client)
        if (client, cid.map_name, cid.config_name) not in owners or observed is None:
            continue
        if record.name not in observed.volumes or _keeps_foreign(b, key):
            continue
        mounted = any(
            record.name in found.mounts.values() and (client, name) not in b.removed
            for name, found in observed.containers.items()
        )
        if not mounted:
            b.clean_helpers(key)
            b.add(key, ActionKind.REMOVE, "remove_attached is set and no remaining container uses it")


def plan(
    action_name: str,
    ordered_ids: Sequence[ItemKey],
    desired: Mapping[ItemKey, Any],
    observed: Mapping[str, ObservedClient],
    options: Optional[PlanOptions] = None,
    requested: Optional[Collection[ItemKey]] = None,
    configured: Optional[Configured] = None,
) -> Plan:
    """The actions that ``action_name`` takes on the items ``ordered_ids``, each with its cause, and the
    earlier actions each one waits for (``Plan.depends_on``).

    :param action_name: a key of :data:`GENERATORS` (``create``, ``start``, ``restart``, ``stop``,
        ``remove``, ``startup``, ``shutdown``, ``update``, ``signal``, ``pull_images``, ``build_images``,
        ``script``).
    :param ordered_ids: ``(client name, MapConfigId)`` of every item involved, in the order to act (for
        ``remove``/``shutdown``, volumes and networks after the containers that use them).
    :param desired: the desired record of each item; for ``remove``/``shutdown`` with
        ``remove_attached``, also the attached volumes of the containers.
    :param observed: per client, what the engine has (:func:`dockermap.map.state.observe`).
    :param options: the plan options (defaults: :class:`PlanOptions`).
    :param requested: the items asked for (the others are dependencies or dependents); default: all.
        ``script`` needs it: the script runs in the requested container only.
    :param configured: everything the maps of the call configure; with it, ``update``, ``startup``,
        ``remove`` and ``shutdown`` report labelled objects of these maps outside it (``Plan.orphans``)
        and, with ``remove_orphans``, remove them first; ``stop`` and ``signal`` also reach a
        configuration's running container under its old name.
    :raises ValueError: for an unknown action, missing records, a missing external volume or network, or
        a volume to recreate while containers outside the plan use it.
    :raises dockermap.map.exceptions.ForeignObjectError: when an object under a name the plan wants is
        not dockermap's (unlabelled and not adopted, or another owner's), before anything is planned.
    :raises dockermap.map.exceptions.ScriptActionException: ``script`` on an existing container without
        ``remove_existing_before``.
    """
    generator = GENERATORS.get(action_name)
    if generator is None:
        raise InvalidArgumentError(f"unknown action {action_name!r}; valid actions: {', '.join(GENERATORS)}")
    if action_name == "script" and requested is None:
        raise ValueError("planning 'script' needs the requested ids (the container the script runs in)")
    options = options or PlanOptions()
    removing = action_name in REMOVING_ACTIONS
    ordered_ids, external = split_external(ordered_ids, desired)
    if not removing:
        check_external(external, desired, observed)
    check_ownership(ordered_ids, desired, observed, options, keeps_foreign=removing)
    builder = PlanBuilder(ordered_ids, desired, observed, options, requested)
    if configured is not None and action_name in ORPHAN_ACTIONS:
        plan_orphans(
            builder, find_orphans(observed, configured), removing, stop_running=action_name != "remove"
        )
    elif configured is not None and action_name in RENAME_FOLLOWING:
        plan_renamed(builder, find_orphans(observed, configured), action_name)
    for key in ordered_ids:
        record, client = lookup(key, desired, observed)
        if key[1].config_type is ItemType.VOLUME and settle_volume(builder, key, action_name):
            continue
        generator(builder, key, assess_item(record, client, options, update=action_name == "update"))
    if removing and options.remove_attached:
        _remove_attached(builder, ordered_ids)
    pull_core_images(builder)
    builder.plan.depends_on = action_dependencies(builder.plan, desired)
    return builder.plan
