"""Utility methods for a Docker API client: building from dockermap objects, tags and cleanup.

:class:`DockerUtilityMixin` expects the methods of ``docker.APIClient`` on ``self`` (and ``build`` as
overridden by :class:`~dockermap.client.base.DockerClientWrapper`).
"""

from __future__ import annotations

from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Protocol,
    Sequence,
    Set,
    Tuple,
    overload,
)

from dockermap.client.protocol import DockerClient
from dockermap.dep import ImageDependentsResolver
from dockermap.exceptions import PartialResultsError
from dockermap.log import logger
from dockermap.refs import ImageRef

if TYPE_CHECKING:  # the build modules are imported where an image is built
    from dockermap.build.context import DockerContext
    from dockermap.build.dockerfile import DockerFile


#: ``RepoTags`` entry of an image without any tag (older engines).
NONE_TAG = "<none>:<none>"
#: Container states of containers that have finished (``cleanup_containers`` removes them).
FINISHED_STATES = ("exited", "dead")
#: Container states of containers that are running (``remove_all_containers`` stops them first).
RUNNING_STATES = ("running", "paused", "restarting")


def is_repo_image(image: Dict[str, Any]) -> bool:
    """Whether an image (as listed by ``images()``) has a repository tag."""
    tags = image.get("RepoTags") or []
    return bool(tags) and tags[0] != NONE_TAG


def tag_check_function(tags: Iterable[str]) -> Callable[[Dict[str, Any]], bool]:
    """A predicate telling whether an image (as listed by ``images()``) carries any of ``tags``."""
    suffixes = tuple(f":{tag}" for tag in tags)

    def has_tag(image: Dict[str, Any]) -> bool:
        return any(repo_tag.endswith(suffixes) for repo_tag in image.get("RepoTags") or ())

    return has_tag


@overload
def primary_container_name(names: Iterable[str], default: str, strip_trailing_slash: bool = ...) -> str: ...


@overload
def primary_container_name(
    names: Iterable[str], default: None = ..., strip_trailing_slash: bool = ...
) -> Optional[str]: ...


def primary_container_name(
    names: Iterable[str], default: Optional[str] = None, strip_trailing_slash: bool = True
) -> Optional[str]:
    """The container's own name among the ``Names`` of a container listing.

    Link aliases (``/other/alias``) are skipped. ``strip_trailing_slash`` (named so for compatibility)
    removes the *leading* slash.
    """
    for name in names:
        if name.find("/", 2) < 0:
            return name[1:] if strip_trailing_slash and name.startswith("/") else name
    return default


def split_tag(image: str) -> Tuple[str, Optional[str]]:
    """Split ``repository[:tag]`` into repository and tag (``None`` without a tag).

    A ``:`` that belongs to a registry port (``host:5000/image``) is not a tag separator.
    """
    ref = ImageRef.parse(image)
    if ref.digest:
        return image, None
    return ref.repository, ref.tag


class _Host(DockerClient, Protocol):
    # What the mixin's methods call on ``self``: the engine methods, ``build`` and the mixin's own methods.

    def build(self, tag: str, **kwargs: Any) -> Optional[str]: ...

    def build_from_context(self, ctx: DockerContext, tag: str, **kwargs: Any) -> Optional[str]: ...

    def push_log(self, info: str, level: int, *args: Any, **kwargs: Any) -> None: ...

    def _stop_or_wait(self, container_id: str, timeout: int) -> None: ...


