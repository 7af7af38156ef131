"""The desired record of one container instance: every create argument, resolved, plus what to expect."""

from __future__ import annotations

from typing import Any, Collection, Dict, List, Optional, Sequence, Tuple

from dockermap import DEFAULT_PRESET_NETWORKS
from dockermap.functional import resolve_value
from dockermap.map.config.container import CREATE_KEYWORDS
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import DesiredContainer, DesiredExec
from dockermap.map.labels import (
    LABEL_FINGERPRINT,
    LABEL_PREPARED,
    LABEL_SETTINGS,
    LABEL_UPDATABLE,
    UPDATABLE_KEYS,
    canonical_json,
    fingerprint,
    item_labels,
    preparation_text,
    settings_document,
    settings_json,
    updatable_json,
)
from dockermap.map.names import engine_container_name, hostname
from dockermap.map.readiness import get_readiness
from dockermap.utils import format_image_tag

from .networks import endpoints, link_pairs, links_on_endpoint, network_mode
from .ports import container_ports
from .values import extract_user, is_set, label_dict, normalise_updatable, resolve_all, update_kwargs
from .volumes import MapVolumes

#: ``create_options`` keys that dockermap sets itself and that cannot be overridden.
_RESERVED = {
    "name": "the container name is derived from map, configuration and instance",
    "networking_config": "configure 'networks' instead",
}


def split_create_options(options: Dict[str, Any], location: str) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """``(create keywords, host-config keywords)`` of ``create_options``; a nested ``host_config`` dict
    counts as host-config keywords."""
    create: Dict[str, Any] = {}
    host: Dict[str, Any] = {}
    for key, value in options.items():
        if key in _RESERVED:
            raise MapConfigurationError(
                f"{location}.create_options: {key!r} cannot be set: {_RESERVED[key]}."
            )
        if key == "host_config":
            if not isinstance(value, dict):
                raise MapConfigurationError(
                    f"{location}.create_options: 'host_config' must be a mapping of host-config options."
                )
            update_kwargs(host, value)
        elif key in CREATE_KEYWORDS:
            create[key] = value
        else:
            host[key] = value
    return create, host


def _healthcheck(value: Any) -> Dict[str, Any]:
    """The SDK form of a health check; a disabled check (no test) is ``['NONE']``."""
    check: Dict[str, Any] = resolve_all(value._asdict())
    if check["test"] is None:
        check["test"] = ["NONE"]
    return check


def _exec_commands(commands: Any, default_user: Optional[str]) -> List[DesiredExec]:
    result = []
    for command in commands:
        cmd = resolve_all(command.cmd)
        user = resolve_value(command.user)
        result.append(
            DesiredExec(
                cmd=tuple(cmd) if isinstance(cmd, list) else cmd,
                user=str(user) if is_set(user) else default_user,
                policy=command.policy,
            )
        )
    return result


def _unique(names: Sequence[Optional[str]]) -> List[str]:
    return list(dict.fromkeys(name for name in names if name))


