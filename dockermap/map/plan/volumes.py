"""Volume rules: recreating a changed volume only with consent, and finishing what an interrupted run left.

* A present volume whose driver or driver options changed is recreated only as ``recreate_volumes``
  says: ``None`` refuses while planning (:class:`~dockermap.map.exceptions.VolumeChangeRefused`),
  ``'discard'`` recreates it empty, ``'copy'`` copies its data into a temporary volume (``backup``),
  recreates it and copies the data back (``restore``, which also removes the temporary volume).
* Owner and mode changes of a present volume are applied in place (``prepare``), never by recreating:
  the containers attaching it, or else the volume, record what it was prepared with.
* Helper containers an interrupted run left are removed first (``clean``). When one of them was to
  prepare the volume, the preparation is repeated; a temporary copy left by an interrupted copy is
  copied back, or dropped when the original volume is still there (see :func:`settle_volume`).
* The helper (core) image is pulled at the start of a plan that needs it and lacks it, so that a missing
  image fails the run before any volume changes.
"""

from __future__ import annotations

import json
from typing import List

from ...refs import ImageRef
from ..exceptions import VolumeChangeRefused
from ..flags import StateFlags
from ..input import ItemType, MapConfigId
from ..items import Action, ActionKind, DesiredVolume, ObservedVolume
from ..labels import LABEL_HELPER, LABEL_PREPARED, LABEL_RUN, copy_volume_name, preparation_text
from .assess import ItemKey, ItemState, volume_mismatch
from .builder import PlanBuilder

#: Actions that create what is missing: they also finish an interrupted preparation or copy.
CREATING = frozenset({"create", "startup", "update"})
#: Volume action kinds that run a helper container of the core image.
HELPER_KINDS = frozenset({ActionKind.PREPARE, ActionKind.BACKUP, ActionKind.RESTORE})


def recreate_volume(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    """Recreate a present volume as ``recreate_volumes`` says, removing the containers that mount it."""
    record: DesiredVolume = b.desired[key]
    client = key[0]
    causes = state.extra_data["causes"]
    copy = b.observed[client].copy_of(record.name)
    mode = b.options.volume_recreation(key[1].map_name)
    if (client, copy) in b.handled_copies:
        copy = None  # copied back earlier in this plan
    if mode is None:
        if state.state_flags & StateFlags.MISC_MISMATCH:
            differences = [cause for cause in causes if cause != "update forced"]
            raise VolumeChangeRefused(client, record.name, differences, copy or "")
        mode = "discard"  # force_update is consent
    cause = "recreate: " + "; ".join(causes)
    b.remove_users(key, record.name, f"volume {record.name} is recreated")
    if mode == "copy":
        copy = copy_volume_name(record.name)
        b.add(
            key, ActionKind.BACKUP, f"{cause} (its data is kept in volume {copy} meanwhile)", {"copy": copy}
        )
        b.add(key, ActionKind.REMOVE, cause)
        b.create_volume(key, cause, restore_from=copy)
    else:
        if copy:
            b.add(
                key,
                ActionKind.REMOVE_COPY,
                f"{cause}; recreate_volumes='discard' drops the earlier copy",
                {"copy": copy},
            )
        b.add(key, ActionKind.REMOVE, cause)
        b.create_volume(key, cause)
    b.reset_volumes[(client, record.name)] = cause


def settle_volume(b: PlanBuilder, key: ItemKey, action_name: str) -> bool:
    """Finish what an interrupted run left on a volume, apply a changed owner and mode (``update``);
    whether the volume needs nothing else from the action's generator.

    Leftover helpers are removed for every action. The creating actions also deal with a temporary copy:
    when the volume was recreated by the run that made the copy (both carry its run id) or is missing,
    the data is copied back into it (created if missing); when the volume is still the original, it
    holds the data, and a copy left next to a volume as configured is dropped.
    """
    record: DesiredVolume = b.desired[key]
    observed = b.observed[key[0]]
    helpers = observed.helpers_of(record.name)
    b.clean_helpers(key)
    if action_name not in CREATING:
        return False
    found = observed.volumes.get(record.name)
    as_configured = found is not None and not volume_mismatch(record, found)
    copy = observed.copy_of(record.name)
    if copy and (found is None or _made_by_run_of(found, observed.volume_copies[copy])):
        b.handled_copies.add((key[0], copy))
        cause = f"its data is in volume {copy}, left by an interrupted copy"
        if found is None:
            b.create_volume(key, f"volume does not exist; {cause}", restore_from=copy)
        else:
            b.add(key, ActionKind.RESTORE, cause, {"copy": copy})
            b.prepare_volume(key, cause)
        return found is None or as_configured
    if found is None or not as_configured:
        return False
    if copy:
        b.handled_copies.add((key[0], copy))
        b.add(
            key,
            ActionKind.REMOVE_COPY,
            f"the volume still holds its data; drop the copy {copy} left by an interrupted copy",
            {"copy": copy},
        )
    if any(observed.helpers[name].labels.get(LABEL_HELPER) == "prepare" for name in helpers):
        b.prepare_volume(key, "owner and mode preparation did not complete in an earlier run")
    elif action_name == "update" and (record.user or record.permissions):
        wanted = preparation_text(record.user, record.permissions)
        applied = _applied_preparation(b, key, found)
        if applied != wanted:
            b.prepare_volume(key, f"owner and mode changed: {applied or 'none'}, expected {wanted}")
    return False


def _made_by_run_of(volume: ObservedVolume, copy: ObservedVolume) -> bool:
    """Whether ``volume`` was created by the run that made its temporary ``copy`` (it is the new one)."""
    run = copy.labels.get(LABEL_RUN)
    return bool(run) and volume.labels.get(LABEL_RUN) == run


def _applied_preparation(b: PlanBuilder, key: ItemKey, found: ObservedVolume) -> str:
    """The owner and mode a volume was last prepared with: as recorded on the containers that attach it,
    else on the volume itself."""
    name = b.desired[key].name
    for container in b.observed[key[0]].containers.values():
        recorded = container.labels.get(LABEL_PREPARED)
        if recorded:
            value = json.loads(recorded).get(name)
            if value is not None:
                return str(value)
    return found.labels.get(LABEL_PREPARED, "")


def pull_core_images(b: PlanBuilder) -> None:
    """Put a pull of the helper image first for every client whose helpers need it and lack it."""
    pulls: List[Action] = []
    for action in list(b.plan):
        if action.item_type is not ItemType.VOLUME or action.kind not in HELPER_KINDS:
            continue
        ref = b.options.core_image_ref(action.client)
        if ref in b.observed[action.client].images or any(
            p.client == action.client and p.name == ref for p in pulls
        ):
            continue
        planned = [
            a for a in b.plan if a.kind is ActionKind.PULL and a.client == action.client and a.name == ref
        ]
        for earlier in planned:
            b.plan.remove(earlier)
        image = ImageRef.parse(ref)
        pulls.append(
            planned[0]
            if planned
            else Action(
                action.client,
                ActionKind.PULL,
                ItemType.IMAGE,
                MapConfigId(ItemType.IMAGE, action.config_id.map_name, image.repository, image.tag),
                ref,
                f"image {ref} is not on the client; the helper containers of volumes need it",
            )
        )
    b.plan[:0] = pulls
