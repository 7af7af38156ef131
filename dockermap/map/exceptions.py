"""Errors raised while checking container maps and while running actions on them.

Hierarchy (:class:`~dockermap.exceptions.DockerMapError` is the root of every dockermap error)::

    DockerMapError
    ├── ActionTypeException (ActionExceptionMixin)
    │       a runner has no method for this action on this kind of item
    ├── ActionException (SourceExceptionMixin, ClientExceptionMixin, ActionExceptionMixin)
    │       one action failed; ``source_exception`` holds the original error
    ├── ActionRunnerException (SourceExceptionMixin, ClientExceptionMixin, ActionExceptionMixin,
    │   PartialResultsMixin)
    │       running a list of actions stopped at a failing one; ``results`` holds the outputs of
    │       the actions completed before it
    ├── MapIntegrityError
    │       the map configuration is inconsistent; ``problems`` lists every problem found
    │       as ConfigProblem(location, message)
    ├── VolumeChangeRefused (ClientExceptionMixin, ValueError)
    │       a volume holding data would have to be recreated, and no ``recreate_volumes`` was given
    ├── VolumeInUseError (ValueError)
    │       a volume must be recreated, but containers outside the plan use it
    ├── VolumeHelperError (RuntimeError)
    │       a helper container that prepares, copies or restores a volume failed
    ├── MapConfigurationError (ValueError)
    │       a value of a checked map cannot be used while planning (an unknown volume alias,
    │       network or instance, a reserved option); the message names map, configuration and key
    ├── UnknownClientError (LookupError)
    │       a plan names a client the runner has no Docker client for
    ├── ForeignObjectError
    │       objects under names the plan wants are not dockermap's (unlabelled, or another
    │       owner's); ``objects`` lists them as ForeignObject(client, kind, name, owner,
    │       unlabelled)
    ├── ContainerNotReady
    │       a started container did not meet its readiness condition (unhealthy, failed, timed out)
    ├── ScriptRunException
    │       the script runner could not create its container
    ├── ScriptActionException
    │       a script was to run in a container that already exists
    ├── UnreachableClientsError
    │       the engines of some clients could not be reached while observing; nothing was changed;
    │       ``unreachable`` lists them as UnreachableClient(client_name, address, reason)
    ├── ConfigurationNotFound (KeyError, ValueError)
    │       a requested map or configuration does not exist
    └── YAMLLoadError (ValueError)
            a YAML document could not be loaded: syntax error, refused tag, unset variable,
            wrong structure; the message names file, line and column

    ActionExceptionMixin    carries ``config_id`` and ``action_type``
    ClientExceptionMixin    carries ``client_name``
    SkippedClientsMixin     carries what a call with ``skip_unreachable`` left alone (also used by
                            plans and run results)

``SourceExceptionMixin`` and ``PartialResultsMixin`` come from :mod:`dockermap.exceptions`.
"""

# Without ``from __future__ import annotations``: typing.NamedTuple compiles each field's annotation
# when it is a string, which made importing this module several times slower.
from typing import Any, List, NamedTuple, Optional, Sequence, Tuple, Union

from dockermap.exceptions import DockerMapError, PartialResultsMixin, SourceExceptionMixin

#: An exception instance or a ``sys.exc_info()`` tuple, as accepted by ``SourceExceptionMixin``.
SourceException = Union[BaseException, Tuple[Any, ...]]


def _kind(config_id: Any) -> str:
    kind = getattr(config_id, "config_type", None)
    return str(getattr(kind, "value", kind or "item"))


def describe_item(config_id: Any, name: Optional[str] = None) -> str:
    """An item as plans name it: ``container main.web``, ``image nginx:latest``, ``volume main.data``.

    ``name`` is the engine name; without it, the name follows from the id (map, configuration and
    instance, or image name and tag).
    """
    if name is None:
        fields = [getattr(config_id, key, None) for key in ("map_name", "config_name", "instance_name")]
        if _kind(config_id) == "image":
            name = f"{fields[1]}:{fields[2]}" if fields[2] else str(fields[1])
        else:
            name = ".".join(str(field) for field in fields if field)
    return f"{_kind(config_id)} {name}"


