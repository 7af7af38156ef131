"""Who owns the engine objects under the names a plan wants: dockermap never touches another's.

An existing container, volume or network is *ours* when its owner labels are the ones its item gets
(:func:`dockermap.map.labels.item_labels`). Anything else under a wanted name is refused before the
plan is made, naming the object and its owner, with two exceptions:

* an *unlabelled* object (made by hand or by the classic library) is used as it is when the call,
  the client's option defaults or its map allow it (``adopt_unlabelled``);
* ``remove`` and ``shutdown`` leave volumes and networks that are not ours in place (adopted or not)
  and say so in the plan, instead of refusing to remove the containers.
"""

from __future__ import annotations

from typing import Any, Iterable, List, Mapping, Optional, Union

from ..exceptions import ForeignObject, ForeignObjectError
from ..input import ItemType
from ..items import ObservedClient, ObservedContainer, ObservedNetwork, ObservedVolume
from ..labels import LABEL_CONFIG, describe_owner, is_unlabelled, item_labels, owner_labels
from .assess import ItemKey
from .options import PlanOptions


def _found_labels(kind: ItemType, name: str, client: ObservedClient) -> Optional[Mapping[str, str]]:
    """Labels of the object ``name`` of ``kind`` the engine has, or ``None`` if it has none."""
    objects: Mapping[ItemType, Mapping[str, Union[ObservedContainer, ObservedVolume, ObservedNetwork]]] = {
        ItemType.CONTAINER: client.containers,
        ItemType.VOLUME: client.volumes,
        ItemType.NETWORK: client.networks,
    }
    found = objects.get(kind, {}).get(name)
    return None if found is None else found.labels


def foreign_object(key: ItemKey, record: Any, client: ObservedClient) -> Optional[ForeignObject]:
    """The object under the item's name if it exists and is not ours; ``None`` otherwise."""
    client_name, config_id = key
    labels = _found_labels(config_id.config_type, record.name, client)
    if labels is None:
        return None
    expected = item_labels(
        config_id.config_type, config_id.map_name, config_id.config_name, config_id.instance_name, client_name
    )
    found = owner_labels(labels)
    if config_id.config_type is ItemType.VOLUME and LABEL_CONFIG in found:
        # Configurations attaching the same alias (without parent names) share the volume one of them made.
        expected[LABEL_CONFIG] = found[LABEL_CONFIG]
    if found == expected:
        return None
    owner = describe_owner(labels)
    return ForeignObject(client_name, config_id.config_type.value, record.name, owner, is_unlabelled(labels))


def check_ownership(
    keys: Iterable[ItemKey],
    desired: Mapping[ItemKey, Any],
    observed: Mapping[str, ObservedClient],
    options: PlanOptions,
    keeps_foreign: bool,
) -> None:
    """Refuse the plan if any item's name is taken by an object that is not ours and not adopted.

    :param keeps_foreign: ``remove``/``shutdown``: foreign volumes and networks are kept, not refused.
    :raises ForeignObjectError: listing every such object, before anything changes.
    """
    refused: List[ForeignObject] = []
    for key in keys:
        kind = key[1].config_type
        client = observed.get(key[0])
        if kind is ItemType.IMAGE or client is None or key not in desired:
            continue
        found = foreign_object(key, desired[key], client)
        if found is None or (keeps_foreign and kind is not ItemType.CONTAINER):
            continue
        if not (found.unlabelled and options.adopts(key[1].map_name)):
            refused.append(found)
    if refused:
        raise ForeignObjectError(refused)
