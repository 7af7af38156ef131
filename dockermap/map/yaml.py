"""Loading container maps and client configurations from YAML (safe loading only).

Built-in tags (registered on :class:`MapLoader` only, never globally on ``yaml.SafeLoader``):

* ``!path`` — expand environment variables and ``~`` in a string, or in the string items of a
  sequence, or in the string values of a mapping (first level);
* ``!path_lazy`` — the same, expanded on first use;
* ``!env`` — substitute ``${VAR}`` and ``${VAR:-default}`` (default when unset or empty), in the same
  places; an unset variable without a default is an error naming it and the position in the file;
* ``!env_lazy`` — the same, substituted on first use.

Values written with another tag inside a tagged sequence or mapping are left to that tag, so the tags
nest. Tags that code registers on ``yaml.SafeLoader`` (as code written for the classic library does) or
on :class:`MapLoader` work as well, also when registered later, and take precedence over a built-in tag
of the same name; a tag nobody registered is an error.

Errors are raised as :class:`YAMLLoadError` (a ``ValueError``), naming file, line and column where
known: syntax errors, invalid UTF-8 or characters YAML does not allow, a key given twice in one mapping,
an alias inside the node it refers to (a recursive structure), refused tags. The map itself may raise
:class:`~dockermap.map.exceptions.MapIntegrityError`.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from typing import Any, Callable, Dict, Iterator, List, MutableMapping, Optional, TypeVar, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from dockermap.functional import lazy_once
from dockermap.utils import expand_path, expand_path_lazy

from .config.client import ClientConfiguration
from .config.main import ContainerMap
from .exceptions import YAMLLoadError as YAMLLoadError
from .input.build import resolve_build_contexts as resolve_build_contexts

_Node = TypeVar("_Node", bound=Node)

__all__ = [
    "MapLoader",
    "YAMLLoadError",
    "load_clients",
    "load_clients_file",
    "load_file",
    "load_map",
    "load_map_file",
]

_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PYTHON_TAG = "tag:yaml.org,2002:python/"
_TAGS = ("!path", "!path_lazy", "!env", "!env_lazy")
_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _where(name: Any, line: int, column: int) -> str:
    where = f"line {line + 1}, column {column + 1}"
    return f"{name}, {where}" if isinstance(name, str) and name and not name.startswith("<") else where


def _position(mark: Any) -> str:
    if mark is None:
        return ""
    return _where(getattr(mark, "name", ""), mark.line, mark.column)


def _at(mark: Any, message: str) -> YAMLLoadError:
    position = _position(mark)
    return YAMLLoadError(f"{position}: {message}" if position else message)


def _error(node: Node, message: str) -> YAMLLoadError:
    return _at(node.start_mark, message)


class _Constructors(MutableMapping):
    """The constructors :class:`MapLoader` looks tags up in, in this order: tags registered on
    :class:`MapLoader`, then those of ``yaml.SafeLoader`` (read at each look-up, so that later
    registrations count), then the built-in tags; any other tag is refused with its position."""

    def __init__(self) -> None:
        self.registered: Dict[Any, Callable[..., Any]] = {}
        self.builtin: Dict[Any, Callable[..., Any]] = {}

    def __getitem__(self, tag: Any) -> Callable[..., Any]:
        if tag in self.registered:
            return self.registered[tag]
        safe = yaml.SafeLoader.yaml_constructors
        if tag is not None and tag in safe:
            return safe[tag]
        if tag in self.builtin:
            return self.builtin[tag]
        if tag is None:
            return _refuse_tag
        raise KeyError(tag)

    def __setitem__(self, tag: Any, constructor: Callable[..., Any]) -> None:
        self.registered[tag] = constructor

    def __delitem__(self, tag: Any) -> None:
        del self.registered[tag]

    def __iter__(self) -> Iterator[Any]:
        tags = [*self.registered, *yaml.SafeLoader.yaml_constructors, *self.builtin, None]
        return iter(dict.fromkeys(tags))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def copy(self) -> _Constructors:  # PyYAML copies the table when a subclass registers a tag
        copied = _Constructors()
        copied.registered = dict(self.registered)
        copied.builtin = self.builtin
        return copied


class MapLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` with the tags ``!path``, ``!path_lazy``, ``!env`` and ``!env_lazy``, which
    refuses duplicate keys and recursive aliases."""

    # PyYAML only reads and writes items of this table; its stubs declare it a dict.
    yaml_constructors = _Constructors()  # type: ignore[assignment]

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._open_anchors: List[str] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open_anchors:
                raise _at(
                    event.start_mark,
                    f"alias *{event.anchor} refers to a node that contains it; recursive structures "
                    "are not allowed",
                )
        return super().compose_node(parent, index)

    def _compose_open(self, compose: Callable[[Any], _Node], anchor: Optional[str]) -> _Node:
        if anchor is None:
            return compose(anchor)
        self._open_anchors.append(anchor)
        try:
            return compose(anchor)
        finally:
            self._open_anchors.pop()

    # ``anchor`` is the anchor name (or ``None``); PyYAML's stubs declare a dict.
    def compose_sequence_node(self, anchor: Any) -> SequenceNode:
        return self._compose_open(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor: Any) -> MappingNode:
        return self._compose_open(super().compose_mapping_node, anchor)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> Dict[Any, Any]:
        seen: Dict[Any, Any] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue  # merged keys may be overridden
            key = self.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node.start_mark)
            except TypeError:
                continue  # unhashable: refused below
            if first is not key_node.start_mark:
                raise _at(
                    key_node.start_mark,
                    f"duplicate key {key!r} in one mapping (first at line {first.line + 1}, "
                    f"column {first.column + 1})",
                )
        return super().construct_mapping(node, deep=deep)


