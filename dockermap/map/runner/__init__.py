"""Run a plan: execute :class:`~dockermap.map.items.Action` records on Docker Engines.

This is the only part of :mod:`dockermap.map` that changes an engine. Each action kind (``create``,
``start``, ``prepare``, ...) maps to one function per item type that issues the Docker SDK calls; the
arguments come from the plain :mod:`desired records <dockermap.map.items>` (SDK objects such as the host
config are built here, with the client's API version).

Modules: :mod:`.base` (the :class:`Runner` and its errors), :mod:`.schedule` (runs the actions as a
dependency graph with a bounded pool), :mod:`.readiness` (waits until a started container is ready),
:mod:`.results` (what a run returns), :mod:`.step` (what a verb receives), :mod:`.containers`,
:mod:`.volumes` (incl. owner/mode preparation), :mod:`.networks`, :mod:`.images` (pull and login),
:mod:`.script` (one-off script containers), :mod:`dockermap.map.runner.utils` (SDK helpers).
"""

from typing import TYPE_CHECKING, Any

from .results import ActionOutput, RunResults

if TYPE_CHECKING:
    from .base import Runner
    from .step import Step

__all__ = ["ActionOutput", "RunResults", "Runner", "Step"]


def __getattr__(name: str) -> Any:
    # The runner itself imports the Docker SDK: it is loaded on first use, so that a call that changes
    # nothing never imports it.
    if name == "Runner":
        from .base import Runner

        return Runner
    if name == "Step":
        from .step import Step

        return Step
    if name.islower():  # a submodule not imported yet (``from . import containers``): never a classic name
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # The classic AbstractRunner and ActionConfig, kept in dockermap.compat (loaded on first use).
    from dockermap.compat import classic_name

    return classic_name(__name__, name)
