"""Accumulates the actions of a plan and what earlier actions did to later items.

Each method appends the actions of one step (e.g. create a container: ``create``, ``connect`` for each
further network, ``start``, ``exec``) with one cause. What happened to items earlier in the plan
(containers created or removed, volumes and networks replaced) is remembered, because it decides about
the items after them: a container bound to a recreated one must be recreated too.
"""

from __future__ import annotations

import re
from typing import Any, Collection, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from dockermap.map.exceptions import VolumeInUseError

from ..exceptions import ForeignObjectError
from ..input import ExecPolicy, ItemType
from ..items import (
    Action,
    ActionKind,
    DesiredContainer,
    DesiredEndpoint,
    DesiredExec,
    DesiredImage,
    ObservedClient,
    ObservedContainer,
)
from .assess import ItemKey
from .options import PlanOptions
from .ownership import foreign_object
from .result import Plan

#: ``(client name, engine name)`` of a container, volume or network.
NameKey = Tuple[str, str]


def item_name(record: Any) -> str:
    """Engine name of a desired item (``name:tag`` for images)."""
    return record.ref if isinstance(record, DesiredImage) else record.name


#: How the engine names an anonymous volume.
_ANONYMOUS_VOLUME = re.compile(r"[0-9a-f]{64}")


def shares_volumes(record: DesiredContainer, found: ObservedContainer) -> Dict[str, str]:
    """Container path -> volume mounted there by ``found``, for each path of the ``shares`` of ``record``."""
    shares = [path for path in record.create_kwargs.get("volumes") or () if path not in record.mounts]
    return {
        path: found.mounts[path]
        for path in shares
        if found.mounts.get(path) and not found.mounts[path].startswith("/")
    }


def with_inherited_volumes(remove_args: Dict[str, Any], shared: Dict[str, str]) -> Dict[str, Any]:
    """``remove_args`` of a removal with ``v``, plus the ``volumes`` its container may have got from a
    container it replaced: mounted again by name, the engine's ``v`` leaves them. Only volumes named as
    the engine names anonymous ones are listed."""
    inherited = sorted(volume for volume in shared.values() if _ANONYMOUS_VOLUME.fullmatch(volume))
    return {**remove_args, "volumes": inherited} if inherited else remove_args


