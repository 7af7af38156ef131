"""What a run returns: one :data:`ActionOutput` per action that ran, collected in :class:`RunResults`.

This module does not import the Docker SDK, so a call that finds nothing to do can return its (empty)
results without loading the runner.
"""

from __future__ import annotations

from collections import namedtuple
from typing import List

from ..exceptions import SkippedClientsMixin

#: Output of one action that ran: ``action_type`` is the action's kind, ``result`` what its SDK calls
#: returned (e.g. the ``create_container`` result; ``None`` for most verbs).
ActionOutput = namedtuple("ActionOutput", "client_name config_id action_type result")


class RunResults(SkippedClientsMixin, List[ActionOutput]):
    """The outputs of the actions that ran, in order; with ``skip_unreachable``, ``unreachable`` and
    ``untouched`` say what the run left alone."""
