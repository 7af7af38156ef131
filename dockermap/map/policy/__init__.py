"""Policies: how a container map is turned into states and actions.

``ConfigFlags`` is importable here as in the classic library; the classic ``base`` and ``utils`` modules
are aliases kept in :mod:`dockermap.compat`.
"""

from ..flags import ConfigFlags

__all__ = ["ConfigFlags"]
