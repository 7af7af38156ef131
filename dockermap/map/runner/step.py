"""What every verb function receives: the action, its client, the desired record and the options."""

from __future__ import annotations

from typing import Any, Dict, Set, Tuple, Type, TypeVar

from dockermap.client.protocol import DockerClient
from dockermap.records import field, record

from ..exceptions import describe_item
from ..items import Action
from ..plan.options import PlanOptions

T = TypeVar("T")

#: What a run reports to its ``listener`` about each action, in this order (``failed`` instead of ``done``).
WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"


@record
class Step:
    """One action about to run, with everything its verb function needs."""

    action: Action
    client: DockerClient
    #: The desired record of the item (``None`` when the item is not configured, e.g. for ``remove``).
    desired: Any
    options: PlanOptions
    #: ``(client name, registry)`` pairs the runner already logged in to (shared by all its steps).
    logins: Set[Tuple[str, str]] = field(default_factory=set)
    #: Id of the run (one per runner), in the labels of the helper objects it makes.
    run_id: str = ""

    @property
    def core_image(self) -> str:
        """Image of volume preparation helpers on this action's client."""
        return self.options.core_image_of(self.action.client)

    @property
    def args(self) -> Dict[str, Any]:
        """The keywords the plan gave this action."""
        return self.action.args

    def required_arg(self, key: str) -> Any:
        """An argument this verb cannot do without; a clear error if the plan did not give it."""
        if key not in self.action.args:
            action = self.action
            raise ValueError(
                f"cannot {action.kind} {action.item_type.value} {action.name!r}: argument {key!r} missing"
            )
        return self.action.args[key]

    def require(self, record_type: Type[T]) -> T:
        """The desired record, which this verb cannot do without; a clear error if it is missing."""
        if not isinstance(self.desired, record_type):
            action = self.action
            raise ValueError(
                f"cannot {action.kind} {action.item_type.value} {action.name!r} on client {action.client!r}: "
                f"no {record_type.__name__} record for {describe_item(action.config_id)}"
            )
        return self.desired
