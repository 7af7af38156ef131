"""What the dependency and reference checks read of an extended container map.

:mod:`.dependencies`, :mod:`.engine_names` and :mod:`.integrity` are used by
:class:`~dockermap.map.config.main.ContainerMap`; typing their argument with this protocol instead of the
class keeps them free of an import of :mod:`.main`.
"""

from __future__ import annotations

from typing import Any, Iterator, List, Mapping, Protocol, Tuple

from dockermap.map.input import MapConfigId

from .container import ContainerConfiguration


class MapView(Protocol):
    """An extended container map, as :class:`~dockermap.map.config.main.ContainerMap` is one."""

    use_attached_parent_name: Any
    groups: Any
    clients: Any
    naming: Any

    @property
    def name(self) -> str: ...

    @property
    def networks(self) -> Mapping[Any, Any]: ...

    @property
    def volumes(self) -> Mapping[Any, Any]: ...

    @property
    def host(self) -> Mapping[Any, Any]: ...

    def __iter__(self) -> Iterator[Tuple[str, ContainerConfiguration]]: ...

    def get_existing(self, name: str) -> Any: ...

    def get_existing_volume(self, alias: str) -> Any: ...

    def get_existing_network(self, name: str) -> Any: ...

    def get_image(self, image: Any) -> Tuple[str, str]: ...

    def dependency_items(self) -> Iterator[Tuple[MapConfigId, List[MapConfigId]]]: ...
