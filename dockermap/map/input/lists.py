"""``NamedTupleList`` — lists that convert their input to named tuples — and the simple list types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Callable, ClassVar, List, SupportsIndex, Tuple, Type, Union

from dockermap.functional import lazy_type, uses_type_registry

from .tuples import ContainerLink, ExecCommand, PortBinding, build
from .values import invalid, is_lazy, is_text


def unsupported(value: Any) -> ValueError:
    """The detail for a value whose type matches no accepted form."""
    return ValueError(f"unsupported type {type(value).__name__}")


class NamedTupleList(list):
    """A list whose items are converted to ``element_type`` tuples when added.

    Accepts ``None`` (empty), a single element in any accepted form, a list (or other iterable) of
    them, or a dict whose items are converted as ``(key, value)`` pairs. An instance of the same
    class is taken over as it is. Malformed input raises ``ValueError`` naming the accepted forms.
    """

    __slots__ = ()

    element_type: ClassVar[Union[Type[tuple], Tuple[Type[tuple], ...]]] = tuple
    #: Name of one element in error messages.
    kind: ClassVar[str] = "element"
    #: The accepted forms of one element, for error messages.
    forms: ClassVar[str] = "a tuple"
    #: Types that, outside a list, are one element.
    single_types: ClassVar[Tuple[type, ...]] = (str, lazy_type)

    def __init__(self, values: Any = None) -> None:
        super().__init__()
        self.extend(values)

    def extend(self, values: Any) -> None:
        """Append every element of ``values`` (see the class description for the accepted input)."""
        super().extend(values if isinstance(values, type(self)) else self._listed(values))

    # Takes what ``extend`` takes, single values too; typeshed's ``list.__add__`` only takes lists.
    def __iadd__(self, values: Any) -> NamedTupleList:  # type: ignore[misc]
        self.extend(values)
        return self

    def append(self, value: Any) -> None:
        """Append one element, converted with :meth:`get_type_item`."""
        super().append(self.get_type_item(value))

    def insert(self, index: SupportsIndex, value: Any) -> None:
        """Insert one element, converted with :meth:`get_type_item`."""
        super().insert(index, self.get_type_item(value))

    def get_type_item(self, value: Any) -> Any:
        """Convert one element to ``element_type``; ``ValueError`` if it has no accepted form."""
        return self._checked(self._convert, value)

    def _checked(self, convert: Callable[..., Any], value: Any, *args: Any) -> Any:
        try:
            return convert(value, *args)
        except ValueError as exc:
            raise invalid(self.kind, value, self.forms, str(exc)) from exc

    def _convert(self, value: Any) -> Any:
        raise NotImplementedError

    def _listed(self, values: Any) -> List[Any]:
        if values is None:
            return []
        if uses_type_registry(values):
            return [values]
        if isinstance(values, self.element_type) or isinstance(values, self.single_types):
            return [self.get_type_item(values)]
        if isinstance(values, Mapping):
            return [self.get_type_item(item) for item in values.items()]
        if isinstance(values, Iterable) and not isinstance(values, (bytes, bytearray)):
            return [self.get_type_item(item) for item in values]
        raise invalid(
            f"{self.kind} list",
            values,
            f"None, a single {self.kind}, a list or tuple of them, or a dict of (key, value) pairs; "
            f"a {self.kind} is {self.forms}",
        )


class ContainerLinkList(NamedTupleList):
    """``links``: :class:`ContainerLink` elements; a whole dict maps container → alias (or ``None``)."""

    __slots__ = ()

    element_type = ContainerLink
    kind = "container link"
    forms = "'container', (container[, alias]), a dict with container/alias keys or a ContainerLink"

    def _convert(self, value: Any) -> ContainerLink:
        if isinstance(value, ContainerLink):
            return value
        if isinstance(value, str):
            return ContainerLink(value)
        if isinstance(value, (list, tuple)):
            return build(ContainerLink, value)
        if isinstance(value, Mapping):
            return build(ContainerLink, (), value)
        raise unsupported(value)


class PortBindingList(NamedTupleList):
    """``exposes``: :class:`PortBinding` elements; a whole dict maps exposed port → host port spec."""

    __slots__ = ()

    element_type = PortBinding
    single_types = (int, str, lazy_type)
    kind = "port binding"
    forms = (
        "a port, (port,), (port, host_port), (port, {options}), (port, (host_port, interface[, ipv6])), "
        "(port, host_port, interface[, ipv6]), a dict with exposed_port/host_port/interface/ipv6 keys "
        "or a PortBinding (a port is a number or a string such as '53/udp')"
    )

    def _convert(self, value: Any) -> PortBinding:
        if isinstance(value, PortBinding):
            return value
        if isinstance(value, (int, str)):
            return PortBinding(value)
        if isinstance(value, (list, tuple)):
            if len(value) == 2:
                return self._with_host_spec(*value)
            if len(value) in (1, 3, 4):
                return PortBinding(*value)
            raise ValueError(f"{len(value)} values")
        if isinstance(value, Mapping):
            return build(PortBinding, (), value)
        raise unsupported(value)

    @staticmethod
    def _with_host_spec(port: Any, spec: Any) -> PortBinding:
        if isinstance(spec, Mapping):
            return build(PortBinding, (port,), spec)
        if spec is None or isinstance(spec, (int, str)) or is_lazy(spec):
            return PortBinding(port, spec)
        if isinstance(spec, (list, tuple)) and len(spec) in (2, 3):
            return PortBinding(port, *spec)
        raise ValueError(f"unsupported host port specification of type {type(spec).__name__}")


class ExecCommandList(NamedTupleList):
    """``exec_commands``: :class:`ExecCommand` elements; a whole dict maps command → user."""

    __slots__ = ()

    element_type = ExecCommand
    kind = "exec command"
    forms = (
        "a command string or lazy value, (cmd[, user[, policy]]) where cmd may be a list (exec form), "
        "a dict with cmd/user/policy keys or an ExecCommand (policy 'restart', 'initial' or 'keep_running')"
    )

    def _convert(self, value: Any) -> ExecCommand:
        if isinstance(value, ExecCommand):
            return value
        if is_text(value):
            return ExecCommand(value)
        if isinstance(value, (list, tuple)):
            return build(ExecCommand, value)
        if isinstance(value, Mapping):
            return build(ExecCommand, (), value)
        raise unsupported(value)
