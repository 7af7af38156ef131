"""Image verb: pull, logging in to the image's registry first when a login is configured for it."""

from __future__ import annotations

from ...refs import ImageRef
from ..items import DesiredImage
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
