"""The :class:`Runner`: executes actions as their dependencies allow, records their outputs, and
reports failures.

A failing action stops the run with an :class:`~dockermap.map.exceptions.ActionRunnerException`
that carries the client, the config id, the action kind, the Docker error (also chained as
``__cause__``), the outputs of the actions that already ran, and says what was already done on the
failing item, e.g. that a container was created but not started.
"""

from __future__ import annotations

import uuid
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Set, Tuple, Union

from dockermap.client.protocol import DockerClient
from dockermap.log import logger
from dockermap.map.exceptions import UnknownClientError

from ..exceptions import ActionRunnerException, ActionTypeException, ContainerNotReady
from ..input import ItemType, MapConfigId
from ..items import Action, ActionKind
from ..labels import copy_volume_name
from ..names import DEFAULT_CLIENT_NAME
from ..plan.graph import ItemRef, action_dependencies, item_ref
from ..plan.options import PlanOptions
from . import containers, images, networks, script, volumes
from .results import ActionOutput
from .schedule import run_graph
from .step import DONE, FAILED, RUNNING, WAITING, Step

log = logger(__name__)

Verb = Callable[[Step], Any]


def keep(step: Step) -> None:
    """``skip``: leave an object that is not dockermap's in place, and say so (the cause says whose)."""
    log.warning("%s", step.action)


#: The function for each (item type, action kind).
VERBS: Dict[ItemType, Dict[ActionKind, Verb]] = {
    ItemType.CONTAINER: {
        ActionKind.CREATE: containers.create,
        ActionKind.START: containers.start,
        ActionKind.STOP: containers.stop,
        ActionKind.KILL: containers.kill,
        ActionKind.RESTART: containers.restart,
        ActionKind.REMOVE: containers.remove,
        ActionKind.UPDATE: containers.update,
        ActionKind.CONNECT: containers.connect,
        ActionKind.DISCONNECT: containers.disconnect,
        ActionKind.EXEC: containers.exec_commands,
        ActionKind.SCRIPT: script.run_script,
    },
    ItemType.VOLUME: {
        ActionKind.CREATE: volumes.create,
        ActionKind.REMOVE: volumes.remove,
        ActionKind.PREPARE: volumes.prepare,
        ActionKind.CLEAN: volumes.clean,
        ActionKind.BACKUP: volumes.backup,
        ActionKind.RESTORE: volumes.restore,
        ActionKind.REMOVE_COPY: volumes.remove_copy,
        ActionKind.SKIP: keep,
    },
    ItemType.NETWORK: {
        ActionKind.CREATE: networks.create,
        ActionKind.REMOVE: networks.remove,
        ActionKind.DISCONNECT: networks.disconnect,
        ActionKind.SKIP: keep,
    },
    ItemType.IMAGE: {ActionKind.PULL: images.pull, ActionKind.BUILD: images.build},
}


#: The actions whose verbs call nothing but what a :class:`~dockermap.client.direct.DirectClient` makes
#: itself.
WITHOUT_SDK = {
    (ItemType.CONTAINER, ActionKind.STOP),
    (ItemType.CONTAINER, ActionKind.KILL),
    (ItemType.CONTAINER, ActionKind.REMOVE),
    (ItemType.VOLUME, ActionKind.REMOVE),
    (ItemType.NETWORK, ActionKind.REMOVE),
}


def describe_progress(action: Action, done: List[ActionKind]) -> str:
    """A sentence saying what the run already did on the item of a failed ``action`` (kinds in order)."""
    what = f"{action.item_type.value} {_on_client(action.name, action.client)}"
    if action.item_type is ItemType.CONTAINER:
        state = _container_state(done)
        if state == "created":
            return f"The {what} was created but not started; the next update will start or recreate it."
        if state == "removed":
            return f"The {what} was removed and not created again; the next update will create it."
    if action.item_type is ItemType.VOLUME and ActionKind.BACKUP in done and ActionKind.RESTORE not in done:
        return (
            f"The data of the {what} is in volume {copy_volume_name(action.name)}; the next update with "
            "recreate_volumes='copy' copies it back."
        )
    if done:
        return f"Already done on the {what} before this failure: {', '.join(done)}."
    return f"Nothing was done on the {what} before this failure."


def _connection_note(action: Action, exc: BaseException) -> str:
    """A line saying that the engine of the action's client went away, if that is why it failed."""
    from ..reachability import unreachable_reason  # imports the SDK: only needed after a failure

    reason = unreachable_reason(exc, timeouts=False)
    return f"The engine of client {action.client} cannot be reached: {reason}.\n" if reason else ""


def _container_state(done: List[ActionKind]) -> Optional[str]:
    # What the last state-changing actions left: 'created' (not started), 'removed', or None.
    state = None
    for kind in done:
        if kind == ActionKind.CREATE:
            state = "created"
        elif kind == ActionKind.REMOVE:
            state = "removed"
        elif kind in (ActionKind.START, ActionKind.RESTART):
            state = None
    return state


def _on_client(name: str, client: str) -> str:
    return name if client == DEFAULT_CLIENT_NAME else f"{name} on client {client}"