def error_text(exc: BaseException) -> str:
    """What an error says, without its type: the engine's own message for engine errors (the Docker
    SDK's ``explanation``, :attr:`~dockermap.exceptions.DockerStatusError.engine_message`)."""
    for attribute in ("engine_message", "explanation"):
        value = getattr(exc, attribute, None)
        if value:
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return str(exc) or type(exc).__name__


def failure_sentence(action_type: Any, config_id: Any, client_name: str, exc: Any, name: Any = None) -> str:
    """``pull image nosuch/img:2 on client __default__ failed: <the engine's message>``."""
    item = describe_item(config_id, name)
    return f"{action_type} {item} on client {client_name} failed: {error_text(exc)}"


class ActionExceptionMixin:
    """Carries the configuration id and the action type an error is about."""

    def __init__(self, config_id: Any, action_type: Any, *args: Any, **kwargs: Any) -> None:
        self._config_id = config_id
        self._action_type = action_type
        super().__init__(*args, **kwargs)

    @property
    def config_id(self) -> Any:
        """The ``MapConfigId`` of the item the action was for."""
        return self._config_id

    @property
    def action_type(self) -> Any:
        """The action type that failed or was not available."""
        return self._action_type


class ClientExceptionMixin:
    """Carries the name of the client an error happened on."""

    def __init__(self, client_name: str, *args: Any, **kwargs: Any) -> None:
        self._client_name = client_name
        super().__init__(*args, **kwargs)

    @property
    def client_name(self) -> str:
        """Name of the client configuration the action ran on."""
        return self._client_name


class UnreachableClient(NamedTuple):
    """A client whose engine could not be reached: where it was looked for and why it failed."""

    client_name: str
    address: str
    reason: str

    def __str__(self) -> str:
        return f"client {self.client_name} ({self.address}): {self.reason}"


class ActionTypeException(ActionExceptionMixin, DockerMapError):
    """A runner has no method for the action type on this kind of item."""

    def __init__(self, config_id: Any, action_type: Any) -> None:
        super().__init__(config_id, action_type)

    @property
    def config_type(self) -> Any:
        """The item type (``ItemType``) of the configuration id."""
        return self._config_id.config_type

    def __str__(self) -> str:
        return f"There is no action {self._action_type} for a {_kind(self._config_id)}."


class ActionException(SourceExceptionMixin, ClientExceptionMixin, ActionExceptionMixin, DockerMapError):
    """A single action failed; ``source_exception`` holds the original error."""

    def __init__(self, src_exc: SourceException, client_name: str, config_id: Any, action_type: Any) -> None:
        super().__init__(src_exc, client_name, config_id, action_type)

    def __str__(self) -> str:
        return failure_sentence(self._action_type, self._config_id, self._client_name, self._src_exc[1])


class SkippedClientsMixin:
    """What a call with ``skip_unreachable`` left alone: ``unreachable`` lists the clients
    (:class:`UnreachableClient`), ``untouched`` the items (:class:`~dockermap.map.items.UntouchedItem`) on
    them. Both are empty when every client was reached."""

    unreachable: Sequence[UnreachableClient] = ()
    untouched: Sequence[Any] = ()

    def skip(self, unreachable: Sequence[UnreachableClient], untouched: Sequence[Any]) -> None:
        """Record the unreachable clients and the untouched items."""
        self.unreachable = list(unreachable)
        self.untouched = list(untouched)

    def skipped_lines(self) -> List[str]:
        """One line per untouched item, then one per unreachable client."""
        return [str(item) for item in self.untouched] + [
            f"unreachable {client}" for client in self.unreachable
        ]


