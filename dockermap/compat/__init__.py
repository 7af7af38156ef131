"""Names kept for code written against docker-map 1.x: thin aliases onto today's design, in one place.

* ``dockermap.map.action`` → :mod:`dockermap.compat.action`: the action name enums, each with today's
  action ``kind``; ``ItemAction`` raises, naming the replacement.
* ``dockermap.map.policy.base.BasePolicy`` and ``MappingDockerClient.policy_class`` →
  :class:`dockermap.compat.policy.BasePolicy`: the name helpers (``cname``, ``aname``, ``nname``,
  ``get_hostname``, ``resolve_cname``) and the dependency look-ups.
* ``dockermap.map.policy.utils`` → :mod:`dockermap.compat.policy_utils`.
* ``dockermap.map.runner.AbstractRunner`` and ``ActionConfig`` → :mod:`dockermap.compat.runner`;
  ``AbstractRunner`` raises when instantiated, naming the replacement.
* The flags of ``dockermap.map.state`` and ``dockermap.map.policy`` (``State``, ``StateFlags``,
  ``ConfigFlags``, ``ConfigState``) are the core names of :mod:`dockermap.map.flags`;
  ``dockermap.docker_api`` and ``dockermap.map.base`` are core modules.

The core never imports this package. The classic paths are modules that re-export from here, except
where the classic name belongs to a core module (``dockermap.map.runner``): there a module
``__getattr__`` loads it from here on first use (:func:`classic_name`), so importing dockermap never
loads this package.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict

#: Classic names of core modules that are kept here: core module -> name -> module of this package.
CLASSIC_NAMES: Dict[str, Dict[str, str]] = {
    "dockermap.map.runner": {"AbstractRunner": "runner", "ActionConfig": "runner"},
}


def classic_name(module: str, name: str) -> Any:
    """The classic ``name`` of the core ``module`` (for its module ``__getattr__``).

    :raises AttributeError: as for any missing attribute, when ``name`` is not a classic name there.
    """
    place = CLASSIC_NAMES.get(module, {}).get(name)
    if place is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{place}"), name)
