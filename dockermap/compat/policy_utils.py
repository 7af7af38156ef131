"""The classic helpers of ``dockermap.map.policy.utils``, on today's functions."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from dockermap.map.desired.values import extract_user, update_kwargs
from dockermap.map.desired.volumes import MapVolumes

__all__ = [
    "INITIAL_START_TIME",
    "extract_user",
    "get_instance_volumes",
    "get_shared_volume_path",
    "init_options",
    "update_kwargs",
]

#: ``State.StartedAt`` of a container that was never started.
INITIAL_START_TIME = "0001-01-01T00:00:00Z"


def init_options(options: Any) -> Dict[str, Any]:
    """Initial keyword arguments from ``create_options``-style settings: a callable's result, or a copy."""
    if callable(options):
        return options()
    return dict(options) if options else {}


def get_shared_volume_path(
    container_map: Any, volume: Any, instance: Optional[str] = None
) -> Tuple[str, str]:
    """``(container path, host path)`` of a ``binds`` entry (alias or ``HostVolume``) for ``instance``."""
    return MapVolumes(container_map).host_bind(volume, instance, container_map.name)


def get_instance_volumes(instance_detail: Dict[str, Any], check_names: bool = False) -> Dict[str, Any]:
    """Mount points of an inspected container: container path -> volume name (``check_names``) or source."""
    return {
        mount["Destination"]: (mount.get("Name") if check_names else None) or mount.get("Source")
        for mount in instance_detail.get("Mounts") or ()
    }
