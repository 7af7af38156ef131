"""Classic import path of the action names; see :mod:`dockermap.compat.action`."""

from dockermap.compat import action as _action
from dockermap.compat.action import *  # noqa: F403

__all__ = _action.__all__
