"""Resolution of ``extends``: a configuration merged on top of its (recursively extended) bases."""

from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from dockermap.map.exceptions import ConfigProblem

from .container import ContainerConfiguration

Lookup = Callable[[str], Optional[ContainerConfiguration]]


def _merged(config: ContainerConfiguration, bases: List[ContainerConfiguration]) -> ContainerConfiguration:
    if not bases:
        return config
    result = ContainerConfiguration()
    for base in bases:
        result.merge_from_obj(base)
    result.merge_from_obj(config)
    return result


def extend_configs(
    names: Iterable[str], lookup: Lookup, map_name: str
) -> Tuple[Dict[str, ContainerConfiguration], List[ConfigProblem]]:
    """Extended form of each named configuration (bases memoised, no recursion), and the problems found.

    A configuration without ``extends`` is returned as it is. An unknown base or a cycle is a problem at
    ``<map>.<config>.extends``; configurations depending on a failed one are left out silently.
    """

    def known(name: str) -> ContainerConfiguration:
        # A configuration of ``names`` or a base already looked up.
        config = lookup(name)
        if config is None:
            raise KeyError(name)
        return config

    names = list(names)
    done: Dict[str, ContainerConfiguration] = {}
    failed: Set[str] = set()
    problems: List[ConfigProblem] = []
    for start in names:
        if start in done or start in failed:
            continue
        if not known(start).extends:
            done[start] = known(start)
            continue
        path = [start]
        pending = [iter(known(start).extends)]
        while pending:
            name = path[-1]
            for base in pending[-1]:
                if base in failed:
                    failed.add(name)
                elif base in done:
                    continue
                elif base in path:
                    cycle = " -> ".join(f"{map_name}.{item}" for item in path[path.index(base) :] + [base])
                    problems.append(ConfigProblem(f"{map_name}.{name}.extends", f"extends cycle: {cycle}"))
                    failed.add(name)
                elif lookup(base) is None:
                    problems.append(
                        ConfigProblem(
                            f"{map_name}.{name}.extends", f"unknown container configuration {base!r}"
                        )
                    )
                    failed.add(name)
                else:
                    path.append(base)
                    pending.append(iter(known(base).extends))
                    break
                if name in failed:
                    break
            else:
                config = known(name)
                done[name] = _merged(config, [done[base] for base in config.extends])
                path.pop()
                pending.pop()
                continue
            if name in failed:
                # Everything on the path depends on the failed configuration.
                failed.update(path)
                path.clear()
                pending.clear()
    return {name: done[name] for name in names if name in done}, problems
