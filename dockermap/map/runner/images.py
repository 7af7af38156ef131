"""Image verbs: pull, logging in to the image's registry first when a login is configured for it, and
build from the context directory of a configuration's ``build`` setting."""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

from ...exceptions import UnsupportedOption
from ...refs import ImageRef
from ..items import DesiredBuild, DesiredImage
from .step import Step


def _login(step: Step, registry: str) -> None:
    # Log in once per client and registry, and only when credentials are configured for it.
    key = (step.action.client, registry)
    auth = step.options.auth_configs.get(step.action.client, {}).get(registry)
    if auth and key not in step.logins and step.client.login(registry=registry, **auth):
        step.logins.add(key)


def pull(step: Step) -> bool:
    """Pull the image; returns whether the pull succeeded (a failure raises with the engine's error)."""
    ref = step.desired.ref if isinstance(step.desired, DesiredImage) else step.action.name
    image = ImageRef.parse(ref)
    _login(step, image.registry)
    if image.digest:
        return step.client.pull(str(image), tag=None)
    return step.client.pull(image.repository, tag=image.tag)


def _build_kwargs(settings: DesiredBuild, call_kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    kwargs: Dict[str, Any] = {"forcerm": True, "pull": settings.pull, "nocache": settings.nocache}
    if settings.dockerfile:
        kwargs["dockerfile"] = settings.dockerfile
    if settings.args:
        kwargs["buildargs"] = dict(settings.args)
    if settings.target:
        kwargs["target"] = settings.target
    if settings.labels:
        kwargs["labels"] = dict(settings.labels)
    kwargs.update(call_kwargs)
    return kwargs


def build(step: Step) -> Optional[str]:
    """Build the image from its context directory (with its ``.dockerignore``, as ``docker build``);
    returns the new image id. A failing step raises the client's build error with its output."""
    record = step.require(DesiredImage)
    if record.build is None:
        raise ValueError(f"image {record.ref} has no build setting; it can only be pulled")
    build_from_context = getattr(step.client, "build_from_context", None)
    if build_from_context is None:
        raise UnsupportedOption(
            f"client {step.action.client!r} ({type(step.client).__name__}) cannot build images; "
            "use a DockerClientWrapper"
        )
    from dockermap.build.context import DockerContext  # only commands that build need it

    settings = record.build
    name = settings.dockerfile or "Dockerfile"
    with DockerContext.from_directory(settings.context, dockerfile_name=name, finalize=True) as context:
        return build_from_context(context, record.ref, **_build_kwargs(settings, step.args))
