"""The build contexts and Dockerfiles a plan's ``build`` actions need, checked before anything runs."""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable, List, Mapping

from .items import Action, ActionKind, DesiredImage


def build_problems(actions: Iterable[Action], desired: Mapping[Any, Any]) -> List[str]:
    """What is missing for the ``build`` actions among ``actions``: context directories and Dockerfiles
    (checked before anything runs, so that a typo changes nothing)."""
    problems: Dict[str, None] = {}
    for action in actions:
        record = desired.get((action.client, action.config_id))
        if action.kind != ActionKind.BUILD or not isinstance(record, DesiredImage) or record.build is None:
            continue
        settings = record.build
        dockerfile = os.path.join(settings.context, settings.dockerfile or "Dockerfile")
        if not os.path.isdir(settings.context):
            problems[f"{settings.source}.build.context: directory {settings.context} does not exist"] = None
        elif not os.path.isfile(dockerfile):
            problems[f"{settings.source}.build.dockerfile: file {dockerfile} does not exist"] = None
    return list(problems)