class ActionRunnerException(
    SourceExceptionMixin,
    ClientExceptionMixin,
    ActionExceptionMixin,
    PartialResultsMixin,
    SkippedClientsMixin,
    DockerMapError,
):
    """Running a list of actions stopped at a failing one; ``results`` holds the completed outputs.

    The message names the action and the item as the plan does, says what failed with the engine's
    message, then what was already done: ``progress`` is that sentence, e.g.
    ``The container main.web was created but not started; ...``. ``item_name`` is the engine name of
    the item (else it follows from ``config_id``).
    """

    def __init__(
        self,
        src_exc: SourceException,
        client_name: str,
        config_id: Any,
        action_type: Any,
        partial_results: Any,
        progress: str = "",
        item_name: Optional[str] = None,
    ) -> None:
        super().__init__(src_exc, client_name, config_id, action_type, partial_results)
        self.progress = progress
        self.item_name = item_name

    @classmethod
    def from_action_exception(
        cls, action_exc: ActionException, partial_results: Any
    ) -> "ActionRunnerException":
        """Wrap an :class:`ActionException`, adding the results completed before it."""
        return cls(
            action_exc.source_exception,
            action_exc.client_name,
            action_exc.config_id,
            action_exc.action_type,
            partial_results,
        )

    def __str__(self) -> str:
        text = failure_sentence(
            self._action_type, self._config_id, self._client_name, self._src_exc[1], self.item_name
        )
        return "\n".join([text, *([self.progress] if self.progress else []), *self.skipped_lines()])


class ContainerNotReady(DockerMapError):
    """A started container did not become ready: ``container`` (engine name), ``condition`` (the
    :class:`~dockermap.map.readiness.Readiness`) and ``detail`` (what happened, with the last healthcheck
    output or log lines)."""

    def __init__(self, container: str, condition: Any, detail: str) -> None:
        super().__init__(f"container {container} is not ready: waited for {condition}, but {detail}")
        self.container = container
        self.condition = condition
        self.detail = detail


class ConfigProblem(NamedTuple):
    """One problem in a map configuration.

    ``location`` is dotted, e.g. ``main.web.binds`` or ``main.web.binds[1]``; empty if unknown.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class MapIntegrityError(DockerMapError):
    """The map configuration is inconsistent.

    Accepts either a single message or a list of :class:`ConfigProblem`, so that all problems of a
    map are reported at once.
    """

    def __init__(self, message_or_problems: Union[str, Sequence[ConfigProblem]]) -> None:
        super().__init__(message_or_problems)
        if isinstance(message_or_problems, str):
            self._problems = [ConfigProblem("", message_or_problems)]
            self._message = message_or_problems
        else:
            self._problems = [ConfigProblem(*problem) for problem in message_or_problems]
            self._message = _describe_problems(self._problems)

    @property
    def problems(self) -> List[ConfigProblem]:
        """Every problem found."""
        return self._problems

    @property
    def message(self) -> str:
        """Readable text describing the problems."""
        return self._message

    def __str__(self) -> str:
        return self._message


def _describe_problems(problems: List[ConfigProblem]) -> str:
    lines = [f"{len(problems)} problem(s) in container map configuration:"]
    lines.extend(f"  - {problem}" for problem in problems)
    return "\n".join(lines)


class ForeignObject(NamedTuple):
    """An engine object under a name dockermap wants that it did not create for that item.

    ``owner`` says whom it belongs to (from its labels) or that it is unlabelled (then ``unlabelled``).
    """

    client: str
    kind: str
    name: str
    owner: str
    unlabelled: bool = False

    def __str__(self) -> str:
        where = "" if self.client == "__default__" else f" on client {self.client}"
        return f"{self.kind} {self.name}{where} {self.owner}"


class ForeignObjectError(DockerMapError):
    """A plan would touch objects that are not dockermap's; it is refused before anything changes."""

    def __init__(self, objects: Sequence[ForeignObject]) -> None:
        self.objects = list(objects)
        lines = [
            f"{len(self.objects)} object(s) under names this map wants were not created by dockermap "
            f"for it; nothing was changed:"
        ]
        lines.extend(f"  - {found}" for found in self.objects)
        if any(found.unlabelled for found in self.objects):
            lines.append(
                "Unlabelled objects can be adopted with adopt_unlabelled=True (see the running guide); "
                "remove or rename the others."
            )
        super().__init__("\n".join(lines))


