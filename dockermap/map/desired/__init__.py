"""Step 1 of orchestration: what the configuration asks for, per client, as plain records.

From extended container maps and client configurations, :class:`DesiredBuilder` computes one record
per item and client (see :mod:`dockermap.map.items`): :class:`~dockermap.map.items.DesiredContainer`
with every create argument resolved, :class:`~dockermap.map.items.DesiredVolume`,
:class:`~dockermap.map.items.DesiredNetwork` and :class:`~dockermap.map.items.DesiredImage`. No engine
is contacted and no lazy value is left. Modules: :mod:`.values` (merge and value rules), :mod:`.volumes`,
:mod:`.ports`, :mod:`.networks`, :mod:`.container`.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar, Union, cast

from dockermap import DEFAULT_COREIMAGE, DEFAULT_HOSTNAME_REPLACEMENT, DEFAULT_PRESET_NETWORKS
from dockermap.functional import resolve_value
from dockermap.map.exceptions import MapConfigurationError, describe_item
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import DesiredContainer, DesiredImage, DesiredNetwork, DesiredVolume
from dockermap.map.labels import LABEL_PREPARED, item_labels, preparation_text, secret_key_set
from dockermap.map.names import DEFAULT_CLIENT_NAME, engine_network_name
from dockermap.map.readiness import get_readiness

from .build import ImageKey, image_builds
from .container import ContainerRecordBuilder
from .values import label_dict, resolve_all, update_kwargs
from .volumes import MapVolumes

__all__ = ["Desired", "DesiredBuilder", "desired_state", "require_instance"]

Desired = Union[DesiredContainer, DesiredVolume, DesiredNetwork, DesiredImage]
_Record = TypeVar("_Record", DesiredContainer, DesiredVolume, DesiredNetwork, DesiredImage)
ItemKey = Tuple[str, MapConfigId]


def require_instance(config_id: MapConfigId, instances: Any) -> None:
    """Refuse a container id whose instance the configuration does not have."""
    names = list(instances)
    instance = config_id.instance_name
    if (instance or None) not in (names or [None]):
        raise MapConfigurationError(
            f"{config_id.map_name}.{config_id.config_name} has no instance {instance!r}; "
            f"instances are: {', '.join(names) or 'none (the default instance only)'}."
        )


def _with_labels(
    kwargs: Dict[str, Any], options: Any, labels: Dict[str, str], location: str
) -> Dict[str, Any]:
    """``kwargs`` updated with the item's ``create_options``; dockermap's labels win over the user's."""
    options = resolve_all(dict(options or {}))
    user_labels = label_dict(options.pop("labels", None), f"{location}.create_options")
    update_kwargs(kwargs, options)
    kwargs["labels"] = {**user_labels, **labels}
    return kwargs


