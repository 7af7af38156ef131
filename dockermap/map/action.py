"""Classic import path of the action names; see :mod:`dockermap.compat.action`."""

from dockermap.compat.action import (
    Action,
    ActionEnum,
    ContainerUtilAction,
    DerivedAction,
    ImageAction,
    ItemAction,
    NetworkUtilAction,
    VolumeUtilAction,
)

__all__ = [
    "Action",
    "ActionEnum",
    "ContainerUtilAction",
    "DerivedAction",
    "ImageAction",
    "ItemAction",
    "NetworkUtilAction",
    "VolumeUtilAction",
]
