"""Which items a plan leaves alone when the engines of some clients cannot be reached.

Everything on such a client is left alone, and so is an item on a reachable client that depends on
something found in this call only on an unreachable client (nothing could say whether its dependency is
there and up to date).
"""

from __future__ import annotations

from typing import Any, Callable, Collection, Iterable, List, Mapping, Sequence

from ..input import MapConfigId
from ..items import UntouchedItem
from .assess import ItemKey
from .builder import item_name

#: All dependencies of a configuration id (e.g. ``ContainerDependencyResolver.get_dependencies``).
Dependencies = Callable[[MapConfigId], Iterable[MapConfigId]]


def _reason(
    key: ItemKey, unreachable: Collection[str], desired: Mapping[ItemKey, Any], dependencies: Dependencies
) -> str:
    client, config_id = key
    if client in unreachable:
        return f"client {client} cannot be reached"
    for dependency in dependencies(config_id):
        if (client, dependency) in desired:
            continue
        hosts = [other for other in unreachable if (other, dependency) in desired]
        if hosts:
            name = item_name(desired[(hosts[0], dependency)])
            return f"depends on {dependency.config_type.value} {name} on {hosts[0]}, which cannot be reached"
    return ""


def untouched_items(
    keys: Sequence[ItemKey],
    desired: Mapping[ItemKey, Any],
    unreachable: Collection[str],
    dependencies: Dependencies,
) -> List[UntouchedItem]:
    """The items among ``keys`` to leave alone because of the ``unreachable`` client names, in order."""
    if not unreachable:
        return []
    result = []
    for key in keys:
        reason = _reason(key, unreachable, desired, dependencies)
        if reason:
            client, config_id = key
            result.append(
                UntouchedItem(client, config_id.config_type, config_id, item_name(desired[key]), reason)
            )
    return result
