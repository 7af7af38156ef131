"""Small helpers for paths, lists, image tags and the names error messages suggest."""

from __future__ import annotations

import os
from typing import Any, Iterable, List, Optional, Sequence

from dockermap.functional import LazyOnceObject, lazy_once


def expand_path(value: str) -> str:
    """Expand environment variables, then ``~``, in a path."""
    return os.path.expanduser(os.path.expandvars(value))


def expand_path_lazy(value: str) -> LazyOnceObject:
    """Like :func:`expand_path`, but expanded on first use."""
    return lazy_once(expand_path, value)


def merge_list(merged_list: List[Any], items: Iterable[Any]) -> None:
    """Append in place every item of ``items`` not yet in ``merged_list``, keeping the order.

    Repeats within ``items`` are added only once. Items must be hashable.
    """
    if not items:
        return
    present = set(merged_list)
    for item in items:
        if item not in present:
            present.add(item)
            merged_list.append(item)


def format_image_tag(image_tag: Sequence[Any]) -> str:
    """Format an image name and tag pair as ``'name:tag'``."""
    return f"{image_tag[0]}:{image_tag[1]}"


def closest_name(name: Any, valid: Iterable[str], cutoff: float = 0.6) -> Optional[str]:
    """The valid name most like ``name`` (for a "did you mean" hint), or ``None`` when none is close or
    ``name`` is no string. :mod:`difflib` is imported here, only when a message needs it."""
    if not isinstance(name, str):
        return None
    import difflib

    match = difflib.get_close_matches(name, list(valid), n=1, cutoff=cutoff)
    return match[0] if match else None
