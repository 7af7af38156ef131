"""What both clients do when the engine refuses a request, so that they raise the same errors.

:class:`~dockermap.client.base.DockerClientWrapper` and
:class:`~dockermap.client.cmdline.DockerCommandLineClient` keep one contract:

* a request about one object raises the Docker SDK's errors: ``docker.errors.NotFound``
  (``ImageNotFound`` for images) for a missing object, ``docker.errors.APIError`` with the engine's status
  code otherwise (409 for a conflict);
* ``remove_container``, ``remove_image`` and ``stop`` follow :func:`tolerated`: a missing object is ignored
  by the removals unless ``raise_not_found``, other errors are logged and raised unless
  ``raise_on_error=False``;
* a failed pull or push raises :func:`transfer_failure`'s :class:`~dockermap.exceptions.DockerStatusError`
  naming the image and the engine's reason (or returns ``False`` with ``raise_on_error=False``).
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional

from docker.errors import APIError

from dockermap.exceptions import DockerStatusError

#: ``push_log(message, level, *args)`` of a client.
Log = Callable[..., Any]


@contextmanager
def tolerated(what: str, log: Log, raise_on_error: bool, raise_not_found: Optional[bool]) -> Iterator[None]:
    """Apply the error policy of removals and stops to the engine errors raised inside the block.

    A missing object (404) raises only if ``raise_not_found`` (``None``: it counts as any other error).
    Other errors are logged as ``Failed to <what>: <reason>`` and raised if ``raise_on_error``.
    """
    try:
        yield
    except APIError as exc:
        if raise_not_found is not None and exc.status_code == 404:
            if raise_not_found:
                raise
            return
        log("Failed to %s: %s", logging.ERROR, what, exc.explanation or exc)
        if raise_on_error:
            raise


def transfer_action(verb: str, repository: str, tag: Optional[str]) -> str:
    """``Pulling image 'repository:tag'`` (the tag only when given)."""
    name = repository if tag is None else f"{repository}:{tag}"
    return f"{verb} image {name!r}"


def transfer_failure(action: str, reason: str, status_code: Optional[int]) -> DockerStatusError:
    """The error of a failed pull or push: ``<action> failed: <the engine's reason>``; ``detail`` holds the
    status code when the engine refused the request (``None`` for an error reported while transferring)."""
    detail = None if status_code is None else {"status_code": status_code}
    return DockerStatusError(f"{action} failed: {reason}", detail, reason)
