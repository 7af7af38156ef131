"""The edges of a plan: which earlier actions each action waits for, so that a runner can run the others
at the same time.

Two items are related when one depends on the other: a container on its image, the volumes it mounts
(attached or used) and the containers that attach those (their owners), the networks it joins and the
containers it is bound to (links, ``volumes_from``, ``network_mode``) or ordered after (``depends_on``);
a network removal on the containers it disconnects; a volume's preparation, backup or restore (helper
containers) on the images pulled on its client. An action without a desired record (an orphan's removal,
also of a container under a name its configuration no longer gives it) is related to everything on its
client: it runs alone, in plan order. An action waits for the last
earlier action of its own item and of every related item (unless its item's previous action already
does), so the plan's order (dependencies first for ``startup``/``update``, dependents first for
``shutdown``) is kept between related items, and unrelated items run independently. One exception: a
container's stop waits for the stop of the containers bound to it, not for their removal (the engine
removes a stopped container whether or not others still refer to it), so that during a ``shutdown``
the removals run beside the next stops. Running the actions in plan order always satisfies the edges.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Sequence, Set, Tuple

from ..input import ItemType
from ..items import Action, ActionKind, DesiredContainer

#: An item as actions name it: ``(client, item type, engine name)``.
ItemRef = Tuple[str, ItemType, str]


def item_ref(action: Action) -> ItemRef:
    return action.client, action.item_type, action.name


def _owners(desired: Mapping[Any, Any]) -> Dict[ItemRef, List[ItemRef]]:
    """Attached volume → the container instances of the configuration that attaches it."""
    by_config: Dict[Tuple[str, str, str], List[ItemRef]] = {}
    volumes: List[Tuple[ItemRef, Tuple[str, str, str]]] = []
    for (client, cid), record in desired.items():
        if isinstance(record, DesiredContainer):
            by_config.setdefault((client, cid.map_name, cid.config_name), []).append(
                (client, ItemType.CONTAINER, record.name)
            )
        elif cid.config_type is ItemType.VOLUME:
            volumes.append(((client, ItemType.VOLUME, record.name), (client, cid.map_name, cid.config_name)))
    return {volume: by_config.get(owner, []) for volume, owner in volumes}


def _record(action: Action, desired: Mapping[Any, Any]) -> Any:
    """The desired record of the object an action is about; ``None`` for an orphan's (also a container
    under a name its configuration no longer gives it)."""
    record = desired.get((action.client, action.config_id))
    if isinstance(record, DesiredContainer) and action.item_type is ItemType.CONTAINER:
        return record if record.name == action.name else None
    return record


def _container_refs(
    client: str, record: DesiredContainer, owners: Mapping[ItemRef, List[ItemRef]]
) -> Iterable[ItemRef]:
    yield client, ItemType.IMAGE, record.image
    for source in record.mounts.values():
        volume = (client, ItemType.VOLUME, source)
        yield volume
        yield from owners.get(volume, ())
    for endpoint in record.endpoints:
        yield client, ItemType.NETWORK, endpoint.network
    for target in record.bound_to + record.after:
        yield client, ItemType.CONTAINER, target


def item_relations(actions: Sequence[Action], desired: Mapping[Any, Any]) -> Dict[ItemRef, Set[ItemRef]]:
    """Each item of ``actions`` → the items it depends on or that depend on it (in both directions)."""
    relations: Dict[ItemRef, Set[ItemRef]] = {}
    owners = _owners(desired)

    def relate(one: ItemRef, other: ItemRef) -> None:
        if one != other:
            relations.setdefault(one, set()).add(other)
            relations.setdefault(other, set()).add(one)

    pulled: Dict[str, List[ItemRef]] = {}
    for action in actions:
        if action.kind is ActionKind.PULL:
            pulled.setdefault(action.client, []).append(item_ref(action))
    seen: Set[ItemRef] = set()
    for action in actions:
        item = item_ref(action)
        if action.item_type is ItemType.VOLUME and action.kind not in (ActionKind.CREATE, ActionKind.REMOVE):
            for image in pulled.get(action.client, ()):  # it runs a helper container, maybe of that image
                relate(item, image)
        for name in action.args.get("containers", ()) if action.item_type is ItemType.NETWORK else ():
            relate(item, (action.client, ItemType.CONTAINER, name))
        if item in seen:
            continue
        seen.add(item)
        record = _record(action, desired)
        if isinstance(record, DesiredContainer):
            for ref in _container_refs(action.client, record, owners):
                relate(item, ref)
    return relations


def action_dependencies(actions: Sequence[Action], desired: Mapping[Any, Any]) -> List[FrozenSet[int]]:
    """For each action, the indexes of the earlier actions it waits for (``desired``: the desired records
    by ``(client, config id)``, where the relations of containers come from)."""
    relations = item_relations(actions, desired)
    last: Dict[ItemRef, int] = {}
    # The last action of each item other than a container's removal: what a stop waits for.
    last_running: Dict[ItemRef, int] = {}
    # Per client: the last action without a desired record, and the actions since then.
    barrier: Dict[str, int] = {}
    since: Dict[str, List[int]] = {}
    result: List[FrozenSet[int]] = []
    for index, action in enumerate(actions):
        item = item_ref(action)
        previous = last.get(item, -1)
        seen = last_running if _is_container_action(action, ActionKind.STOP) else last
        # What a related item did before this item's previous action, that action already waits for.
        waits = {seen[ref] for ref in relations.get(item, ()) if seen.get(ref, -1) > previous}
        if previous >= 0:
            waits.add(previous)
        client = action.client
        if _record(action, desired) is None:
            waits.update(since.pop(client, ()))
            barrier[client] = index
        else:
            if barrier.get(client, -1) > previous:
                waits.add(barrier[client])
            since.setdefault(client, []).append(index)
        result.append(frozenset(waits))
        last[item] = index
        if not _is_container_action(action, ActionKind.REMOVE):
            last_running[item] = index
    return result


def _is_container_action(action: Action, kind: ActionKind) -> bool:
    return action.item_type is ItemType.CONTAINER and action.kind == kind


def action_steps(dependencies: Sequence[Iterable[int]]) -> List[int]:
    """The step of each action (1 for those that wait for nothing, else one after the latest it waits
    for): actions of the same step can run together."""
    steps: List[int] = []
    for waits in dependencies:
        steps.append(1 + max((steps[index] for index in waits), default=0))
    return steps
