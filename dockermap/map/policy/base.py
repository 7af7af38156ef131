"""Classic import path of :class:`~dockermap.compat.policy.BasePolicy`."""

from dockermap.compat.policy import BasePolicy

__all__ = ["BasePolicy"]