class DesiredBuilder:
    """Builds (and memoises per client and id) the desired records of items of extended maps.

    ``maps``: map name → extended :class:`~dockermap.map.config.main.ContainerMap` (``get_extended_map()``);
    ``clients``: client name → :class:`~dockermap.map.config.client.ClientConfiguration` (the default client
    ``'__default__'`` may be missing: it then has no settings). ``options``: ``core_image`` (image of the
    helper containers that prepare attached volumes, default :data:`dockermap.DEFAULT_COREIMAGE`),
    ``hostname_replace`` (default :data:`dockermap.DEFAULT_HOSTNAME_REPLACEMENT`) and ``secret_keys``
    (keys whose values the settings label of a container holds only as digests, besides every
    environment value); other keys are ignored.
    """

    def __init__(
        self, maps: Mapping[str, Any], clients: Mapping[str, Any], options: Optional[Mapping[str, Any]] = None
    ) -> None:
        options = options or {}
        self._maps = maps
        self._clients = clients
        self._core_image = options.get("core_image") or DEFAULT_COREIMAGE
        self._replacements = list(options.get("hostname_replace", DEFAULT_HOSTNAME_REPLACEMENT))
        self._secret_keys = secret_key_set(options.get("secret_keys"))
        self._ready: Mapping[str, Any] = options.get("ready") or {}
        self._volumes: Dict[str, MapVolumes] = {}
        self._builds: Dict[str, Dict[ImageKey, Any]] = {}
        self._records: Dict[ItemKey, Desired] = {}

    # --- lookups ----------------------------------------------------------------------------------------

    def _map(self, map_name: str) -> Any:
        try:
            return self._maps[map_name]
        except KeyError:
            raise MapConfigurationError(
                f"Unknown map {map_name!r}; maps are: {', '.join(sorted(self._maps)) or 'none'}."
            ) from None

    def clients_of(self, map_name: str) -> List[str]:
        """Names of the clients a map is deployed to: its ``clients``, or the default client."""
        return list(self._map(map_name).clients) or [DEFAULT_CLIENT_NAME]

    def _client_config(self, client: str, map_name: str) -> Any:
        if client not in self.clients_of(map_name):
            raise MapConfigurationError(
                f"Map {map_name!r} is not deployed to client {client!r}; its clients are: "
                f"{', '.join(self.clients_of(map_name))}."
            )
        if client in self._clients:
            return self._clients[client]
        if client == DEFAULT_CLIENT_NAME:
            return None
        raise MapConfigurationError(
            f"Map {map_name!r} is deployed to client {client!r}, which is not configured; clients are: "
            f"{', '.join(sorted(self._clients)) or 'none'}."
        )

    def _map_volumes(self, map_name: str) -> MapVolumes:
        if map_name not in self._volumes:
            self._volumes[map_name] = MapVolumes(self._map(map_name))
        return self._volumes[map_name]

    def _container_config(self, config_id: MapConfigId) -> Any:
        container_map = self._map(config_id.map_name)
        config = container_map.get_existing(config_id.config_name)
        if config is None or config.abstract:
            names = ", ".join(name for name, _ in container_map) or "none"
            raise MapConfigurationError(
                f"Map {config_id.map_name!r} has no container configuration {config_id.config_name!r}; "
                f"configurations are: {names}."
            )
        return config

    def _memo(
        self, client: str, config_id: MapConfigId, kind: ItemType, build: Callable[[Any], _Record]
    ) -> _Record:
        if config_id.config_type != kind:
            raise MapConfigurationError(
                f"Expected a {kind.value} id, got the id of {describe_item(config_id)}."
            )
        key = (client, config_id)
        if key not in self._records:
            self._records[key] = build(self._client_config(client, config_id.map_name))
        return cast(_Record, self._records[key])  # stored by a builder of the same kind

    # --- records ----------------------------------------------------------------------------------------

    def container(self, client: str, config_id: MapConfigId) -> DesiredContainer:
        """The desired container instance ``(CONTAINER, map, config, instance)`` on ``client``."""

        def build(client_config: Any) -> DesiredContainer:
            config = self._container_config(config_id)
            require_instance(config_id, config.instances)
            map_name = config_id.map_name
            record = ContainerRecordBuilder(
                self._map(map_name),
                self._map_volumes(map_name),
                config_id,
                client,
                client_config,
                self._replacements,
                self._secret_keys,
            ).build()
            self._override_readiness(record)
            return record

        return self._memo(client, config_id, ItemType.CONTAINER, build)

    def volume(self, client: str, config_id: MapConfigId) -> DesiredVolume:
        """The desired attached volume ``(VOLUME, map, owning config, alias)`` on ``client``."""

        def build(_client_config: Any) -> DesiredVolume:
            map_name, owner, alias = config_id.map_name, config_id.config_name, config_id.instance_name
            config = self._container_config(config_id)
            entry = next((item for item in config.attaches if resolve_value(item.name) == alias), None)
            if entry is None:
                raise MapConfigurationError(f"{map_name}.{owner} attaches no volume {alias!r}.")
            attached = self._map_volumes(map_name).attached(owner, entry, f"{map_name}.{owner}.attaches")
            volume_config = self._map(map_name).get_existing_volume(alias)
            driver, driver_opts, options, external = "local", {}, {}, False
            if volume_config is not None:
                external = bool(resolve_value(volume_config.external))
                driver = resolve_value(volume_config.driver) or driver
                driver_opts = resolve_all(dict(volume_config.driver_options))
                options = volume_config.create_options
            kwargs: Dict[str, Any] = {"name": attached.name, "driver": driver}
            if driver_opts:
                kwargs["driver_opts"] = driver_opts
            user, mode = self._map_volumes(map_name).preparation(config, alias)
            labels = item_labels(ItemType.VOLUME, map_name, owner, alias, client)
            if user or mode:
                labels[LABEL_PREPARED] = preparation_text(user, mode)
            return DesiredVolume(
                client=client,
                config_id=config_id,
                name=attached.name,
                driver=driver,
                driver_opts=driver_opts,
                create_kwargs=_with_labels(kwargs, options, labels, f"{map_name}.volumes.{alias}"),
                user=user,
                permissions=mode,
                external=external,
            )

        return self._memo(client, config_id, ItemType.VOLUME, build)

    def network(self, client: str, config_id: MapConfigId) -> DesiredNetwork:
        """The desired network ``(NETWORK, map, network, None)`` on ``client`` (never a preset network)."""

        def build(_client_config: Any) -> DesiredNetwork:
            map_name, network = config_id.map_name, config_id.config_name
            if network in DEFAULT_PRESET_NETWORKS:
                raise MapConfigurationError(
                    f"Network {network!r} exists on every engine; it is never created."
                )
            config = self._map(map_name).get_existing_network(network)
            if config is None:
                raise MapConfigurationError(f"Map {map_name!r} has no network configuration {network!r}.")
            name = engine_network_name(self._map(map_name), network)
            driver = resolve_value(config.driver)
            options = resolve_all(dict(config.driver_options))
            internal = bool(resolve_value(config.internal))
            kwargs: Dict[str, Any] = {"name": name, "driver": driver}
            if options:
                kwargs["options"] = options
            if internal:
                kwargs["internal"] = True
            labels = item_labels(ItemType.NETWORK, map_name, network, None, client)
            return DesiredNetwork(
                client=client,
                config_id=config_id,
                name=name,
                driver=driver,
                options=options,
                internal=internal,
                create_kwargs=_with_labels(
                    kwargs, config.create_options, labels, f"{map_name}.networks.{network}"
                ),
                external=bool(resolve_value(config.external)),
            )

        return self._memo(client, config_id, ItemType.NETWORK, build)

    def _override_readiness(self, record: DesiredContainer) -> None:
        """Apply the call's ``ready`` option (keys: ``config``, ``map.config`` or ``map.config.instance``)."""
        cid = record.config_id
        qualified = f"{cid.map_name}.{cid.config_name}"
        keys = [f"{qualified}.{cid.instance_name}"] if cid.instance_name else []
        for key in keys + [qualified, cid.config_name]:
            if key in self._ready:
                record.ready = get_readiness(self._ready[key], f"option ready[{key!r}]")
                return

    def image(self, client: str, config_id: MapConfigId) -> DesiredImage:
        """The desired image ``(IMAGE, map, image name, tag)`` on ``client``."""

        def build(_client_config: Any) -> DesiredImage:
            map_name, image = config_id.map_name, (config_id.config_name, config_id.instance_name)
            if map_name not in self._builds:
                self._builds[map_name] = image_builds(self._map(map_name))
            ref = f"{image[0]}:{image[1]}"
            return DesiredImage(client, config_id, ref, self._builds[map_name].get(image))

        return self._memo(client, config_id, ItemType.IMAGE, build)

    def get(self, client: str, config_id: MapConfigId) -> Desired:
        """The desired record of any item id on ``client``."""
        builders: Dict[ItemType, Callable[[str, MapConfigId], Desired]] = {
            ItemType.CONTAINER: self.container,
            ItemType.VOLUME: self.volume,
            ItemType.NETWORK: self.network,
            ItemType.IMAGE: self.image,
        }
        return builders[config_id.config_type](client, config_id)

    def items(self, config_ids: Iterable[MapConfigId]) -> Dict[ItemKey, Desired]:
        """The records of ``config_ids`` on every client of their maps, keyed ``(client, id)``, in order."""
        return {
            (client, config_id): self.get(client, config_id)
            for config_id in config_ids
            for client in self.clients_of(config_id.map_name)
        }

    def core_image(self, client: str) -> str:
        """Image of the helper containers that prepare attached volumes on ``client``: the client's
        ``core_image`` setting, else the ``core_image`` option."""
        config = self._clients.get(client)
        setting = config.get("core_image") if config is not None else None
        return resolve_value(setting) or self._core_image


def desired_state(
    maps: Mapping[str, Any],
    clients: Mapping[str, Any],
    config_ids: Iterable[MapConfigId],
    options: Optional[Mapping[str, Any]] = None,
) -> Dict[ItemKey, Desired]:
    """Desired records of ``config_ids`` on every client of their maps (see :class:`DesiredBuilder`)."""
    return DesiredBuilder(maps, clients, options).items(config_ids)
