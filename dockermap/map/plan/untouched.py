"""Which items a plan leaves alone when the engines of some clients cannot be reached.

Everything on such a client is left alone. Nothing on another client depends on it: the dependencies of
an item (volumes, networks, images, linked containers) belong to its own map, which runs every item on
the same clients, so each client's items depend only on items of that client.
"""

from __future__ import annotations

from typing import Any, Collection, List, Mapping, Sequence

from ..items import UntouchedItem
from .assess import ItemKey
from .builder import item_name


def untouched_items(
    keys: Sequence[ItemKey], desired: Mapping[ItemKey, Any], unreachable: Collection[str]
) -> List[UntouchedItem]:
    """The items among ``keys`` on the ``unreachable`` clients, in order, each saying why it is left alone."""
    return [
        UntouchedItem(
            client,
            config_id.config_type,
            config_id,
            item_name(desired[(client, config_id)]),
            f"client {client} cannot be reached",
        )
        for client, config_id in keys
        if client in unreachable
    ]
