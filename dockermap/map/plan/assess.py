"""The state of each item of a plan: base state, condition flags and extra data.

This is the classic assessment, computed from desired and observed records without an engine. Besides
the classic extra data, ``extra_data['causes']`` lists readable reasons for every flag that requires a
new item (``StateFlags.NEEDS_RESET``).
"""

# Without ``from __future__ import annotations``: typing.NamedTuple compiles each field's annotation
# when it is a string, which made importing this module several times slower.
from typing import Any, Collection, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple

from ..exceptions import describe_item
from ..flags import ConfigFlags, ConfigState, State, StateFlags
from ..input import MapConfigId
from ..items import (
    DesiredContainer,
    DesiredImage,
    DesiredNetwork,
    DesiredVolume,
    ObservedClient,
    ObservedNetwork,
    ObservedVolume,
)
from .container import ContainerCheck, check_container
from .options import PlanOptions

#: ``(client name, config id)``: one item on one client.
ItemKey = Tuple[str, MapConfigId]


class ItemState(NamedTuple):
    """What :func:`assess_item` found: the classic ``(base_state, state_flags, extra_data)``, and for an
    existing container assessed for ``update``, the checks (what can be fixed in place)."""

    base_state: State
    state_flags: StateFlags
    extra_data: Dict[str, Any]
    check: Optional[ContainerCheck] = None


def _absent() -> ItemState:
    return ItemState(State.ABSENT, StateFlags.NONE, {"causes": []})


def _forced(config_id: MapConfigId, options: PlanOptions, causes: List[str]) -> StateFlags:
    if config_id in options.force_update:
        causes.append("update forced")
        return StateFlags.FORCED_RESET
    return StateFlags.NONE


def _container(
    desired: DesiredContainer, client: ObservedClient, options: PlanOptions, update: bool
) -> ItemState:
    found = client.containers.get(desired.name)
    if found is None:
        return _absent()
    causes: List[str] = []
    extra: Dict[str, Any] = {"id": found.id, "causes": causes}
    flags = StateFlags.PERSISTENT if desired.persistent else StateFlags.NONE
    if found.status in ("running", "paused"):
        base = State.RUNNING
    else:
        base = State.PRESENT
        extra["exit_code"] = found.exit_code
        if found.never_started:
            flags |= StateFlags.INITIAL
        elif found.status == "restarting":
            flags |= StateFlags.RESTARTING
        elif found.exit_code in options.nonrecoverable_exit_codes:
            flags |= StateFlags.NONRECOVERABLE
            causes.append(f"exited with code {found.exit_code}, listed in nonrecoverable_exit_codes")
    flags |= _forced(desired.config_id, options, causes)
    check = None
    if update and not flags & StateFlags.NEEDS_RESET:
        check = check_container(desired, found, client, options)
        flags |= check.flags
        causes.extend(check.causes)
    return ItemState(base, flags, extra, check)


def _text(values: Mapping[str, Any]) -> Dict[str, str]:
    return {str(key): str(value) for key, value in (values or {}).items()}


def _present_flags(
    config_id: MapConfigId, options: PlanOptions, mismatch: List[str]
) -> Tuple[StateFlags, List[str]]:
    """Flags and causes of a present volume or network: forced, and/or configured differently."""
    causes: List[str] = []
    flags = _forced(config_id, options, causes)
    if mismatch:
        flags |= StateFlags.MISC_MISMATCH
        causes.extend(mismatch)
    return flags, causes


def _volume(desired: DesiredVolume, client: ObservedClient, options: PlanOptions, update: bool) -> ItemState:
    found = client.volumes.get(desired.name)
    if found is None:
        return _absent()
    mismatch = volume_mismatch(desired, found) if update else []
    flags, causes = _present_flags(desired.config_id, options, mismatch)
    return ItemState(State.PRESENT, flags, {"causes": causes})


def volume_mismatch(desired: DesiredVolume, found: ObservedVolume) -> List[str]:
    """The driver and each driver option that differs, added or removed (option values are not shown:
    they may hold credentials)."""
    mismatch = []
    driver = desired.driver or "local"
    if (found.driver or "local") != driver:
        mismatch.append(f"volume driver is {found.driver}, expected {driver}")
    have, want = _text(found.options), _text(desired.driver_opts)
    for key in sorted(set(have) | set(want)):
        if key not in want:
            mismatch.append(f"driver option {key} is set on the volume but no longer configured")
        elif key not in have:
            mismatch.append(f"driver option {key} is configured but not set on the volume")
        elif have[key] != want[key]:
            mismatch.append(f"driver option {key} has a different value")
    return mismatch


def connected_containers(client: ObservedClient, network: str) -> List[str]:
    """Names of the observed containers connected to ``network``."""
    return [name for name, container in client.containers.items() if network in container.networks]


