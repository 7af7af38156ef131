"""Docker clients: :class:`~dockermap.client.base.DockerClientWrapper` and helpers for API versions.

This package module does not import docker, so configuration code may use the version helpers freely.
"""

from __future__ import annotations

import os
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from dockermap.exceptions import InvalidArgumentError

ApiVersion = Tuple[int, ...]

#: Connections the SDK client keeps per engine (``docker.constants.DEFAULT_MAX_POOL_SIZE``): the most
#: actions that run at once on one client unless its ``max_workers`` says otherwise.
SDK_POOL_SIZE = 10

#: Below this API version, re-tagging an image needs ``force=True``.
DEPRECATED_FORCE_TAG_VERSION: ApiVersion = (1, 24)
#: From this API version on, files are copied out of containers with ``get_archive``.
DEPRECATED_COPY_VERSION: ApiVersion = (1, 20)


def parse_api_version(version: Union[str, ApiVersion]) -> ApiVersion:
    """Turn an API version such as ``'1.41'`` into a comparable tuple of integers, e.g. ``(1, 41)``."""
    if isinstance(version, tuple):
        return version
    try:
        if not isinstance(version, str):
            raise ValueError(version)
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise InvalidArgumentError(
            f"Invalid Docker API version {version!r}; expected numbers like '1.41'."
        ) from None


def api_version_at_least(version: Union[str, ApiVersion], minimum: Union[str, ApiVersion]) -> bool:
    """Whether the API ``version`` is ``minimum`` or newer."""
    return parse_api_version(version) >= parse_api_version(minimum)


def use_force_tag(api_version: Union[str, ApiVersion]) -> bool:
    """Whether ``tag`` needs ``force=True`` to move an existing tag (API before 1.24)."""
    return not api_version_at_least(api_version, DEPRECATED_FORCE_TAG_VERSION)


def use_get_archive(api_version: Union[str, ApiVersion]) -> bool:
    """Whether files are copied out of containers with ``get_archive`` (API 1.20 and newer)."""
    return api_version_at_least(api_version, DEPRECATED_COPY_VERSION)


def client_kwargs_from_env(environ: Optional[Mapping[str, str]] = None) -> Dict[str, Any]:
    """Client arguments from ``DOCKER_HOST``, ``DOCKER_TLS_VERIFY`` and ``DOCKER_CERT_PATH``, as the SDK's
    ``kwargs_from_env`` reads them; the SDK is imported only when TLS is asked for."""
    environ = os.environ if environ is None else environ
    if environ.get("DOCKER_CERT_PATH") or environ.get("DOCKER_TLS_VERIFY") not in (None, ""):
        from docker.utils import kwargs_from_env

        return kwargs_from_env(environment=dict(environ))
    host = environ.get("DOCKER_HOST")
    return {"base_url": host} if host else {}
