"""The result of planning: a list of actions that prints one action per line with its cause."""

from __future__ import annotations

from typing import Any, FrozenSet, Iterable, List, Optional

from ..exceptions import SkippedClientsMixin
from ..items import Action
from .graph import action_steps


class Plan(SkippedClientsMixin, List[Action]):
    """Actions in an order they can run in; ``str(plan)`` lists them with their causes.

    ``depends_on`` holds, for each action, the indexes of the earlier actions it waits for
    (:func:`~dockermap.map.plan.graph.action_dependencies`); a runner may run the others at the same
    time. When some actions can run together, ``str`` starts each line with its step number, ``[1]``
    for those that wait for nothing: actions with the same number run together.

    ``orphans`` lists what the plan leaves although its map no longer configures it
    (:class:`~dockermap.map.plan.orphans.Orphan` records). With ``skip_unreachable``, ``unreachable``
    and ``untouched`` say what the plan leaves alone. ``str`` lists both after the actions.
    """

    depends_on: Optional[List[FrozenSet[int]]] = None

    def __init__(self, actions: Iterable[Any] = ()) -> None:
        super().__init__(actions)
        self.orphans: List[Any] = []

    def steps(self) -> Optional[List[int]]:
        """The step number of each action, if the edges are known and match the actions."""
        if self.depends_on is None or len(self.depends_on) != len(self):
            return None
        return action_steps(self.depends_on)

    def __str__(self) -> str:
        steps = self.steps()
        lines = [str(action) for action in self]
        if steps and len(set(steps)) < len(steps):
            lines = [f"[{step}] {line}" for step, line in zip(steps, lines)]
        lines += [str(orphan) for orphan in self.orphans]
        lines += self.skipped_lines()
        return "\n".join(lines) or "nothing to do"
