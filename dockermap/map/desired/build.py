"""Which images of a map are built, and how: the ``build`` settings of its configurations as records."""

from __future__ import annotations

import os
from typing import Any, Dict, Tuple

from dockermap.functional import resolve_value
from dockermap.map.exceptions import MapConfigurationError
from dockermap.map.items import DesiredBuild
from dockermap.records import replace

from .values import resolve_all

#: ``(image name, tag)`` of an image, as in the ids of image items.
ImageKey = Tuple[str, str]


def desired_build(settings: Any, source: str) -> DesiredBuild:
    """The record of a converted ``build`` setting of configuration ``source`` (``'map.config'``): lazy
    values resolved, the context made absolute (a relative one is relative to the current directory)."""
    dockerfile = resolve_value(settings.dockerfile)
    target = resolve_value(settings.target)
    return DesiredBuild(
        source=source,
        context=os.path.abspath(str(resolve_value(settings.context))),
        dockerfile=str(dockerfile) if dockerfile else None,
        args={name: str(value) for name, value in resolve_all(dict(settings.args)).items()},
        target=str(target) if target else None,
        labels={name: str(value) for name, value in resolve_all(dict(settings.labels)).items()},
        pull=settings.pull,
        nocache=settings.nocache,
    )


def image_builds(container_map: Any) -> Dict[ImageKey, DesiredBuild]:
    """The build of each image that a configuration of the (extended) map builds.

    :raises ValueError: when two configurations build the same image in different ways.
    """
    builds: Dict[ImageKey, DesiredBuild] = {}
    for name, config in container_map:
        if not config.build:
            continue
        image = container_map.get_image(resolve_value(config.image) or name)
        record = desired_build(config.build, f"{container_map.name}.{name}")
        known = builds.setdefault(image, record)
        if replace(record, source=known.source) != known:
            raise MapConfigurationError(
                f"{record.source}.build: image {image[0]}:{image[1]} is also built by {known.source}, "
                "with other build settings; give one of them another image"
            )
    return builds