def _left_created(done: Mapping[ItemRef, List[ActionKind]], failed: Iterable[Action]) -> str:
    """A line naming the other containers this run created and did not start (their start had not
    begun when the failure came)."""
    skip = {item_ref(action) for action in failed}
    names = sorted(
        _on_client(name, client)
        for (client, item_type, name), kinds in done.items()
        if item_type is ItemType.CONTAINER
        and (client, item_type, name) not in skip
        and _container_state(kinds) == "created"
    )
    if not names:
        return ""
    return f"\nCreated but not started, the next update will start them: {', '.join(names)}."


def _failure(
    failures: List[Tuple[Action, BaseException, List[ActionKind]]],
    results: List[ActionOutput],
    done: Mapping[ItemRef, List[ActionKind]],
) -> ActionRunnerException:
    """The error for the first failed action; failures of actions that ran beside it, and containers
    left created, are added."""
    action, exc, item_done = failures[0]
    if isinstance(exc, ContainerNotReady):
        progress = f"The container {action.name} was started; the containers that depend on it were not."
    else:
        progress = _connection_note(action, exc) + describe_progress(action, item_done)
    for other, other_exc, _ in failures[1:]:
        progress += (
            f"\nAlso failed at the same time: {other.kind} {other.item_type.value} {other.name}: {other_exc}"
        )
    progress += _left_created(done, (failed for failed, _, _ in failures))
    error = ActionRunnerException(
        exc, action.client, action.config_id, action.kind, list(results), progress, action.name
    )
    error.__cause__ = exc
    return error


class Runner:
    """Executes plan actions on the engines of ``clients``.

    :param clients: Client name → Docker client.
    :param desired: ``(client name, MapConfigId)`` → desired record, for the arguments of each action.
    :param options: the call's options (a mapping is read by :meth:`PlanOptions.parse`).
    """

    def __init__(
        self,
        clients: Mapping[str, DockerClient],
        desired: Mapping[Tuple[str, MapConfigId], Any],
        options: Union[PlanOptions, Mapping[str, Any], None] = None,
    ) -> None:
        self.clients = clients
        self.desired = desired
        self.options = options if isinstance(options, PlanOptions) else PlanOptions.parse(call=options)
        self._logins: Set[Tuple[str, str]] = set()
        self.run_id = uuid.uuid4().hex[:12]

    def run(self, actions: Iterable[Action], earlier: Iterable[ActionOutput] = ()) -> List[ActionOutput]:
        """Run ``actions``, each as soon as the actions it waits for finished (``max_workers`` at a time;
        one runs them in order); returns one :class:`ActionOutput` per action, after ``earlier``, in the
        order they completed.

        The edges come from ``actions.depends_on`` (a :class:`~dockermap.map.plan.Plan`) or are computed
        from the desired records. ``earlier`` are outputs of a previous run belonging to the same call
        (e.g. the image pulls an ``update`` makes before it plans); they count as already done when a
        failure is reported.

        :raises ActionRunnerException: for the first failure, once the actions running beside it
          finished (no other action starts after a failure), with the outputs of every action that
          completed as ``results``.
        """
        depends_on = getattr(actions, "depends_on", None)
        actions = list(actions)
        if depends_on is None or len(depends_on) != len(actions):
            depends_on = action_dependencies(actions, self.desired)
        self._prepare_clients(actions)
        self._tell(actions, WAITING)
        results: List[ActionOutput] = list(earlier)
        done: Dict[ItemRef, List[ActionKind]] = {}
        failures: List[Tuple[Action, BaseException, List[ActionKind]]] = []
        completions = run_graph(
            actions, depends_on, self._run_one, self.options.max_workers, self.options.client_workers
        )
        for index, result, exc in completions:
            action = actions[index]
            item_done = done.setdefault(item_ref(action), [])
            if exc is not None:
                self._tell([action], FAILED)
                failures.append((action, exc, list(item_done)))
                continue
            self._tell([action], DONE)
            item_done.append(action.kind)
            results.append(ActionOutput(action.client, action.config_id, action.kind, result))
        if failures:
            raise _failure(failures, results, done)
        return results

    def _prepare_clients(self, actions: List[Action]) -> None:
        """Let a client that makes only some calls itself (a ``DirectClient``) load the Docker SDK in the
        background when the run will need it: meanwhile the first actions (stops) wait for the engine."""
        for name in {
            action.client for action in actions if (action.item_type, action.kind) not in WITHOUT_SDK
        }:
            prepare = getattr(self.clients.get(name), "prepare_sdk", None)
            if callable(prepare):
                prepare()

    def _tell(self, actions: Iterable[Action], state: str) -> None:
        if self.options.listener is not None:
            for action in actions:
                self.options.listener(action, state)

    def _run_one(self, action: Action) -> Any:
        verb = VERBS.get(action.item_type, {}).get(action.kind)
        if verb is None:
            raise ActionTypeException(action.config_id, action.kind)
        try:
            client = self.clients[action.client]
        except KeyError:
            raise UnknownClientError(
                f"no Docker client named {action.client!r}; known: {', '.join(sorted(self.clients))}"
            ) from None
        log.info("%s", action)
        self._tell([action], RUNNING)
        desired = self.desired.get((action.client, action.config_id))
        return verb(Step(action, client, desired, self.options, self._logins, self.run_id))
