"""The Compose model of a project: its files read, their services extended, merged, and includes added."""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

from .exceptions import ComposeProblem
from .extends import Extender
from .files import load_document
from .include import include_projects
from .merge import merge
from .tree import SourceMap
from .variables import Lookup


class _Documents:
    """The documents of a project's files, each read and interpolated once."""

    def __init__(self, lookup: Lookup, problems: List[ComposeProblem]) -> None:
        self.lookup = lookup
        self.problems = problems
        self.loaded: Dict[str, SourceMap] = {}

    def __call__(self, path: str) -> SourceMap:
        if path not in self.loaded:
            document, found = load_document(path, self.lookup)
            self.problems.extend(found)
            self.loaded[path] = document
        return self.loaded[path]


def load_model(
    paths: Sequence[str],
    project_dir: str,
    lookup: Lookup,
    problems: List[ComposeProblem],
    chain: Tuple[str, ...] = (),
) -> SourceMap:
    """The merged model of the Compose files ``paths`` (absolute; later ones override earlier ones).

    Each file's services have their ``extends`` resolved before the files are merged; ``include`` is
    applied to the merged model. Problems are added to ``problems``.

    :raises ComposeFileError: if a file cannot be read or is not a YAML mapping.
    """
    documents = _Documents(lookup, problems)
    extender = Extender(documents, problems)
    model = SourceMap(documents(paths[0]).place)
    for path in paths:
        document = documents(path)
        extender.resolve_file(document, path)
        model = merge(model, document)

    def load_included(
        included: List[str], directory: str, variables: Lookup, included_chain: Tuple[str, ...]
    ) -> SourceMap:
        return load_model(included, directory, variables, problems, included_chain)

    include_projects(model, project_dir, lookup, problems, load_included, chain or tuple(paths))
    return model
