"""Service ``extends``: a service built on another one, of the same file or of another file.

The extended service (itself resolved first, so extends can be nested) is the base; the extending
service is merged over it with the rules of :mod:`.merge`. A relative ``file`` is found from the
directory of the file that names it, and the relative paths of a service taken from another file stay
relative to that file. A cycle is reported with every step of it.
"""

from __future__ import annotations

import os
from typing import Callable, Dict, List, Sequence, Tuple

from .exceptions import ComposeFileError, ComposeProblem, dotted
from .merge import merge
from .paths import rebased_service
from .tree import SourceMap

#: Key of a service: (absolute file, service name).
ServiceKey = Tuple[str, str]


class _Failure(Exception):
    """An ``extends`` that cannot be resolved (the problem is already recorded)."""


class Extender:
    """Resolves the ``extends`` of services; ``documents(path)`` gives the (cached) document of a file."""

    def __init__(self, documents: Callable[[str], SourceMap], problems: List[ComposeProblem]) -> None:
        self.documents = documents
        self.problems = problems
        self.resolved: Dict[ServiceKey, SourceMap] = {}

    def resolve_file(self, document: SourceMap, file: str) -> None:
        """Replace each service of ``document`` (read from ``file``) that extends another by the result."""
        services = document.get("services")
        if not isinstance(services, SourceMap):
            return
        failed = []
        for name, service, place in services.entries():
            if isinstance(service, SourceMap) and "extends" in service:
                try:
                    services.put(name, self._service(file, str(name), ()), place, services.tags.get(name, ""))
                except _Failure:
                    failed.append(name)
        for name in failed:
            services.drop(name)

    def _problem(self, service: SourceMap, path: Tuple[str, ...], key: str, message: str) -> _Failure:
        extends = service.get("extends")
        place = extends.places.get(key, extends.place) if isinstance(extends, SourceMap) and key else None
        file, line = place or service.places["extends"]
        problem = ComposeProblem(file, line, dotted((*path, "extends", *([key] if key else []))), message)
        if problem not in self.problems:
            self.problems.append(problem)
        return _Failure()

    def _target(self, service: SourceMap, file: str, path: Tuple[str, ...]) -> ServiceKey:
        """The file and name of the service that ``service`` extends."""
        extends = service["extends"]
        if isinstance(extends, str):
            return file, extends
        if not isinstance(extends, SourceMap) or not isinstance(extends.get("service"), str):
            raise self._problem(
                service, path, "", "expected a service name or a mapping with 'service' and 'file'"
            )
        unknown = sorted(str(key) for key in extends if key not in ("service", "file"))
        if unknown:
            raise self._problem(service, path, unknown[0], "unknown key; valid keys are service and file")
        other = extends.get("file")
        if other is None:
            return file, extends["service"]
        if not isinstance(other, str):
            raise self._problem(service, path, "file", f"expected a path, found {other!r}")
        return os.path.normpath(os.path.join(os.path.dirname(file), other)), extends["service"]

    def _check_base(self, service: SourceMap, path: Tuple[str, ...], target: ServiceKey) -> None:
        """Fail unless the file that ``target`` names can be read and has the service."""
        target_file, target_name = target
        try:
            services = self.documents(target_file).get("services")
        except ComposeFileError as exc:
            reasons = "; ".join(
                problem.message if problem.file == target_file and not problem.line else str(problem)
                for problem in exc.problems
            )
            raise self._problem(service, path, "file", f"cannot load {target_file}: {reasons}") from None
        base = services.get(target_name) if isinstance(services, SourceMap) else None
        if not isinstance(base, SourceMap):
            raise self._problem(service, path, "service", f"no service {target_name!r} in {target_file}")

    def _service(self, file: str, name: str, chain: Sequence[ServiceKey]) -> SourceMap:
        """The service ``name`` of ``file`` with its ``extends`` resolved."""
        key = (file, name)
        if key in self.resolved:
            return self.resolved[key]
        service = self.documents(file)["services"][name]
        if not isinstance(service, SourceMap) or "extends" not in service:
            return service
        path = ("services", name)
        target = self._target(service, file, path)
        if target in (*chain, key):
            steps = [*(chain[chain.index(target) :] if target in chain else ()), key, target]
            raise self._problem(
                service, path, "", "extends cycle: " + " -> ".join(_step(step) for step in steps)
            )
        self._check_base(service, path, target)
        base = self._service(target[0], target[1], (*chain, key))
        if os.path.dirname(target[0]) != os.path.dirname(file):
            base = rebased_service(base, os.path.dirname(target[0]))
        local = service.clone()
        local.drop("extends")
        resolved = merge(base, local, path)
        resolved.place = service.place
        self.resolved[key] = resolved
        return resolved


def _step(key: ServiceKey) -> str:
    return f"{key[1]} ({os.path.basename(key[0])})"
