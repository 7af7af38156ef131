"""Client configuration: how to reach one Docker Engine and what it supports.

This module never imports ``docker``: the client object is created on demand by :meth:`get_client`,
which imports :class:`dockermap.client.base.DockerClientWrapper` only then.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from dockermap.client import parse_api_version
from dockermap.map import DictMap
from dockermap.map.exceptions import ConfigProblem
from dockermap.utils import closest_name

from .values import seconds

#: Feature value that makes the runner merge host-config arguments into ``create_container`` directly.
USE_HC_MERGE = "merge"

#: Client features and the minimum Engine API version that has them.
CLIENT_FEATURES: Tuple[Tuple[str, str], ...] = (
    ("host_config", "1.15"),
    ("networks", "1.21"),
    ("volumes", "1.21"),
    ("container_update", "1.22"),
    ("stop_signal", "1.21"),
    ("stop_timeout", "1.25"),
    ("healthcheck", "1.24"),
    ("container_update_restart_policy", "1.23"),
)

#: Feature names that are also client settings (dict entries): as keyword arguments they stay settings.
_SETTING_FEATURES = frozenset({"stop_timeout"})
#: Login keywords that are shown by ``repr()``; every other value of ``auth_configs`` is masked.
_PUBLIC_LOGIN_KEYS = frozenset({"username", "email", "registry", "serveraddress", "reauth", "dockercfg_path"})
#: Setting names whose values ``repr()`` masks.
_SECRET_NAME = re.compile(r"password|passwd|secret|token|auth", re.IGNORECASE)
MASK = "***"


def mask_login(auth: Any) -> Any:
    """Login keywords with every value but the user name, e-mail and registry masked."""
    if not isinstance(auth, Mapping):
        return MASK
    return {key: value if key in _PUBLIC_LOGIN_KEYS else MASK for key, value in auth.items()}


def mask_url(url: Any) -> Any:
    """A URL with the password of its user part masked (``tcp://user:***@host``)."""
    if not isinstance(url, str) or "@" not in url:
        return url
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", f":{MASK}@", 1)
    return parts._replace(netloc=netloc).geturl()


class ClientConfiguration(DictMap):
    """Connection settings and feature flags of one Docker client, plus settings read by the runners.

    The names in :attr:`init_kwargs` are passed to the client constructor: ``base_url``, ``version`` and
    ``timeout`` always, other names (such as ``tls``) when they are set as entries; a subclass may add
    names of its own. Keyword arguments ``features``, ``interfaces``, ``interfaces_ipv6``, ``auth_configs``
    and ``client``, and any feature name of :data:`CLIENT_FEATURES` except ``stop_timeout`` (an explicit
    feature value), become attributes; everything else (e.g. ``domainname``, ``stop_timeout``,
    ``wait_timeout``, ``tls``) is a dict entry. Features not given explicitly follow from the API version.

    ``repr()`` and ``str()`` mask credentials: every ``auth_configs`` value but the user name, e-mail and
    registry, a password in ``base_url``, and settings named like a secret (``password``, ``token``, ...).

    A dict entry named neither in :attr:`init_kwargs` nor in :attr:`settings` is reported by
    :meth:`problems`, which a :class:`~dockermap.map.client.MappingDockerClient` runs before its first call.
    """

    #: Keyword arguments of the client constructor; a subclass may extend them.
    init_kwargs: Tuple[str, ...] = ("base_url", "version", "timeout", "tls")
    #: Dict entries the orchestration reads. Entries named neither here nor in :attr:`init_kwargs` are
    #: refused by :meth:`problems`; a subclass that reads further entries adds them to one of the two.
    settings: Tuple[str, ...] = ("domainname", "stop_timeout", "wait_timeout", "core_image")
    #: Class used by :meth:`get_client`; ``None`` means :class:`dockermap.client.base.DockerClientWrapper`.
    client_constructor: Optional[type] = None

    def __init__(
        self,
        base_url: Optional[str] = None,
        version: Optional[str] = None,
        timeout: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        features = dict(kwargs.pop("features", None) or {})
        for name, _ in CLIENT_FEATURES:
            if name in kwargs and name not in _SETTING_FEATURES:
                features[name] = kwargs.pop(name)
        self._features = features
        self._set_direct(None)
        self._base_url = base_url
        self._version: Optional[str] = None
        self._timeout = timeout
        self._interfaces = DictMap(kwargs.pop("interfaces", None) or {})
        self._interfaces_ipv6 = DictMap(kwargs.pop("interfaces_ipv6", None) or {})
        self._auth_configs = dict(kwargs.pop("auth_configs", None) or {})
        self._client = kwargs.pop("client", None)
        super().__init__(*args, **kwargs)
        self.version = version

    def _shown(self, key: Any, value: Any) -> str:
        # Credentials are masked: the passwords of registry logins, of the engine URL, and settings
        # named like a secret.
        if key == "auth_configs" and isinstance(value, Mapping):
            return repr({registry: mask_login(auth) for registry, auth in value.items()})
        if key == "base_url":
            return repr(mask_url(value))
        if isinstance(key, str) and _SECRET_NAME.search(key) and value is not None:
            return repr(MASK)
        return repr(value)

    @classmethod
    def from_client(cls, client: Any) -> ClientConfiguration:
        """The configuration of an existing client (its own, if it has one)."""
        existing = getattr(client, "client_configuration", None)
        if existing is not None:
            return existing
        kwargs = {name: getattr(client, name) for name in cls.init_kwargs if hasattr(client, name)}
        kwargs["version"] = getattr(client, "api_version", None)
        return cls(client=client, **kwargs)

    def update_settings(self, **kwargs: Any) -> None:
        """Update settings derived from keyword arguments; always called with keywords, so that subclasses
        may override it with a ``**kwargs`` signature.

        ``version``: derive the feature flags not set explicitly from it (not ``None``/``'auto'``).
        """
        version = kwargs.get("version")
        if version is None or version == "auto":
            return
        api = parse_api_version(version)
        for name, minimum in CLIENT_FEATURES:
            self._features.setdefault(name, api >= parse_api_version(minimum))

    def get_init_kwargs(self) -> Dict[str, Any]:
        """Keyword arguments for the client constructor: exactly the names of :attr:`init_kwargs`, the
        properties among them always, the other names where an entry is set."""
        kwargs = {}
        for name in self.init_kwargs:
            if name in self.external_properties:
                kwargs[name] = getattr(self, name)
            elif name in self:
                kwargs[name] = self[name]
        return kwargs

    def problems(self, location: str) -> List[ConfigProblem]:
        """What the engine or the orchestration would refuse later: unknown entries (usually misspelt
        settings) and timeouts that are negative, infinite or not numbers. ``location`` names the
        configuration, e.g. ``clients.web1``."""
        known = [*self.init_kwargs, *self.settings]
        problems = []
        for key in self.keys():
            if key not in known:
                close = closest_name(str(key), known)
                hint = f"; did you mean {close!r}?" if close else f"; known settings: {', '.join(known)}"
                problems.append(ConfigProblem(f"{location}.{key}", f"unknown client setting{hint}"))
        values: Dict[str, Tuple[Any, Callable[[Any], Any]]] = {
            "timeout": (self._timeout, seconds("timeout")),
            "stop_timeout": (self.get("stop_timeout"), seconds("stop_timeout", integer=True)),
            "wait_timeout": (self.get("wait_timeout"), seconds("wait_timeout")),
        }
        for key, (value, check) in values.items():
            try:
                check(value)
            except ValueError as exc:
                problems.append(ConfigProblem(f"{location}.{key}", str(exc)))
        return problems

    def get_client(self) -> Any:
        """The client, created on first use; its negotiated API version is stored back as ``version``."""
        if self._client is None:
            constructor = self.client_constructor
            if constructor is None:
                from dockermap.client.base import DockerClientWrapper

                constructor = DockerClientWrapper
            self._client = constructor(**self.get_init_kwargs())
        self._client.client_configuration = self
        api_version = getattr(self._client, "api_version", None)
        if isinstance(api_version, str):
            self.version = api_version
        return self._client

    def get_direct_client(self) -> Any:
        """The client that observes the engine and runs plans on it: for an engine on a Unix socket or
        plain TCP, while no client object exists yet, a :class:`~dockermap.client.direct.DirectClient`,
        which imports the Docker SDK only for calls it does not make itself (observing, stopping and
        removing need none); otherwise :meth:`get_client`."""
        if self._client is None and self.client_constructor is None and "tls" not in self:
            if self._direct is None:
                from dockermap.client.direct import DirectClient

                self._set_direct(
                    DirectClient.for_client(self.base_url, self.version, self.timeout, self.get_client)
                )
            if self._direct is not None:
                return self._direct
        return self.get_client()

    def _set_direct(self, client: Any) -> None:
        # Stored as an attribute, never as a dict entry (a setting).
        object.__setattr__(self, "_direct", client)

    @property
    def base_url(self) -> Optional[str]:
        """URL of the Docker Engine (``None``: the SDK default)."""
        return self._base_url

    @base_url.setter
    def base_url(self, value: Optional[str]) -> None:
        self._base_url = value
        self._set_direct(None)

    @property
    def version(self) -> Optional[str]:
        """Engine API version; setting it derives the feature flags not set explicitly."""
        return self._version

    @version.setter
    def version(self, value: Optional[str]) -> None:
        self.update_settings(version=value)
        self._version = value
        self._set_direct(None)

    @property
    def timeout(self) -> Any:
        """Timeout of client requests in seconds; setting it also updates a live client."""
        return self._timeout

    @timeout.setter
    def timeout(self, value: Any) -> None:
        self._timeout = value
        self._set_direct(None)
        if self._client is not None and hasattr(self._client, "timeout"):
            self._client.timeout = value

    @property
    def interfaces(self) -> DictMap:
        """Virtual interface name → IPv4 address, for ``exposes`` entries with an interface."""
        return self._interfaces

    @interfaces.setter
    def interfaces(self, value: Any) -> None:
        self._interfaces = DictMap(value or {})

    @property
    def interfaces_ipv6(self) -> DictMap:
        """Virtual interface name → IPv6 address."""
        return self._interfaces_ipv6

    @interfaces_ipv6.setter
    def interfaces_ipv6(self, value: Any) -> None:
        self._interfaces_ipv6 = DictMap(value or {})

    @property
    def auth_configs(self) -> Dict[str, Any]:
        """Registry host → ``login`` keyword arguments (``username``, ``password``, ...)."""
        return self._auth_configs

    @auth_configs.setter
    def auth_configs(self, value: Any) -> None:
        self._auth_configs = dict(value or {})

    @property
    def client(self) -> Any:
        """The client object, if created or given."""
        return self._client

    @client.setter
    def client(self, value: Any) -> None:
        self._client = value

    @property
    def features(self) -> Dict[str, Any]:
        """Feature name → flag (or :data:`USE_HC_MERGE`); without a known API version the client is
        created first to negotiate it."""
        if self._version in (None, "auto"):
            self.get_client()
        return self._features

    @features.setter
    def features(self, value: Any) -> None:
        self._features = dict(value or {})
        self.update_settings(version=self._version)
