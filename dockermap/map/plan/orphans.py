"""Orphans: containers and attached volumes that carry a map's labels but are no longer configured.

Reducing a configuration's ``instances`` or removing a configuration (or one of its attached volumes)
from a map leaves the objects made for it on the engine. They are found by their labels in what
observe listed anyway (no further requests), reported with every plan of ``update``, ``startup``,
``remove`` and ``shutdown``, and removed with ``remove_orphans`` (their volumes only with
``remove_attached``).

A container whose configuration gives it another name now (its ``container_name`` or the map's
``naming`` changed) is found the same way. When the plan acts on that configuration, the container under
the old name goes first, as the container under the new name replaces it; otherwise it is an orphan.
"""

from __future__ import annotations

from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Tuple

from dockermap.records import field, record

from ..input import ItemType, MapConfigId
from ..items import Action, ActionKind, DesiredContainer, ObservedClient, ObservedContainer
from ..labels import LABEL_CLIENT, LABEL_CONFIG, LABEL_INSTANCE, LABEL_KIND, LABEL_MAP
from .builder import PlanBuilder, shares_volumes, with_inherited_volumes

#: ``(map, configuration, instance or '')`` of a container; ``(map, owner configuration, alias)`` of a volume.
Identity = Tuple[str, str, str]
#: Actions whose plans report (and with ``remove_orphans`` remove) orphans.
ORPHAN_ACTIONS = frozenset({"update", "startup", "remove", "shutdown"})


@record(frozen=True)
class Configured:
    """What the maps of a call configure; labelled objects of these maps outside it are orphans."""

    maps: FrozenSet[str]
    containers: Mapping[Identity, str] = field(hash=False)  # the engine name of each container
    volumes: FrozenSet[Identity]


@record(frozen=True)
class Orphan:
    """A container or attached volume on ``client`` that its map no longer configures."""

    client: str
    kind: ItemType
    name: str
    config_id: MapConfigId
    container: Optional[ObservedContainer] = None
    renamed: Optional[str] = None  # the name its configuration gives the container now

    @property
    def why(self) -> str:
        """Why the object is an orphan, e.g. ``instance 'c' of main.app is no longer configured``."""
        if self.renamed is not None:
            return f"{self.what} is named {self.renamed!r} now"
        return f"{self.what} is no longer configured"

    @property
    def what(self) -> str:
        """Which configuration the object was made for, e.g. ``instance 'c' of main.app``."""
        cid = self.config_id
        if self.kind is ItemType.VOLUME:
            return f"attached volume {cid.instance_name!r} of {cid.map_name}.{cid.config_name}"
        if cid.instance_name:
            return f"instance {cid.instance_name!r} of {cid.map_name}.{cid.config_name}"
        return f"container configuration {cid.map_name}.{cid.config_name}"

    def action(self, kind: ActionKind, cause: str, args: Optional[Dict[str, Any]] = None) -> Action:
        return Action(self.client, kind, self.kind, self.config_id, self.name, cause, dict(args or {}))

    def __str__(self) -> str:
        where = "" if self.client == "__default__" else f" on {self.client}"
        option = "remove_orphans=True" + (
            " with remove_attached=True" if self.kind is ItemType.VOLUME else ""
        )
        return f"orphan {self.kind.value} {self.name}{where}: {self.why} ({option} removes it)"


def _identity(
    labels: Mapping[str, str], client: str, configured: Configured, kind: str
) -> Optional[Identity]:
    if labels.get(LABEL_KIND) != kind or labels.get(LABEL_CLIENT) != client:
        return None
    map_name = labels.get(LABEL_MAP)
    if map_name not in configured.maps or not labels.get(LABEL_CONFIG):
        return None
    return map_name, labels[LABEL_CONFIG], labels.get(LABEL_INSTANCE) or ""


