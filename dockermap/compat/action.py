"""The classic action names (``dockermap.map.action``), each with the ``kind`` of today's plan actions.

Plans are lists of :class:`dockermap.map.items.Action` records (``MappingDockerClient.plan`` and
``get_actions``); their ``kind`` is a plain string such as ``'create'``. The enums below keep the classic
names for code that refers to them, e.g. ``action.kind == Action.CREATE.kind``.
"""

from __future__ import annotations

from typing import Any, Dict, List

from dockermap.map import SimpleEnum

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

#: Classic action values whose plan ``kind`` is named differently today.
_KINDS: Dict[str, str] = {
    "exec_single_command": "exec",
    "exec_all_commands": "exec",
    "signal_stop": "stop",
    "connect_all_networks": "connect",
    "prepare_volume": "prepare",
    "disconnect_all_containers": "disconnect",
    "pull_image": "pull",
}


class ActionEnum(SimpleEnum):
    """Base of the classic action name enums."""

    @property
    def kind(self) -> str:
        """The ``kind`` of the plan actions that do this today."""
        return _KINDS.get(self.value, self.value)


class Action(ActionEnum):
    """Actions every item type has."""

    CREATE = "create"
    START = "start"
    RESTART = "restart"
    STOP = "stop"
    REMOVE = "remove"
    KILL = "kill"
    WAIT = "wait"
    UPDATE = "update"
    CONNECT = "connect"
    DISCONNECT = "disconnect"


class ContainerUtilAction(ActionEnum):
    EXEC_COMMANDS = "exec_single_command"
    EXEC_ALL = "exec_all_commands"
    SCRIPT = "script"
    SIGNAL_STOP = "signal_stop"
    CONNECT_ALL = "connect_all_networks"


class VolumeUtilAction(ActionEnum):
    PREPARE = "prepare_volume"


class NetworkUtilAction(ActionEnum):
    DISCONNECT_ALL = "disconnect_all_containers"


class ImageAction(ActionEnum):
    PULL = "pull_image"


class DerivedAction:
    """The classic sequences of actions on one item."""

    STARTUP_CONTAINER: List[ActionEnum] = [Action.CREATE, ContainerUtilAction.CONNECT_ALL, Action.START]
    SHUTDOWN_CONTAINER: List[ActionEnum] = [ContainerUtilAction.SIGNAL_STOP, Action.REMOVE]
    RELAUNCH_CONTAINER: List[ActionEnum] = [Action.REMOVE, *STARTUP_CONTAINER]
    RESET_CONTAINER: List[ActionEnum] = [ContainerUtilAction.SIGNAL_STOP, *RELAUNCH_CONTAINER]
    RESTART_CONTAINER: List[ActionEnum] = [ContainerUtilAction.SIGNAL_STOP, Action.START]
    RESET_VOLUME: List[ActionEnum] = [Action.REMOVE, Action.CREATE]
    RESET_NETWORK: List[ActionEnum] = [Action.REMOVE, Action.CREATE]


class ItemAction:
    """Gone: actions are :class:`dockermap.map.items.Action` records, made by the planner."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            "ItemAction is gone: plans are lists of dockermap.map.items.Action records; get them with "
            "MappingDockerClient.plan() or get_actions() and run them with run_actions()."
        )
