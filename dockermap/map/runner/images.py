"""Image verb: pull, logging in to the image's registry first when a login is configured for it."""

from __future__ import annotations

from typing import Optional, Tuple

from ..items import DesiredImage
from .step import Step

#: Registry of image names without a registry host (Docker Hub); the key for its login.
DEFAULT_REGISTRY = "docker.io"


def split_image_ref(ref: str) -> Tuple[str, Optional[str]]:
    """``'repo:tag'`` → ``('repo', 'tag')``; no tag (or a digest reference) → ``(ref, None)``."""
    repository, sep, tag = ref.rpartition(":")
    if "@" in ref or not sep or "/" in tag:
        return ref, None
    return repository, tag


def registry_of(repository: str) -> str:
    """The registry host of a repository name (``registry.example.com:5000/app`` → its host part)."""
    first, sep, _ = repository.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost"):
        return first
    return DEFAULT_REGISTRY


def _login(step: Step, registry: str) -> None:
    # Log in once per client and registry, and only when credentials are configured for it.
    key = (step.action.client, registry)
    auth = step.options.auth_configs.get(step.action.client, {}).get(registry)
    if auth and key not in step.logins and step.client.login(registry=registry, **auth):
        step.logins.add(key)


def pull(step: Step) -> bool:
    """Pull the image; returns whether the pull succeeded (a failure raises with the engine's error)."""
    ref = step.desired.ref if isinstance(step.desired, DesiredImage) else step.action.name
    repository, tag = split_image_ref(ref)
    _login(step, registry_of(repository))
    return step.client.pull(repository, tag=tag)
