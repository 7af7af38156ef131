"""The ``script`` generator: run a one-off container of the requested configuration.

Dependencies are brought up with the *resume* rules: missing items are created (absent images are
pulled), containers that exited with a nonrecoverable code are recreated, stopped ones are started, and
a container whose attached volume was just created gets a new container (the classic library
failed on this case).
"""

from __future__ import annotations

from ..exceptions import ScriptActionException
from ..flags import State, StateFlags
from ..input import ItemType
from ..items import ActionKind
from ..names import DEFAULT_CLIENT_NAME
from .assess import ItemKey, ItemState, is_running, stopped_cause
from .builder import PlanBuilder


def _resume_container(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    flags = state.state_flags
    initial = bool(flags & StateFlags.INITIAL)
    owner = (key[0], key[1].map_name, key[1].config_name)
    if state.base_state is State.ABSENT:
        b.create_missing(key, start=True)
    elif owner in b.new_volume_owners and not (initial and state.base_state is State.PRESENT):
        b.recreate_container(key, is_running(state), "recreate: its attached volume was created")
    elif flags & StateFlags.NONRECOVERABLE:
        b.recreate_container(key, False, "recreate: " + "; ".join(state.extra_data["causes"]))
    elif state.base_state is State.PRESENT and not flags & StateFlags.RESTARTING:
        if initial or not flags & StateFlags.PERSISTENT:
            b.start_container(key, initial, stopped_cause(state))


def resume_item(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    """Append what is needed to make a dependency usable again, without updating it."""
    kind = key[1].config_type
    if kind is ItemType.CONTAINER:
        _resume_container(b, key, state)
    elif state.base_state is State.ABSENT:
        b.create_missing(key, start=True)
        if kind is ItemType.VOLUME:
            b.new_volume_owners.add((key[0], key[1].map_name, key[1].config_name))


def script_item(b: PlanBuilder, key: ItemKey, state: ItemState) -> None:
    """Resume dependencies; run the script in the requested container (removing an old one if allowed)."""
    if key[1].config_type is not ItemType.CONTAINER or not b.is_requested(key):
        resume_item(b, key, state)
        return
    if state.base_state is not State.ABSENT:
        if not b.options.remove_existing_before:
            where = "" if key[0] == DEFAULT_CLIENT_NAME else f" on client {key[0]}"
            raise ScriptActionException(
                f"Container {b.desired[key].name} existed{where} prior to running the script."
            )
        b.remove_container(key, is_running(state), "remove_existing_before is set")
    b.add(key, ActionKind.SCRIPT, "script run requested", b.call_args(key))