class PlanBuilder:
    """The plan under construction, the records it is made from, and the effects of earlier steps."""

    def __init__(
        self,
        ordered_ids: Sequence[ItemKey],
        desired: Mapping[ItemKey, Any],
        observed: Mapping[str, ObservedClient],
        options: PlanOptions,
        requested: Optional[Collection[ItemKey]],
    ) -> None:
        self.desired = desired
        self.observed = observed
        self.options = options
        self.requested = None if requested is None else set(requested)
        self.plan = Plan()
        #: Containers of this plan by engine name, to act on them ahead of their turn.
        self.container_keys: Dict[NameKey, ItemKey] = {
            (key[0], desired[key].name): key
            for key in ordered_ids
            if key[1].config_type is ItemType.CONTAINER and key in desired
        }
        #: Containers created in this plan -> 'created' (it was missing) or 'recreated'.
        self.replaced: Dict[NameKey, str] = {}
        #: Containers removed in this plan.
        self.removed: Set[NameKey] = set()
        #: Volumes and networks removed and created again in this plan -> why.
        self.reset_volumes: Dict[NameKey, str] = {}
        self.reset_networks: Dict[NameKey, str] = {}
        #: ``(client, map, container config)`` whose attached volumes were created in this plan.
        self.new_volume_owners: Set[Tuple[str, Optional[str], str]] = set()
        #: Containers under the old name of their configuration, removed in this plan for the new one.
        self.renamed: Dict[ItemKey, ObservedContainer] = {}
        #: Helper containers of interrupted runs removed in this plan.
        self.cleaned: Set[NameKey] = set()
        #: Temporary copies of volumes copied back or dropped in this plan.
        self.handled_copies: Set[NameKey] = set()

    # --- basics -----------------------------------------------------------------------------------

    def is_requested(self, key: ItemKey) -> bool:
        return self.requested is None or key in self.requested

    def call_args(self, key: ItemKey) -> Dict[str, Any]:
        """The call's extra keywords, for the main action of a requested item."""
        return dict(self.options.call_kwargs) if self.is_requested(key) else {}

    def add(self, key: ItemKey, kind: ActionKind, cause: str, args: Optional[Dict[str, Any]] = None) -> None:
        """Append one action on the item ``key``.

        :raises ForeignObjectError: for removing a volume or network that is not dockermap's (an
            adopted one, e.g. because ``update`` would recreate it): adopting never removes them.
        """
        client, config_id = key
        if kind is ActionKind.REMOVE and config_id.config_type in (ItemType.VOLUME, ItemType.NETWORK):
            found = foreign_object(key, self.desired[key], self.observed[client])
            if found is not None:
                kept = f"{found.owner}; adopted, it is never removed (asked for: {cause})"
                raise ForeignObjectError([found._replace(owner=kept, unlabelled=False)])
        name = item_name(self.desired[key])
        self.plan.append(
            Action(client, kind, config_id.config_type, config_id, name, cause, dict(args or {}))
        )

    # --- images, volumes, networks -----------------------------------------------------------------

    def pull(self, key: ItemKey, cause: str) -> None:
        self.add(key, ActionKind.PULL, cause)

    def build_image(self, key: ItemKey, cause: str, args: Optional[Dict[str, Any]] = None) -> None:
        """Build an image from the context of its configuration's ``build`` setting."""
        self.add(key, ActionKind.BUILD, f"{cause}; build it from {self.desired[key].build.context}", args)

    def create_volume(self, key: ItemKey, cause: str, restore_from: Optional[str] = None) -> None:
        """Create a volume, copy the data of ``restore_from`` into it (if given), set its owner and mode.

        A volume to prepare is created together with its preparation helper, which ``prepare`` starts.
        """
        record = self.desired[key]
        prepared = bool(record.user or record.permissions)
        self.add(key, ActionKind.CREATE, cause, {"through_helper": True} if prepared else None)
        if restore_from:
            self.add(
                key,
                ActionKind.RESTORE,
                f"{cause}; copy the data back from volume {restore_from}",
                {"copy": restore_from},
            )
        if prepared:
            self.add(key, ActionKind.PREPARE, cause, {"helper_created": True})

    def prepare_volume(self, key: ItemKey, cause: str) -> None:
        """Set the owner and mode of a present volume (when configured)."""
        record = self.desired[key]
        if record.user or record.permissions:
            self.add(key, ActionKind.PREPARE, cause)

    def clean_helpers(self, key: ItemKey) -> None:
        """Remove the helper containers an interrupted run left on the volume ``key`` (once per plan)."""
        client, name = key[0], self.desired[key].name
        helpers = [h for h in self.observed[client].helpers_of(name) if (client, h) not in self.cleaned]
        if helpers:
            self.add(
                key,
                ActionKind.CLEAN,
                f"helper container {', '.join(helpers)} left by an interrupted run",
                {"containers": helpers},
            )
            self.cleaned.update((client, h) for h in helpers)

    def create_network(self, key: ItemKey, cause: str) -> None:
        self.add(key, ActionKind.CREATE, cause)

    def remove_network(self, key: ItemKey, containers: List[str], cause: str) -> None:
        """Disconnect ``containers`` (those not removed earlier in the plan) from a network, remove it."""
        containers = [name for name in containers if (key[0], name) not in self.removed]
        if containers:
            self.add(key, ActionKind.DISCONNECT, cause, {"containers": list(containers)})
        self.add(key, ActionKind.REMOVE, cause)

    # --- containers --------------------------------------------------------------------------------

    def create_missing(self, key: ItemKey, start: bool) -> None:
        """Pull (or build), create (and start, if ``start``) an item that is absent."""
        record = self.desired[key]
        kind = key[1].config_type
        if kind is ItemType.IMAGE and record.build is not None:
            self.build_image(key, f"image {record.ref} is not on the client")
        elif kind is ItemType.IMAGE:
            self.pull(key, f"image {record.ref} is not on the client")
        elif kind is ItemType.VOLUME:
            self.create_volume(key, "volume does not exist")
        elif kind is ItemType.NETWORK:
            self.create_network(key, "network does not exist")
        else:
            self.create_container(key, "container does not exist", self.call_args(key), start=start)

    def create_container(
        self, key: ItemKey, cause: str, create_args: Optional[Dict[str, Any]] = None, start: bool = True
    ) -> None:
        """Create a container (its first network connected at creation), connect the others, start it.

        After the start, all exec commands run (whatever their policy: the container is new). A container
        created again gets the anonymous volumes of its ``shares`` back (``keep_volumes``), with their data.
        """
        record: DesiredContainer = self.desired[key]
        args = dict(create_args or {})
        kept = self.shared_volumes(key)
        if kept:
            args["keep_volumes"] = kept
        self.add(key, ActionKind.CREATE, cause, args)
        for endpoint in record.endpoints[1:]:
            self.connect(key, endpoint, cause)
        if start:
            self.add(key, ActionKind.START, cause)
            self.exec_commands(key, record.exec_commands, cause)

    def shared_volumes(self, key: ItemKey) -> Dict[str, str]:
        """Container path -> anonymous volume of the ``shares`` of the existing container of ``key`` (or of
        its container under its old name)."""
        record: DesiredContainer = self.desired[key]
        found = self.observed[key[0]].containers.get(record.name) or self.renamed.get(key)
        return {} if found is None else shares_volumes(record, found)

    def start_container(
        self, key: ItemKey, initial: bool, cause: str, start_args: Optional[Dict[str, Any]] = None
    ) -> None:
        """Start an existing container and run its exec commands (``INITIAL`` ones only on a first start)."""
        record: DesiredContainer = self.desired[key]
        self.add(key, ActionKind.START, cause, start_args)
        commands = record.exec_commands if initial else restart_commands(record)
        self.exec_commands(key, commands, cause)

    def exec_commands(self, key: ItemKey, commands: List[DesiredExec], cause: str) -> None:
        if commands:
            self.add(key, ActionKind.EXEC, cause, {"commands": list(commands)})

    def stop_container(self, key: ItemKey, cause: str, stop_args: Optional[Dict[str, Any]] = None) -> None:
        """Stop a container, within its configured ``stop_timeout`` if any."""
        record: DesiredContainer = self.desired[key]
        args = {} if record.stop_timeout is None else {"timeout": record.stop_timeout}
        args.update(stop_args or {})
        self.add(key, ActionKind.STOP, cause, args)

    def remove_container(
        self,
        key: ItemKey,
        running: bool,
        cause: str,
        stop_args: Optional[Dict[str, Any]] = None,
        remove_args: Optional[Dict[str, Any]] = None,
    ) -> None:
        """Stop a container if it runs, then remove it (its anonymous volumes only if ``remove_args`` say
        ``v``, also those of its ``shares`` that it got from a container it replaced)."""
        if running:
            self.stop_container(key, cause, stop_args)
        if remove_args and remove_args.get("v"):
            remove_args = with_inherited_volumes(remove_args, self.shared_volumes(key))
        self.add(key, ActionKind.REMOVE, cause, remove_args)
        self.removed.add((key[0], self.desired[key].name))

    def recreate_container(self, key: ItemKey, running: bool, cause: str) -> None:
        """Remove a container (unless already removed in this plan) and create it again."""
        name = (key[0], self.desired[key].name)
        if name not in self.removed:
            self.remove_container(key, running, cause)
        self.create_container(key, cause)
        self.replaced[name] = "recreated"

    def connect(self, key: ItemKey, endpoint: DesiredEndpoint, cause: str) -> None:
        self.add(key, ActionKind.CONNECT, cause, {"endpoints": [endpoint]})

    def disconnect(self, key: ItemKey, network: str, cause: str) -> None:
        self.add(key, ActionKind.DISCONNECT, cause, {"networks": [network]})

    def remove_users(self, key: ItemKey, volume: str, cause: str) -> None:
        """Remove every container on the client that mounts ``volume``, ahead of their turn in the plan.

        :raises ValueError: when a container using the volume is not part of the plan (it would be
            left removed, or block the removal of the volume).
        """
        client = key[0]
        users = {
            name: found
            for name, found in self.observed[client].containers.items()
            if volume in found.mounts.values()
        }
        outside = sorted(name for name in users if (client, name) not in self.container_keys)
        if outside:
            raise VolumeInUseError(client, volume, outside)
        for name, found in users.items():
            if (client, name) not in self.removed:
                self.remove_container(self.container_keys[(client, name)], found.running, cause)


def restart_commands(record: DesiredContainer) -> List[DesiredExec]:
    """The exec commands to run whenever the container (re)starts (all but the ``initial`` ones)."""
    return [command for command in record.exec_commands if command.policy is not ExecPolicy.INITIAL]
