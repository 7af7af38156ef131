"""``InputConfigIdList``: the items a client action is asked to act on."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, List, Optional, Tuple

from .lists import NamedTupleList, unsupported
from .tuples import InputConfigId, MapConfigId, build, get_instance_names
from .values import ItemType, invalid


class InputConfigIdList(NamedTupleList):
    """:class:`InputConfigId` elements, filling in a default map name and default instances.

    ``map_name`` applies to ids that name no map; ``instances`` (a name or list/tuple of names) to ids
    that name no instance. A single :class:`MapConfigId`, or a single dict whose keys are all
    :class:`InputConfigId` fields, is one element.
    """

    __slots__ = ("map_name", "instances")

    element_type = InputConfigId
    kind = "configuration id"
    forms = (
        "'config', 'map.config', 'map.config.instance', (config,), (map, config), (map, config, instances), "
        "a dict with config_type/map_name/config_name/instance_names keys, a MapConfigId or an InputConfigId"
    )

    def __init__(self, seq: Any = (), map_name: Optional[str] = None, instances: Any = None) -> None:
        if not (map_name is None or isinstance(map_name, str)):
            raise invalid("default map name", map_name, "None or a map name")
        self.map_name = map_name or None
        self.instances = get_instance_names(instances, "default instances")
        super().__init__(seq)

    def get_type_item(
        self, value: Any, map_name: Optional[str] = None, instances: Any = None
    ) -> InputConfigId:
        """Convert one element; ``map_name`` and ``instances`` override the list's defaults."""
        if instances is not None:
            instances = get_instance_names(instances, "default instances")
        return self._checked(
            self._convert,
            value,
            map_name or self.map_name,
            self.instances if instances is None else instances,
        )

    def _listed(self, values: Any) -> List[Any]:
        if isinstance(values, MapConfigId) or (
            isinstance(values, Mapping)
            and values
            and all(isinstance(key, str) and key in InputConfigId._fields for key in values)
        ):
            return [self.get_type_item(values)]
        return super()._listed(values)

    def _convert(
        self, value: Any, map_name: Optional[str] = None, instances: Optional[Tuple[Any, ...]] = None
    ) -> InputConfigId:
        if isinstance(value, InputConfigId):
            return value
        if isinstance(value, MapConfigId):
            instance = value.instance_name
            names = (
                instances if instance is None else instance if isinstance(instance, tuple) else (instance,)
            )
            return InputConfigId(value.config_type, value.map_name, value.config_name, names)
        if isinstance(value, str):
            return self._from_string(value, map_name, instances)
        if isinstance(value, (list, tuple)):
            if len(value) == 1:
                return InputConfigId(ItemType.CONTAINER, map_name, value[0], instances)
            if len(value) == 2:
                return InputConfigId(ItemType.CONTAINER, _or(value[0], map_name), value[1], instances)
            if len(value) == 3:
                return InputConfigId(ItemType.CONTAINER, _or(value[0], map_name), value[1], value[2])
            raise ValueError(f"{len(value)} values")
        if isinstance(value, Mapping):
            defaults = {"config_type": ItemType.CONTAINER, "map_name": map_name, "instance_names": instances}
            return build(InputConfigId, (), {**defaults, **value})
        raise unsupported(value)

    @staticmethod
    def _from_string(value: str, map_name: Optional[str], instances: Any) -> InputConfigId:
        parts = value.split(".")
        if len(parts) > 3:
            raise ValueError("more than three dot-separated parts")
        if len(parts) == 1:
            return InputConfigId(ItemType.CONTAINER, map_name, value, instances)
        if not parts[0]:
            raise ValueError("empty map name")
        instance = parts[2] if len(parts) == 3 else None
        return InputConfigId(ItemType.CONTAINER, parts[0], parts[1], instance or instances)


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value
