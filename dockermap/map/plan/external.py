"""Volumes and networks made outside dockermap (``external``): used, never created, changed or removed.

They stay in the dependency graph (so that they are observed), but get no action; a plan that needs
one which the engine lacks is refused before anything is planned.
"""

from __future__ import annotations

from typing import Any, List, Mapping, Sequence, Tuple

from ..exceptions import MapConfigurationError
from ..items import ObservedClient
from .assess import ItemKey


def is_external(record: Any) -> bool:
    return bool(getattr(record, "external", False))


def split_external(
    ordered_ids: Sequence[ItemKey], desired: Mapping[ItemKey, Any]
) -> Tuple[List[ItemKey], List[ItemKey]]:
    """``(items dockermap manages, external items)``, each in the given order."""
    managed: List[ItemKey] = []
    external: List[ItemKey] = []
    for key in ordered_ids:
        (external if is_external(desired.get(key)) else managed).append(key)
    return managed, external


def check_external(
    external: Sequence[ItemKey], desired: Mapping[ItemKey, Any], observed: Mapping[str, ObservedClient]
) -> None:
    """Refuse the plan when an external volume or network is missing on its client.

    :raises MapConfigurationError: naming every missing one, its client and the map that declares it.
    """
    missing = []
    for key in external:
        client, config_id = key
        record = desired[key]
        found = observed.get(client)
        kind = config_id.config_type.value
        have = getattr(found, f"{kind}s", {}) if found is not None else {}
        if record.name not in have:
            missing.append(f"{kind} {record.name!r} on client {client!r} (map {config_id.map_name!r})")
    if missing:
        raise MapConfigurationError(
            "External items do not exist; create them first (dockermap never creates external items): "
            + "; ".join(missing)
            + "."
        )