def _network(
    desired: DesiredNetwork, client: ObservedClient, options: PlanOptions, update: bool
) -> ItemState:
    found = client.networks.get(desired.name)
    if found is None:
        return _absent()
    mismatch = _network_mismatch(desired, found) if update else []
    flags, causes = _present_flags(desired.config_id, options, mismatch)
    extra = {"id": found.id, "containers": connected_containers(client, desired.name), "causes": causes}
    return ItemState(State.PRESENT, flags, extra)


#: Drivers that keep exactly the options a network was created with (others may add their own).
_DRIVERS_WITH_EXACT_OPTIONS = ("bridge",)


def _network_mismatch(desired: DesiredNetwork, found: ObservedNetwork) -> List[str]:
    """Driver, driver options and ``internal``.

    An option on the engine that the map no longer sets is a difference where the driver stores only
    what it was given (``bridge``); other drivers may add options of their own, which are ignored.
    """
    mismatch = []
    driver = desired.driver or "bridge"
    if found.driver != driver:
        mismatch.append(f"network driver is {found.driver}, expected {driver}")
    have, want = _text(found.options), _text(desired.options)
    for key, value in want.items():
        if have.get(key) != value:
            mismatch.append(f"driver option {key} is {have.get(key)!r}, expected {value!r}")
    if driver in _DRIVERS_WITH_EXACT_OPTIONS:
        mismatch.extend(
            f"driver option {key} is {have[key]!r}, expected none" for key in have if key not in want
        )
    if bool(found.internal) != bool(desired.internal):
        mismatch.append(f"internal is {bool(found.internal)}, expected {bool(desired.internal)}")
    return mismatch


def _image(desired: DesiredImage, client: ObservedClient) -> ItemState:
    image_id = client.images.get(desired.ref)
    if image_id is None:
        return _absent()
    return ItemState(State.PRESENT, StateFlags.NONE, {"id": image_id, "causes": []})


def assess_item(
    desired: Any, client: ObservedClient, options: PlanOptions, update: bool = False
) -> ItemState:
    """The state of one desired item on its client; ``update`` adds the checks of the update rules."""
    if isinstance(desired, DesiredContainer):
        return _container(desired, client, options, update)
    if isinstance(desired, DesiredVolume):
        return _volume(desired, client, options, update)
    if isinstance(desired, DesiredNetwork):
        return _network(desired, client, options, update)
    if isinstance(desired, DesiredImage):
        return _image(desired, client)
    raise TypeError(f"not a desired record: {desired!r}")


def lookup(
    key: ItemKey, desired: Mapping[ItemKey, Any], observed: Mapping[str, ObservedClient]
) -> Tuple[Any, ObservedClient]:
    """The desired record and the observed client of an item; a clear error when either is missing."""
    client, config_id = key
    if key not in desired:
        raise ValueError(f"no desired record for {describe_item(config_id)} on client {client!r}")
    if client not in observed:
        raise ValueError(f"client {client!r} was not observed (needed for {describe_item(config_id)})")
    return desired[key], observed[client]


def config_states(
    action_name: str,
    ordered_ids: Sequence[ItemKey],
    desired: Mapping[ItemKey, Any],
    observed: Mapping[str, ObservedClient],
    options: Optional[PlanOptions] = None,
    requested: Optional[Collection[ItemKey]] = None,
) -> List[ConfigState]:
    """The classic :class:`~dockermap.map.flags.ConfigState` of every item, in plan order.

    Items not in ``requested`` (default: all are requested) are flagged ``ConfigFlags.DEPENDENT``. The
    update checks are applied for ``action_name == 'update'``.
    """
    options = options or PlanOptions()
    states = []
    for key in ordered_ids:
        record, client = lookup(key, desired, observed)
        state = assess_item(record, client, options, update=action_name == "update")
        flags = ConfigFlags.NONE if requested is None or key in requested else ConfigFlags.DEPENDENT
        states.append(
            ConfigState(key[0], key[1], flags, state.base_state, state.state_flags, state.extra_data)
        )
    return states


def is_running(state: ItemState) -> bool:
    """Running, paused or being restarted by the engine: it must be stopped before it is removed."""
    return state.base_state is State.RUNNING or bool(state.state_flags & StateFlags.RESTARTING)


def stopped_cause(state: ItemState) -> str:
    """Why a container is started: it never was, or it exited."""
    if state.state_flags & StateFlags.INITIAL:
        return "container was never started"
    code = state.extra_data.get("exit_code")
    return "container is stopped" if code is None else f"container exited with code {code}"


def has_completed(record: Any, state: ItemState) -> bool:
    """A one-shot container (readiness ``completed``) that already exited with code 0: it is not started
    again until its configuration changes (then it is recreated and runs once more)."""
    return (
        isinstance(record, DesiredContainer)
        and record.ready.condition == "completed"
        and state.base_state is State.PRESENT
        and not state.state_flags & StateFlags.INITIAL
        and state.extra_data.get("exit_code") == 0
    )