def substitute_env(value: str, where: str = "") -> str:
    """Replace ``${VAR}`` and ``${VAR:-default}`` in ``value`` from the environment.

    :raises YAMLLoadError: for an unset variable without default, or a malformed reference.
    """
    suffix = f" ({where})" if where else ""

    def replace(match: re.Match) -> str:
        name, sep, default = match.group(1).partition(":-")
        if not _NAME.fullmatch(name):
            expected = "expected ${NAME} or ${NAME:-default}"
            raise YAMLLoadError(f"Invalid variable reference {match.group(0)!r}{suffix}: {expected}.")
        current = os.environ.get(name)
        if current:
            return current
        if sep:
            return default
        if current is not None:
            return current
        raise YAMLLoadError(
            f"Environment variable {name!r} is not set{suffix}; set it or use ${{{name}:-default}}."
        )

    result = _REFERENCE.sub(replace, value)
    if "${" in _REFERENCE.sub("", value):
        raise YAMLLoadError(f"Unclosed variable reference in {value!r}{suffix}: expected ${{NAME}}.")
    return result


def _env_now(value: str, node: Node) -> str:
    return substitute_env(value, _position(node.start_mark))


def _env_lazy(value: str, node: Node) -> Any:
    return lazy_once(substitute_env, value, _position(node.start_mark))


def _path_now(value: str, node: Node) -> str:  # noqa: ARG001 -- same signature as the other converters
    return expand_path(value)


def _path_lazy(value: str, node: Node) -> Any:  # noqa: ARG001
    return expand_path_lazy(value)