def find_orphans(observed: Mapping[str, ObservedClient], configured: Configured) -> List[Orphan]:
    """The orphan containers, then the orphan volumes, of every observed client."""
    containers, volumes = [], []
    for client, found in observed.items():
        for name, container in found.containers.items():
            ident = _identity(container.labels, client, configured, ItemType.CONTAINER.value)
            if ident is None:
                continue
            wanted = configured.containers.get(ident)
            if wanted != name:
                cid = MapConfigId(ItemType.CONTAINER, ident[0], ident[1], ident[2] or None)
                containers.append(Orphan(client, ItemType.CONTAINER, name, cid, container, wanted))
        for name, volume in found.volumes.items():
            ident = _identity(volume.labels, client, configured, ItemType.VOLUME.value)
            if ident is not None and ident not in configured.volumes:
                cid = MapConfigId(ItemType.VOLUME, ident[0], ident[1], ident[2] or None)
                volumes.append(Orphan(client, ItemType.VOLUME, name, cid))
    return containers + volumes


#: The actions that also reach a configuration's running container under its old name (after a change
#: of ``container_name``), and the action kind they take on it.
RENAME_FOLLOWING = {"stop": ActionKind.STOP, "signal": ActionKind.KILL}


def plan_renamed(b: PlanBuilder, orphans: List[Orphan], action_name: str) -> None:
    """``stop`` and ``signal`` act on the running container that a configuration of the plan has
    under its old name, too: until an ``update`` or ``startup`` replaces it, that is the container of
    the configuration that runs. It goes first, with the call's keywords."""
    kind = RENAME_FOLLOWING[action_name]
    in_plan = set(b.container_keys.values())
    for orphan in orphans:
        key = (orphan.client, orphan.config_id)
        if orphan.renamed is not None and key in in_plan and orphan.container and orphan.container.running:
            b.plan.append(orphan.action(kind, f"{orphan.why}; {action_name} requested", b.call_args(key)))


def plan_orphans(b: PlanBuilder, orphans: List[Orphan], removals: bool, stop_running: bool) -> None:
    """Remove the orphans with ``remove_orphans`` (volumes also need ``remove_attached``); report the rest.

    ``removals``: the plan is a ``remove`` or ``shutdown``; ``stop_running=False`` (``remove``) leaves
    running containers. A volume stays while a container that is not removed mounts it. Removing an
    orphan container with ``remove_attached`` also removes its anonymous volumes.

    A container under the old name of a configuration the plan acts on goes without ``remove_orphans``:
    the container under its new name replaces it and takes over the anonymous volumes of its ``shares``
    (an ``update`` or ``startup``). ``remove`` and ``shutdown`` without ``remove_persistent`` treat it as
    the configuration's container: a persistent one is only stopped.
    """
    attached = b.options.remove_attached
    for orphan in orphans:
        configuration = b.desired.get((orphan.client, orphan.config_id))
        replaced = orphan.renamed is not None and configuration is not None
        if replaced and isinstance(configuration, DesiredContainer) and orphan.container is not None:
            if removals and configuration.persistent and not b.options.remove_persistent:
                if stop_running and orphan.container.running:
                    b.plan.append(orphan.action(ActionKind.STOP, f"{orphan.why}; persistent container kept"))
                continue
            if not removals:
                b.renamed[(orphan.client, orphan.config_id)] = orphan.container
        removing = b.options.remove_orphans or replaced
        cause = orphan.why + ("" if replaced else " (remove_orphans is set)")
        found = orphan.container
        key = (orphan.client, orphan.name)
        if orphan.kind is ItemType.VOLUME:
            mounted = any(
                orphan.name in container.mounts.values() and (orphan.client, name) not in b.removed
                for name, container in b.observed[orphan.client].containers.items()
            )
            if removing and attached and not mounted:
                b.plan.append(orphan.action(ActionKind.REMOVE, cause))
            else:
                b.plan.orphans.append(orphan)
        elif not removing or found is None or (found.running and not stop_running):
            b.plan.orphans.append(orphan)
        else:
            if found.running:
                b.plan.append(orphan.action(ActionKind.STOP, cause))
            remove_args: Dict[str, Any] = {}
            if attached and (orphan.client, orphan.config_id) not in b.renamed:
                remove_args = {"v": True}
                if replaced and isinstance(configuration, DesiredContainer):
                    remove_args = with_inherited_volumes(remove_args, shares_volumes(configuration, found))
            b.plan.append(orphan.action(ActionKind.REMOVE, cause, remove_args))
            b.removed.add(key)
