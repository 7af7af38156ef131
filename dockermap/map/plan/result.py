"""The result of planning: a list of actions that prints one action per line with its cause."""

from __future__ import annotations

from typing import List

from ..items import Action


class Plan(List[Action]):
    """Actions in the order they must run; ``str(plan)`` lists them with their causes."""

    def __str__(self) -> str:
        if not self:
            return "nothing to do"
        return "\n".join(str(action) for action in self)