def _is_plain_text(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _STR_TAG


def _tag_constructor(convert: Callable[[str, Node], Any]) -> Callable[[MapLoader, Node], Any]:
    """Constructor applying ``convert`` to a scalar, or to the untagged strings of a sequence or mapping."""

    def construct(loader: MapLoader, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return convert(loader.construct_scalar(node), node)
        if isinstance(node, SequenceNode):
            items = loader.construct_sequence(node, deep=True)
            return [
                convert(item, child) if _is_plain_text(child) else item
                for item, child in zip(items, node.value)
            ]
        node = cast(MappingNode, node)  # the third kind of node
        mapping = loader.construct_mapping(node, deep=True)  # also flattens merge keys in node.value
        for key_node, value_node in node.value:
            if _is_plain_text(value_node):
                key = loader.construct_object(key_node, deep=True)
                mapping[key] = convert(mapping[key], value_node)
        return mapping

    return construct


def _refuse_tag(loader: MapLoader, node: Node) -> Any:  # noqa: ARG001
    if node.tag.startswith(_PYTHON_TAG):
        raise _error(node, f"Python object tags are not allowed ({node.tag}); maps are loaded safely.")
    raise _error(
        node,
        f"unknown tag {node.tag!r}; supported tags are {', '.join(_TAGS)} and those registered on "
        "yaml.SafeLoader",
    )


for _tag, _convert in zip(_TAGS, (_path_now, _path_lazy, _env_now, _env_lazy)):
    MapLoader.yaml_constructors.builtin[_tag] = _tag_constructor(_convert)


def _line_column(text: str, index: int) -> Any:
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def _text(data: Any, name: Any) -> str:
    """The document as text: bytes are decoded as UTF-8 (or UTF-16 with its byte order mark)."""
    if isinstance(data, str):
        return data
    data = bytes(data)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "UTF-16"
    else:
        encoding = "UTF-8"
        data = data[len(codecs.BOM_UTF8) :] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode(encoding, "replace")
        line, column = _line_column(prefix, len(prefix))
        raise YAMLLoadError(
            f"{_where(name, line, column)}: invalid {encoding} (byte 0x{data[exc.start]:02x}): {exc.reason}"
        ) from None


class _LibyamlEvents(MapLoader):
    """:class:`MapLoader` reading its parser events from libyaml: the same nodes and values, several
    times faster on large maps. A document libyaml rejects is read again by :class:`MapLoader`, so
    that its error is reported in the same words."""

    def __init__(self, text: str, name: Any) -> None:
        super().__init__(text)  # checks the characters of the whole text
        if isinstance(name, str):
            self.name = name
        source = io.StringIO(text)
        source.name = self.name  # libyaml's marks carry it
        self._events = yaml.cyaml.CParser(source)  # type: ignore[attr-defined]  # not in the stubs

    def check_event(self, *choices: Any) -> bool:
        return self._events.check_event(*choices)

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        return self._events.get_event()

    def dispose(self) -> None:
        self._events.dispose()
        super().dispose()


def _load(stream: Any) -> Any:
    name = getattr(stream, "name", None)
    text = _text(stream.read() if hasattr(stream, "read") else stream, name)
    if getattr(yaml, "__with_libyaml__", False):
        try:
            fast = _LibyamlEvents(text, name)
            try:
                return fast.get_single_data()
            finally:
                fast.dispose()
        except (yaml.YAMLError, RecursionError):
            pass  # reported by the pure-Python loader below
    try:
        loader = MapLoader(text)  # checks the characters of the whole text
    except yaml.reader.ReaderError as exc:
        line, column = _line_column(text, exc.position)
        raise YAMLLoadError(
            f"{_where(name, line, column)}: invalid YAML: character #x{exc.character:04x}: {exc.reason}"
        ) from None
    if isinstance(name, str):
        loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        position = _position(exc.problem_mark or exc.context_mark)
        details = "; ".join(part for part in (exc.context, exc.problem) if part)
        raise YAMLLoadError(f"{position}: invalid YAML: {details}" if position else details) from exc
    except yaml.YAMLError as exc:
        raise YAMLLoadError(f"invalid YAML: {exc}") from exc
    except RecursionError:
        raise YAMLLoadError("invalid YAML: the document is nested too deeply") from None
    finally:
        loader.dispose()


def _load_path(filename: str, loader: Callable[..., Any], **kwargs: Any) -> Any:
    try:
        with open(filename, "rb") as stream:
            return loader(stream, **kwargs)
    except OSError as exc:
        raise YAMLLoadError(f"Cannot read {filename}: {exc.strerror or exc}") from exc


def load_file(filename: str, data: Optional[bytes] = None) -> Any:
    """The data of a YAML file (with dockermap's tags); ``data``: its bytes, when they have been read."""
    if data is None:
        return _load_path(filename, _load)
    stream = io.BytesIO(data)
    stream.name = filename  # named in error messages
    return _load(stream)


def _mapping(document: Any, what: str) -> Dict[Any, Any]:
    if not isinstance(document, dict):
        found = "an empty document" if document is None else f"a {type(document).__name__}"
        raise YAMLLoadError(f"Valid {what} could not be decoded: expected a mapping, found {found}.")
    return document


def load_map(
    stream: Any, name: Optional[str] = None, check_integrity: bool = True, check_duplicates: bool = True
) -> ContainerMap:
    """Read a :class:`~dockermap.map.config.main.ContainerMap` from a YAML stream or string.

    The map name is ``name``, else the document's top-level ``name`` key (which is never read as a
    container configuration). Relative ``build`` contexts are taken relative to the directory of a
    file stream (else they stay relative to the current directory).
    """
    document = _mapping(_load(stream), "map")
    document_name = document.pop("name", None)
    map_name = name or document_name
    if not map_name:
        raise YAMLLoadError("No map name provided, and none found in YAML stream.")
    if not isinstance(map_name, str):
        raise YAMLLoadError(f"Invalid map name {map_name!r}: expected a string.")
    container_map = ContainerMap(
        map_name, document, check_integrity=check_integrity, check_duplicates=check_duplicates
    )
    file_name = getattr(stream, "name", None)
    if isinstance(file_name, str) and os.path.isfile(file_name):
        resolve_build_contexts(container_map, os.path.dirname(os.path.abspath(file_name)))
    return container_map


def load_map_file(
    filename: str, name: Optional[str] = None, check_integrity: bool = True, check_duplicates: bool = True
) -> ContainerMap:
    """:func:`load_map` for a file; ``name=''`` takes the file name without extension as map name."""
    if name == "":
        name = os.path.splitext(os.path.basename(filename))[0]
    return _load_path(
        filename, load_map, name=name, check_integrity=check_integrity, check_duplicates=check_duplicates
    )


def load_clients(stream: Any, configuration_class: type = ClientConfiguration) -> Dict[str, Any]:
    """Client name → ``configuration_class(**settings)`` from a YAML stream or string."""
    document = _mapping(_load(stream), "configuration")
    clients = {}
    for client_name, settings in document.items():
        settings = {} if settings is None else settings
        if not (isinstance(settings, dict) and all(isinstance(key, str) for key in settings)):
            raise YAMLLoadError(f"Client {client_name!r}: expected a mapping of settings.")
        try:
            clients[client_name] = configuration_class(**settings)
        except (TypeError, ValueError) as exc:
            raise YAMLLoadError(f"Client {client_name!r}: {exc}") from exc
    return clients


def load_clients_file(filename: str, configuration_class: type = ClientConfiguration) -> Dict[str, Any]:
    """:func:`load_clients` for a file."""
    return _load_path(filename, load_clients, configuration_class=configuration_class)