class DockerUtilityMixin:
    """Higher-level operations on top of the Docker API client methods (those of
    :class:`~dockermap.client.protocol.DockerClient`, and ``build``)."""

    def push_log(self, info: str, level: int, *args: Any, **kwargs: Any) -> None:
        """Report a message; logs to ``dockermap.client.docker_util``. Override to redirect output."""
        logger(__name__).log(level, info, *args, **kwargs)

    def add_extra_tags(
        self: _Host, image_id: str, main_tag: str, extra_tags: Optional[Iterable[str]], add_latest: bool
    ) -> List[str]:
        """Tag ``image_id`` in the repository of ``main_tag`` with ``extra_tags`` (and ``latest``).

        ``main_tag`` without a tag part means the whole string is the repository. Tags equal to the main
        tag are skipped. Returns the tags added.

        :raises PartialResultsError: if tagging fails; ``results`` lists the tags added before.
        """
        repository, current_tag = split_tag(main_tag)
        wanted = list(extra_tags or ())
        if add_latest:
            wanted.append("latest")
        added: List[str] = []
        for tag in dict.fromkeys(wanted):
            if tag == current_tag:
                continue
            try:
                self.tag(image_id, repository, tag)
            except Exception as exc:
                raise PartialResultsError(exc, added) from exc
            added.append(tag)
        return added

    def build_from_context(self: _Host, ctx: DockerContext, tag: str, **kwargs: Any) -> Optional[str]:
        """Build an image from a finalized :class:`~dockermap.build.context.DockerContext`.

        Keyword arguments are those of :meth:`~dockermap.client.base.DockerClientWrapper.build`.
        Returns the new image id.
        """
        return self.build(
            tag, fileobj=ctx.fileobj, custom_context=True, encoding=ctx.stream_encoding, **kwargs
        )

    def build_from_file(self: _Host, dockerfile: DockerFile, tag: str, **kwargs: Any) -> Optional[str]:
        """Build an image from a :class:`~dockermap.build.dockerfile.DockerFile` and the files it adds.

        The context is assembled first, so a missing source file raises ``FileNotFoundError`` before
        anything is sent to the engine. Returns the new image id.
        """
        from dockermap.build.context import DockerContext

        with DockerContext(dockerfile, finalize=True) as ctx:
            return self.build_from_context(ctx, tag, **kwargs)

    def cleanup_containers(
        self: _Host,
        include_initial: bool = False,
        exclude: Optional[Iterable[str]] = None,
        raise_on_error: bool = False,
        list_only: bool = False,
        filters: Optional[Dict[str, Any]] = None,
    ) -> List[Any]:
        """Remove stopped containers (exited or dead; with ``include_initial`` also never started ones).

        :param exclude: Container names to keep.
        :param list_only: Only return ``(id, name)`` of the containers that would be removed.
        :param filters: Engine-side filters for the container list (as for ``containers()``).
        :return: The names of the removed containers.
        :raises PartialResultsError: on the first failure if ``raise_on_error``; ``results`` lists the
          names removed before. Otherwise failures are logged and skipped.
        """
        states = FINISHED_STATES + (("created",) if include_initial else ())
        excluded = set(exclude or ())
        candidates = []
        for container in self.containers(all=True, filters=filters):
            # Only the container's own names count; link aliases (``/other/alias``) are someone else's.
            own_names = [name[1:] for name in container.get("Names") or () if "/" not in name[1:]]
            if container.get("State") in states and excluded.isdisjoint(own_names):
                candidates.append((container["Id"], own_names[0] if own_names else None))
        if list_only:
            return candidates
        removed: List[str] = []
        for container_id, name in candidates:
            try:
                self.remove_container(name or container_id)
            except Exception as exc:
                if raise_on_error:
                    raise PartialResultsError(exc, removed) from exc
                continue
            removed.append(name or container_id)
        return removed

    def cleanup_images(
        self: _Host,
        remove_old: bool = False,
        keep_tags: Optional[Iterable[str]] = None,
        force: bool = False,
        raise_on_error: bool = False,
        list_only: bool = False,
        filters: Optional[Dict[str, Any]] = None,
    ) -> List[str]:
        """Remove images that are neither tagged nor used by a container, nor a parent of such an image.

        :param remove_old: Instead of keeping every tagged image, keep only those tagged ``latest`` or one
          of ``keep_tags``.
        :param force: Passed to ``remove_image``.
        :param list_only: Only return the ids of the images that would be removed.
        :param filters: Engine-side filters (as for ``images()``) restricting which images may be removed.
        :return: The ids of the removed images.
        :raises PartialResultsError: on the first failure if ``raise_on_error``; ``results`` lists the ids
          removed before. Otherwise failures are logged and skipped.
        """
        all_images = self.images(all=True)
        if remove_old:
            is_kept = tag_check_function(["latest", *(keep_tags or ())])
        else:
            is_kept = is_repo_image
        kept = {image["Id"] for image in all_images if is_kept(image)}
        kept.update(container["ImageID"] for container in self.containers(all=True))
        allowed = (
            None if filters is None else {image["Id"] for image in self.images(all=True, filters=filters)}
        )
        children = ImageDependentsResolver((image["Id"], image.get("ParentId")) for image in all_images)
        candidates: Dict[str, Sequence[str]] = {}
        for image in all_images:
            image_id = image["Id"]
            if image_id in kept or (allowed is not None and image_id not in allowed):
                continue
            descendants = children.get_dependencies(image_id)
            if kept.isdisjoint(descendants):
                candidates[image_id] = descendants
        # An image's descendants all have fewer descendants than itself: this order removes children first.
        ordered = sorted(candidates, key=lambda image_id: len(candidates[image_id]))
        if list_only:
            return ordered
        removed: List[str] = []
        for image_id in ordered:
            try:
                # Removing a child also removes its untagged parents; a parent already gone is fine.
                self.remove_image(image_id, force=force)
            except Exception as exc:
                if raise_on_error:
                    raise PartialResultsError(exc, removed) from exc
                continue
            removed.append(image_id)
        return removed

    def remove_all_containers(
        self: _Host,
        stop_timeout: int = 10,
        raise_on_error: bool = False,
        list_only: bool = False,
        filters: Optional[Dict[str, Any]] = None,
    ) -> Tuple[List[str], List[str]]:
        """Stop every running container, then remove all containers.

        :param stop_timeout: Seconds to wait for each container to stop before it is killed.
        :param list_only: Only return ``(running ids, all ids)``.
        :param filters: Engine-side filters for the container list (as for ``containers()``).
        :return: ``(stopped ids, removed ids)``.
        :raises PartialResultsError: on the first failure if ``raise_on_error``; ``results`` is
          ``(stopped ids, removed ids)`` so far. Otherwise failures are logged and skipped.
        """
        containers = self.containers(all=True, filters=filters)
        running = [c["Id"] for c in containers if c.get("State") in RUNNING_STATES]
        all_ids = [c["Id"] for c in containers]
        if list_only:
            return running, all_ids
        stopped: List[str] = []
        removed: List[str] = []
        for container_id in running:
            try:
                self._stop_or_wait(container_id, stop_timeout)
            except Exception as exc:
                if raise_on_error:
                    raise PartialResultsError(exc, (stopped, removed)) from exc
                continue
            stopped.append(container_id)
        for container_id in all_ids:
            try:
                self.remove_container(container_id)
            except Exception as exc:
                if raise_on_error:
                    raise PartialResultsError(exc, (stopped, removed)) from exc
                continue
            removed.append(container_id)
        return stopped, removed

    def _stop_or_wait(self: _Host, container_id: str, timeout: int) -> None:
        # Stop a container; if the request times out, give it another ``timeout`` to finish.
        from requests.exceptions import Timeout  # loaded with the client that sends the request

        try:
            self.stop(container_id, timeout=timeout)
        except Timeout:
            import logging

            self.push_log(
                "Timeout while stopping container %s; waiting %s more seconds.",
                logging.WARNING,
                container_id,
                timeout,
            )
            try:
                self.wait(container_id, timeout=timeout)
            except Timeout:
                pass

    def get_container_names(self: _Host) -> Set[str]:
        """All names of all containers (without the leading ``/``)."""
        return {name[1:] for container in self.containers(all=True) for name in container.get("Names") or ()}

    def get_image_tags(self: _Host) -> Dict[str, str]:
        """``{repository:tag: image id}`` for every tagged image; untagged images are left out."""
        return {
            repo_tag: image["Id"]
            for image in self.images()
            for repo_tag in image.get("RepoTags") or ()
            if repo_tag != NONE_TAG
        }
