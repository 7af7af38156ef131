"""The result of planning: a list of actions that prints one action per line with its cause."""

from __future__ import annotations

from typing import Any, Iterable, List

from ..exceptions import SkippedClientsMixin
from ..items import Action


class Plan(SkippedClientsMixin, List[Action]):
    """Actions in the order they must run; ``str(plan)`` lists them with their causes.

    ``orphans`` lists what the plan leaves although its map no longer configures it
    (:class:`~dockermap.map.plan.orphans.Orphan` records). With ``skip_unreachable``, ``unreachable``
    and ``untouched`` say what the plan leaves alone. ``str`` lists both after the actions.
    """

    def __init__(self, actions: Iterable[Any] = ()) -> None:
        super().__init__(actions)
        self.orphans: List[Any] = []

    def __str__(self) -> str:
        lines = [str(action) for action in self] + [str(orphan) for orphan in self.orphans]
        lines += self.skipped_lines()
        return "\n".join(lines) or "nothing to do"
