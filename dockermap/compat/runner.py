"""The classic runner names of ``dockermap.map.runner``."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

__all__ = ["AbstractRunner", "ActionConfig"]

#: What a classic runner method received about its item.
ActionConfig = namedtuple(
    "ActionConfig", ["client_name", "config_id", "client_config", "client", "container_map", "config"]
)


class AbstractRunner:
    """Gone: plans run with :class:`dockermap.map.runner.Runner`, one function per action kind.

    Subclasses can still be defined (so that modules declaring them import), but not instantiated.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(
            f"{type(self).__name__}: AbstractRunner is gone; plans run with dockermap.map.runner.Runner. "
            "To change how an action talks to Docker, subclass the client (e.g. DockerClientWrapper or "
            "DockerCommandLineClient) and override its methods."
        )
