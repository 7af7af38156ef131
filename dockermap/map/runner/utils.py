"""Small Docker SDK helpers shared by the verb modules (``requests`` and ``urllib3`` are imported only when
an error is looked at: a teardown runs without the SDK)."""

from __future__ import annotations

from typing import Any, Dict, Optional

from dockermap.client.protocol import DockerClient

from ..config.client import USE_HC_MERGE
from ..items import DesiredEndpoint


def is_timeout(exc: BaseException) -> bool:
    """Whether a request failed because the engine did not answer in time.

    Over a unix socket the SDK reports a read timeout as a ``ConnectionError`` wrapping urllib3's
    ``ReadTimeoutError``, not as ``requests.Timeout``.
    """
    import requests
    import urllib3

    if isinstance(exc, requests.exceptions.Timeout):
        return True
    return isinstance(exc, requests.exceptions.ConnectionError) and any(
        isinstance(arg, urllib3.exceptions.TimeoutError) for arg in exc.args
    )


def wait_exit_code(client: DockerClient, container: str, timeout: Optional[float]) -> Optional[int]:
    """Wait for ``container`` to stop; its exit code, or ``None`` if it still runs after ``timeout`` s."""
    try:
        return client.wait(container, timeout=timeout)["StatusCode"]
    except Exception as exc:
        if is_timeout(exc):
            return None
        raise


def container_log(client: DockerClient, container: str, **kwargs: Any) -> str:
    """A container's output as text (``kwargs``: ``tail``, ``timestamps``, ... of ``client.logs``)."""
    return client.logs(container, **kwargs).decode("utf-8", errors="replace")


def endpoint_kwargs(endpoint: DesiredEndpoint) -> Dict[str, Any]:
    """Keywords of ``create_endpoint_config`` / ``connect_container_to_network`` for an endpoint."""
    return {
        "aliases": list(endpoint.aliases) or None,
        "links": [tuple(link) for link in endpoint.links] or None,
        "ipv4_address": endpoint.ipv4_address,
        "ipv6_address": endpoint.ipv6_address,
        "link_local_ips": list(endpoint.link_local_ips) or None,
    }


def host_config_kwargs(client: DockerClient, host_kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The host-config part of the ``create_container`` keywords.

    Normally ``{'host_config': client.create_host_config(...)}``. A client without ``create_host_config``,
    or whose configuration sets the ``host_config`` feature to
    :data:`~dockermap.map.config.client.USE_HC_MERGE`, gets the host-config keywords themselves.
    """
    configuration = getattr(client, "client_configuration", None)
    merge = configuration is not None and configuration.features.get("host_config") == USE_HC_MERGE
    if merge or not callable(getattr(client, "create_host_config", None)):
        return dict(host_kwargs)
    return {"host_config": client.create_host_config(**host_kwargs)}
