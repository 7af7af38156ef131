"""Classic import path of the policy helpers; see :mod:`dockermap.compat.policy_utils`."""

from dockermap.compat.policy_utils import (
    INITIAL_START_TIME,
    extract_user,
    get_instance_volumes,
    get_shared_volume_path,
    init_options,
    update_kwargs,
)

__all__ = [
    "INITIAL_START_TIME",
    "extract_user",
    "get_instance_volumes",
    "get_shared_volume_path",
    "init_options",
    "update_kwargs",
]
