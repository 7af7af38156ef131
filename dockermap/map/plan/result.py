"""The result of planning: a list of actions that prints one action per line with its cause."""

from __future__ import annotations

from typing import List

from ..exceptions import SkippedClientsMixin
from ..items import Action


class Plan(SkippedClientsMixin, List[Action]):
    """Actions in the order they must run; ``str(plan)`` lists them with their causes.

    With ``skip_unreachable``, ``unreachable`` and ``untouched`` say what the plan leaves alone; ``str``
    lists those after the actions.
    """

    def __str__(self) -> str:
        lines = [str(action) for action in self] + self.skipped_lines()
        return "\n".join(lines) if lines else "nothing to do"