class ScriptRunException(DockerMapError):
    """The script runner could not create its container."""


class ScriptActionException(DockerMapError):
    """A script was to run in a container that already exists."""


class UnreachableClientsError(DockerMapError):
    """The engines of some clients could not be reached while observing; nothing was changed on any client.

    ``unreachable`` lists each such client with its address and the reason; the first connection error
    is chained as ``__cause__``.
    """

    def __init__(self, unreachable: Sequence[UnreachableClient]) -> None:
        self._unreachable = list(unreachable)
        super().__init__(self._unreachable)

    @property
    def unreachable(self) -> List[UnreachableClient]:
        """Every client that could not be reached."""
        return self._unreachable

    def __str__(self) -> str:
        lines = ["Cannot reach the Docker Engine of:"]
        lines.extend(f"  - {client}" for client in self._unreachable)
        lines.append(
            "Nothing was changed on any client. Pass skip_unreachable=True to go on with the reachable ones."
        )
        return "\n".join(lines)


class VolumeChangeRefused(ClientExceptionMixin, DockerMapError, ValueError):
    """An existing volume is configured differently, and recreating it was not allowed.

    Raised while planning, before anything changes. ``volume`` is the engine name, ``differences`` the
    readable differences (driver, each driver option), ``copy`` the temporary copy of the volume that an
    interrupted run left, if any.
    """

    def __init__(self, client_name: str, volume: str, differences: Sequence[str], copy: str = "") -> None:
        self.volume = volume
        self.differences = list(differences)
        self.copy = copy
        super().__init__(client_name)

    def __str__(self) -> str:
        where = "" if self._client_name == "__default__" else f" on client {self._client_name!r}"
        text = (
            f"volume {self.volume}{where} is configured differently: {'; '.join(self.differences)}. "
            "Recreating it would lose its data, so nothing was changed. To proceed, call again with "
            "recreate_volumes='copy' (keep the data) or recreate_volumes='discard' (start empty), or "
            "restore the previous volume configuration."
        )
        if self.copy:
            text += f" An interrupted copy left the volume's data also in volume {self.copy}."
        return text


class ConfigurationNotFound(DockerMapError, KeyError, ValueError):
    """A requested map or configuration does not exist (a ``KeyError`` and a ``ValueError``)."""

    def __str__(self) -> str:
        return str(self.args[0])


class YAMLLoadError(DockerMapError, ValueError):
    """A YAML document could not be loaded: syntax error, refused tag, unset variable, wrong structure."""


class MapConfigurationError(DockerMapError, ValueError):
    """A value of a map cannot be used while planning (e.g. an unknown volume alias, network or instance);
    the message names map, configuration and key."""


class VolumeInUseError(DockerMapError, ValueError):
    """A volume must be recreated, but containers not in the plan use it; ``containers`` names them."""

    def __init__(self, client_name: str, volume: str, containers: Sequence[str]) -> None:
        self.client_name = client_name
        self.volume = volume
        self.containers = list(containers)
        super().__init__(
            f"volume {volume} on client {client_name!r} must be recreated, but containers not in this plan "
            f"use it: {', '.join(self.containers)}; include them in the update"
        )


class VolumeHelperError(DockerMapError, RuntimeError):
    """A helper container that prepares, copies or restores a volume failed; the message holds its output."""


class UnknownClientError(DockerMapError, LookupError):
    """A plan names a client that the runner has no Docker client for."""