class ContainerRecordBuilder:
    """Builds the :class:`DesiredContainer` of one container instance on one client (``client_config`` may
    be ``None``); the values of ``secret_keys`` (and every environment value) are hidden in its settings
    label. The parts shared by the steps are attributes; :meth:`build` makes the record."""

    def __init__(
        self,
        container_map: Any,
        volumes: MapVolumes,
        config_id: MapConfigId,
        client: str,
        client_config: Any,
        replacements: Sequence[Tuple[str, str]],
        secret_keys: Collection[str] = (),
    ) -> None:
        self.map = container_map
        self.volumes = volumes
        self.secret_keys = secret_keys
        self.config_id = config_id
        self.config = container_map.get_existing(config_id.config_name)
        self.client = client
        self.client_config = client_config
        self.replacements = replacements
        self.location = f"{container_map.name}.{config_id.config_name}"
        self.name = engine_container_name(container_map, config_id.config_name, config_id.instance_name)
        self.mounts = volumes.of_container(
            config_id.config_name, self.config, config_id.instance_name, self.location
        )
        self.ports = container_ports(
            self.config.exposes,
            client_config.interfaces if client_config is not None else {},
            client_config.interfaces_ipv6 if client_config is not None else {},
            client,
            f"{self.location}.exposes",
        )
        self.mode, self.shared_with = network_mode(
            container_map, self.config.network_mode, f"{self.location}.network_mode"
        )
        self.networks = endpoints(container_map, self.config.networks, replacements)
        if self.networks and (self.mode in ("none", "host") or self.shared_with):
            raise MapConfigurationError(
                f"{self.location}: network_mode {self.mode!r} cannot be combined with 'networks'."
            )
        self.links = link_pairs(container_map, self.config.links, replacements)
        self.bound_to = _unique(
            [target for target, _ in self.links] + self.mounts.containers + [self.shared_with]
        )
        self.after = _unique(
            [name for required in self.config.depends_on for name in self._required(required)]
        )
        if (
            self.links
            and self.networks
            and self.mode is None
            and self.networks[0].network not in DEFAULT_PRESET_NETWORKS
        ):
            self.networks[0], self.links = links_on_endpoint(self.networks[0], self.links), []
        self.user = extract_user(self.config.user)

    def _required(self, required: str) -> List[str]:
        """Engine names of a ``depends_on`` entry: ``config.instance``, or every instance of ``config``."""
        config_name, _, instance = required.partition(".")
        config = self.map.get_existing(config_name)
        instances = [instance] if instance else list(config.instances if config is not None else ()) or [None]
        return [engine_container_name(self.map, config_name, name) for name in instances]

    def _setting(self, value: Any) -> Any:
        return resolve_value(value) if is_set(value) else None

    def _generated_kwargs(self) -> Dict[str, Any]:
        """Create keywords derived from the configuration, unset ones left out."""
        config = self.config
        kwargs: Dict[str, Any] = {
            "name": self.name,
            "image": format_image_tag(self.map.get_image(config.image or self.config_id.config_name)),
            "volumes": self.mounts.paths,
            "user": self.user,
            "ports": self.ports.ports,
            "network_disabled": self.mode == "none" or None,
            "stop_signal": self._setting(config.stop_signal),
            "stop_timeout": self._setting(config.stop_timeout),
            "healthcheck": _healthcheck(config.healthcheck) if is_set(config.healthcheck) else None,
        }
        if self.shared_with is None:  # a container sharing another's network stack has its names
            setting = self.client_config.get("domainname") if self.client_config is not None else None
            kwargs["domainname"] = resolve_value(setting or self.map.default_domain) or None
            if not is_set(self.map.set_hostname) or self.map.set_hostname:
                kwargs["hostname"] = hostname(self.name, self.client, self.replacements)
        return {key: value for key, value in kwargs.items() if value not in (None, [])}

    def _host_config(self, host_options: Dict[str, Any]) -> Dict[str, Any]:
        generated = {
            "links": self.links,
            "binds": self.mounts.binds,
            "volumes_from": self.mounts.volumes_from,
            "port_bindings": self.ports.port_bindings,
            "network_mode": self.mode or (self.networks[0].network if self.networks else None),
        }
        host_config = {key: value for key, value in generated.items() if value}
        update_kwargs(host_config, host_options, self.config.host_config)
        return host_config

    def _updatable(self, host_config: Dict[str, Any]) -> Dict[str, Any]:
        try:
            return {
                key: normalise_updatable(key, host_config[key])
                for key in UPDATABLE_KEYS
                if host_config.get(key) is not None
            }
        except ValueError as exc:
            raise MapConfigurationError(f"{self.location}.host_config: {exc}") from None

    def _prepared_label(self) -> Dict[str, str]:
        """Owner and mode of the prepared attached volumes, so that a change of either shows in the
        fingerprint and on the engine (see :mod:`dockermap.map.labels`)."""
        prepared = {}
        for volume in self.config.attaches:
            attached = self.volumes.attached(self.config_id.config_name, volume, f"{self.location}.attaches")
            user, mode = self.volumes.preparation(self.config, attached.alias)
            if user or mode:
                prepared[attached.name] = preparation_text(user, mode)
        return {LABEL_PREPARED: canonical_json(prepared)} if prepared else {}

    def build(self) -> DesiredContainer:
        """The complete record; the fingerprint covers everything passed to create."""
        config, config_id = self.config, self.config_id
        kwargs = self._generated_kwargs()
        create_options, host_options = split_create_options(resolve_all(config.create_options), self.location)
        user_labels = label_dict(create_options.pop("labels", None), f"{self.location}.create_options")
        update_kwargs(kwargs, create_options)
        own_labels = item_labels(
            ItemType.CONTAINER,
            config_id.map_name,
            config_id.config_name,
            config_id.instance_name,
            self.client,
        )
        kwargs["labels"] = {**user_labels, **own_labels, **self._prepared_label()}
        host_config = self._host_config(host_options)
        updatable = self._updatable(host_config)
        host_config.update(updatable)
        digest = fingerprint(kwargs, host_config, self.networks)
        settings = settings_document(self.name, kwargs, host_config, self.networks, self.secret_keys)
        kwargs["labels"].update(
            {
                LABEL_FINGERPRINT: digest,
                LABEL_UPDATABLE: updatable_json(updatable),
                LABEL_SETTINGS: settings_json(settings),
            }
        )
        stop_timeout = kwargs.get("stop_timeout")
        if stop_timeout is None and self.client_config is not None:
            stop_timeout = resolve_value(self.client_config.get("stop_timeout"))
        return DesiredContainer(
            client=self.client,
            config_id=config_id,
            name=self.name,
            image=kwargs["image"],
            create_kwargs=kwargs,
            host_config=host_config,
            endpoints=self.networks,
            updatable=updatable,
            fingerprint=digest,
            mounts=self.mounts.mounts,
            published=self.ports.published,
            exec_commands=_exec_commands(config.exec_commands, self.user),
            persistent=bool(config.persistent),
            start_delay=self._setting(config.start_delay),
            ready=get_readiness(self._setting(config.ready), f"{self.location}.ready"),
            stop_timeout=stop_timeout,
            stop_signal=kwargs.get("stop_signal"),
            bound_to=self.bound_to,
            after=self.after,
        )
