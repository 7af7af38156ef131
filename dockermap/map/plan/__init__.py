"""Planning: from desired and observed records to the actions that make an engine match (pure, no I/O).

:func:`plan` returns a :class:`Plan`, a list of :class:`~dockermap.map.items.Action` records, each with
a readable cause, and the earlier actions each one waits for; :func:`config_states` gives the classic
per-item states; :func:`update_pulls` the pulls an ``update`` makes before it plans.

Modules: :mod:`.generate` (the generator of each action, and :func:`plan`), :mod:`.update` (the update
rules), :mod:`.volumes` (volume recreation with consent, leftovers of interrupted runs, the helper
image), :mod:`.script` (script and resume rules), :mod:`.ownership` (objects that are not dockermap's),
:mod:`.builder` (appends action sequences and remembers their effects), :mod:`.assess` (item states),
:mod:`.container` (update checks of a container), :mod:`.settings` (changed keys from the settings
label, secrets by key only), :mod:`.detail` (field rules on inspected containers), :mod:`.endpoints`
(network connections), :mod:`.graph` (the edges between actions), :mod:`.limits` (in-place updatable
values), :mod:`.orphans` (labelled objects no longer configured), :mod:`.options`, :mod:`.result`.
"""

from .assess import ItemKey, ItemState, assess_item, config_states
from .generate import GENERATORS, REMOVING_ACTIONS, plan
from .options import PlanOptions
from .result import Plan
from .update import update_pulls

__all__ = [
    "GENERATORS",
    "ItemKey",
    "ItemState",
    "Plan",
    "PlanOptions",
    "REMOVING_ACTIONS",
    "assess_item",
    "config_states",
    "plan",
    "update_pulls",
]
