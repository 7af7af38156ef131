"""The ``update`` generator: bring every item of the plan in line with its configuration.

* image: pulled (or built, if configured) when absent (or pulled with ``pull_before_update``, unless
  built);
* volume: created when absent; when its driver or driver options changed, recreated only as
  ``recreate_volumes`` allows (see :mod:`.volumes`) — the containers mounting it are removed first and
  created again at their turn;
* network: created when absent; recreated when driver, options or ``internal`` changed (its containers
  are disconnected first, and reconnected or recreated at their turn);
* container: created when absent; recreated (stop, remove, create, connect, start, exec) when a check
  requires it or when something it is bound to (link, ``volumes_from``, ``network_mode``), a volume it
  mounts or its create-time network is replaced in this plan; otherwise fixed in place: networks
  connected and disconnected, limits and restart policy updated, started when stopped, missing
  ``keep_running`` exec commands run.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence

from ..flags import State, StateFlags
from ..input import ItemType
from ..items import ActionKind, DesiredContainer, ObservedClient
from .assess import ItemKey, ItemState, assess_item, has_completed, is_running, lookup, stopped_cause
from .builder import PlanBuilder
from .container import ContainerCheck
from .options import PlanOptions
from .result import Plan
from .volumes import recreate_volume


def _reset_cause(state: ItemState) -> str:
    return "recreate: " + "; ".join(state.extra_data["causes"])


def _network(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    record = b.desired[key]
    if state.state_flags & StateFlags.NEEDS_RESET:
        cause = _reset_cause(state)
        b.remove_network(key, state.extra_data["containers"], cause)
        b.create_network(key, cause)
        b.reset_networks[(key[0], record.name)] = cause


def _relation(record: DesiredContainer, target: str) -> str:
    """How a container is bound to ``target``: it shares its network stack, uses its volumes or links."""
    if record.host_config.get("network_mode") == f"container:{target}":
        return f"container {target}, whose network stack it shares,"
    if any(entry.partition(":")[0] == target for entry in record.host_config.get("volumes_from") or ()):
        return f"container {target}, whose volumes it uses,"
    return f"linked container {target}"


def _propagated(b: PlanBuilder, client: str, record: DesiredContainer) -> List[str]:
    """Reasons to recreate a container because of what happened earlier in the plan."""
    reasons = []
    for target in record.bound_to:
        verb = b.replaced.get((client, target))
        if verb == "created":
            reasons.append(f"{_relation(record, target)} was missing and is created")
        elif verb:
            reasons.append(f"{_relation(record, target)} is recreated")
    for source in record.mounts.values():
        if (client, source) in b.reset_volumes:
            reasons.append(f"volume {source} is recreated")
    if record.endpoints and (client, record.endpoints[0].network) in b.reset_networks:
        reasons.append(f"network {record.endpoints[0].network}, connected at creation, is recreated")
    return reasons


def _fix_networks(b: PlanBuilder, key: ItemKey, check: ContainerCheck) -> None:
    """Connect, reconnect and disconnect networks without recreating the container."""
    client = key[0]
    record: DesiredContainer = b.desired[key]
    found = b.observed[client].containers[record.name]
    replaced = {name for c, name in b.reset_networks if c == client}
    for endpoint in record.endpoints:
        if endpoint.network in replaced and endpoint.network in found.networks:
            b.connect(key, endpoint, f"network {endpoint.network} is recreated")
    for endpoint in check.networks.disconnected:
        b.connect(key, endpoint, f"not connected to network {endpoint.network}")
    for endpoint, reason in check.networks.reconnect:
        if endpoint.network not in replaced:
            b.disconnect(key, endpoint.network, reason)
            b.connect(key, endpoint, reason)
    for network in check.networks.left:
        if network not in replaced:
            b.disconnect(key, network, f"connected to network {network}, which is not configured")


def _in_place(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    flags = state.state_flags
    check = state.check or ContainerCheck()
    _fix_networks(b, key, check)
    if check.updates.changes:
        changes = check.updates.changes
        b.add(key, ActionKind.UPDATE, "; ".join(check.updates.described), {"changes": changes})
    startable = state.base_state is State.PRESENT and not flags & StateFlags.RESTARTING
    startable = startable and not has_completed(b.desired[key], state)
    initial = bool(flags & StateFlags.INITIAL)
    if startable and (initial or not flags & StateFlags.PERSISTENT):
        b.start_container(key, initial, stopped_cause(state))
    elif check.exec_commands:
        commands = check.exec_commands
        b.exec_commands(key, commands, "not running: " + ", ".join(repr(c.cmd) for c in commands))


def _container(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    record: DesiredContainer = b.desired[key]
    name = (key[0], record.name)
    if state.base_state is State.ABSENT:
        b.create_container(key, "container does not exist")
        b.replaced[name] = "created"
        return
    reasons = list(state.extra_data["causes"]) if state.state_flags & StateFlags.NEEDS_RESET else []
    reasons += _propagated(b, key[0], record)
    if name in b.removed:  # removed earlier in the plan, because a volume it mounts is recreated
        b.create_container(key, "recreate: " + "; ".join(reasons or ["a volume it mounted is recreated"]))
        b.replaced[name] = "recreated"
    elif reasons:
        b.recreate_container(key, is_running(state), "recreate: " + "; ".join(reasons))
    else:
        _in_place(b, key, state)


def update_item(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    """Append what ``update`` does with one item."""
    kind = key[1].config_type
    if kind is ItemType.IMAGE:
        if state.base_state is State.ABSENT:
            b.create_missing(key, start=True)
        elif b.options.pull_before_update and b.desired[key].build is None:
            b.pull(key, "pull_before_update is set")
    elif kind is ItemType.CONTAINER:
        _container(b, key, state)
    elif state.base_state is State.ABSENT:
        b.create_missing(key, start=True)
    elif kind is ItemType.VOLUME:
        if state.state_flags & StateFlags.NEEDS_RESET:
            recreate_volume(b, key, state)
    else:
        _network(b, key, state)


def update_pulls(
    ordered_ids: Sequence[ItemKey],
    desired: Mapping[ItemKey, Any],
    observed: Mapping[str, ObservedClient],
    options: PlanOptions,
) -> Plan:
    """The pulls an ``update`` makes before anything is compared with the images: those of absent images,
    and with ``pull_before_update`` of every image on its path. They run first; the plan of the update
    then sees the images they pulled (and pulls nothing more)."""
    images = [key for key in ordered_ids if key[1].config_type is ItemType.IMAGE]
    builder = PlanBuilder(images, desired, observed, options, None)
    for key in images:
        record, client = lookup(key, desired, observed)
        update_item(builder, key, assess_item(record, client, options, update=True))
    builder.plan.depends_on = [frozenset() for _ in builder.plan]  # pulls of different images
    return builder.plan
