"""Docker clients: :class:`~dockermap.client.base.DockerClientWrapper` and helpers for API versions.

This package module does not import docker, so configuration code may use the version helpers freely.
"""

from __future__ import annotations

from typing import Tuple, Union

from dockermap.exceptions import InvalidArgumentError

ApiVersion = Tuple[int, ...]

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
