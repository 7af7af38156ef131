"""``config``: the maps as dockermap resolves them (extended, defaults and variables applied)."""

from __future__ import annotations

from typing import Any


def plain(value: Any) -> Any:
    """``value`` for YAML and JSON: named tuples as mappings, tuples as lists, unset entries left out.

    A ``ready`` condition is kept as written: its ``timeout: None`` means no time limit, not unset.
    """
    if hasattr(value, "_asdict"):
        value = value._asdict()
    if isinstance(value, dict):
        return {
            key: item if key == "ready" else plain(item)
            for key, item in value.items()
            if item is not None and item != []
        }
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "value") and type(value).__module__.startswith("dockermap"):
        return value.value
    return value


def print_config(session: Any) -> int:
    import yaml

    maps = session.inputs.maps
    selected = [maps[session.map_name]] if session.map_name else list(maps.values())
    documents = []
    for container_map in selected:
        document = {"name": container_map.name, **plain(container_map.get_extended_map().as_dict())}
        documents.append(document)
        if session.output.as_json:
            session.output.emit({"event": "config", "map": container_map.name, "config": document}, "")
    if not session.output.as_json:
        session.output.emit({}, yaml.safe_dump_all(documents, sort_keys=False).rstrip())
    return 0
