"""Line numbers of the keys and items of a YAML document, so that errors can say where a value is."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple, Type

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

Path = Tuple[Any, ...]


class KeyLines:
    """Path of keys and list indexes → 1-based line; a path not recorded gets its closest parent's line."""

    def __init__(self, lines: Dict[Path, int]) -> None:
        self._lines = lines

    @classmethod
    def of_node(cls, node: Optional[Node]) -> KeyLines:
        """The lines of the keys and items below ``node`` (an empty document has none)."""
        if node is None:
            return cls({(): 1})
        lines: Dict[Path, int] = {(): node.start_mark.line + 1}
        pending: List[Tuple[Path, Node]] = [((), node)]
        while pending:
            path, current = pending.pop()
            if isinstance(current, MappingNode):
                for key_node, value_node in current.value:
                    key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
                    child = (*path, key)
                    lines.setdefault(child, key_node.start_mark.line + 1)
                    pending.append((child, value_node))
            elif isinstance(current, SequenceNode):
                for index, item in enumerate(current.value):
                    child = (*path, index)
                    lines[child] = item.start_mark.line + 1
                    pending.append((child, item))
        return cls(lines)

    def line(self, path: Path) -> int:
        """Line of ``path`` or of its closest recorded parent."""
        path = tuple(path)
        while path not in self._lines:
            path = path[:-1]
        return self._lines[path]


def load_with_lines(
    text: str, source: str = "<string>", loader_class: Type[yaml.SafeLoader] = yaml.SafeLoader
) -> Tuple[Any, KeyLines]:
    """``(data, key lines)`` of a YAML document read with ``loader_class`` (a safe loader).

    :raises yaml.YAMLError: for invalid YAML (with its position).
    """
    loader = loader_class(text)
    loader.name = source
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
        return data, KeyLines.of_node(node)
    finally:
        loader.dispose()
