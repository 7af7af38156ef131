"""``DockerClientWrapper``: the Docker SDK's ``APIClient`` with logging, image ids and error handling.

Build, pull and push responses are streamed: every output line is passed to
:meth:`~dockermap.client.docker_util.DockerUtilityMixin.push_log` and every progress record to
:meth:`DockerClientWrapper.push_progress` as it arrives. An error reported inside the stream raises
:class:`~dockermap.exceptions.DockerStatusError`.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from functools import partial
from typing import Any, Callable, Deque, Dict, Iterable, Optional

from docker import APIClient
from docker.errors import APIError

from dockermap.client.docker_util import DockerUtilityMixin
from dockermap.client.failures import tolerated, transfer_action, transfer_failure
from dockermap.exceptions import DockerStatusError
from dockermap.records import field, record

#: Format of a container's log lines passed to ``push_log``: container name and line.
LOG_CONTAINER_FORMAT = "[%s] %s"
#: Format of progress records logged by the default ``push_progress``: status, object id and progress.
LOG_PROGRESS_FORMAT = "%s %s %s"
#: Line by which the classic builder reports the new image id.
BUILD_SUCCESS_PREFIX = "Successfully built "
#: How many of the last output lines an error message repeats.
ERROR_CONTEXT_LINES = 10
#: Terminal escape sequences (colours) that the engine puts around a command's error output.
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def normalize_base_url(base_url: Optional[str]) -> Optional[str]:
    """Make ``unix://var/run/docker.sock`` (two slashes, as in old examples) an absolute socket path."""
    if base_url and base_url.startswith("unix://") and not base_url.startswith("unix:///"):
        return "unix:///" + base_url[len("unix://") :]
    return base_url


@record
class StreamResult:
    """What a streamed build, pull or push response reported."""

    #: Id of the built image: the ``aux`` record's ``ID``, else the id of a ``Successfully built`` line.
    image_id: Optional[str] = None
    #: The engine's error message, if any.
    error: Optional[str] = None
    #: The engine's ``errorDetail``.
    error_detail: Any = None
    #: The last output lines (without progress records), repeated in error messages.
    last_lines: Deque[str] = field(default_factory=lambda: deque(maxlen=ERROR_CONTEXT_LINES))

    def error_message(self, action: str) -> str:
        """A message naming ``action``, the engine's error and the output just before it."""
        message = f"{action} failed: {self.error}"
        if self.last_lines:
            message += "\nLast output:\n" + "\n".join(f"  {line}" for line in self.last_lines)
        return message


class StreamReader:
    """Reports a decoded JSON stream of the engine (build, pull, push) through a client's hooks.

    Output lines go to ``push_log`` (INFO) as soon as they are complete, progress records (``status``
    with an ``id``) to ``push_progress``, errors to ``push_log`` (ERROR).
    """

    def __init__(self, client: DockerClientWrapper, action: str) -> None:
        self._client = client
        self._action = action
        self._pending = ""
        self._built_id: Optional[str] = None
        self.result = StreamResult()

    def read(self, chunks: Iterable[Dict[str, Any]], raise_on_error: bool) -> StreamResult:
        """Consume ``chunks``; raises :class:`~dockermap.exceptions.DockerStatusError` on an error record
        if ``raise_on_error``, else keeps reading."""
        for chunk in chunks:
            self._feed(chunk, raise_on_error)
        self._flush()
        if self.result.image_id is None:
            self.result.image_id = self._built_id
        return self.result

    def _feed(self, chunk: Dict[str, Any], raise_on_error: bool) -> None:
        if "stream" in chunk:
            # Output arrives in pieces that need not end at a line break.
            self._pending += _ANSI_ESCAPE.sub("", chunk["stream"])
            *lines, self._pending = self._pending.split("\n")
            for line in lines:
                self._emit(line)
        if "status" in chunk:
            if chunk.get("id"):
                self._client.push_progress(chunk["status"], chunk["id"], chunk.get("progress") or "")
            else:
                self._emit(chunk["status"])
        aux = chunk.get("aux")
        if isinstance(aux, dict) and aux.get("ID"):
            self.result.image_id = aux["ID"]
        if "error" in chunk:
            self._flush()
            self.result.error = chunk["error"]
            self.result.error_detail = chunk.get("errorDetail")
            self._client.push_log(self.result.error, logging.ERROR)
            if raise_on_error:
                raise DockerStatusError(
                    self.result.error_message(self._action), self.result.error_detail, self.result.error
                )

    def _flush(self) -> None:
        self._emit(self._pending)
        self._pending = ""

    def _emit(self, line: str) -> None:
        line = line.rstrip("\r")
        if not line:
            return
        self._client.push_log(line, logging.INFO)
        self.result.last_lines.append(line)
        if line.startswith(BUILD_SUCCESS_PREFIX):
            self._built_id = line[len(BUILD_SUCCESS_PREFIX) :].strip()


class DockerClientWrapper(DockerUtilityMixin, APIClient):
    """A ``docker.APIClient`` with dockermap's utility methods, logging hooks and error handling.

    Takes the arguments of ``docker.APIClient``. Without ``version`` the API version is negotiated with
    the engine. ``unix://path`` is read as ``unix:///path``.
    """

    def __init__(self, base_url: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(normalize_base_url(base_url), *args, **kwargs)

    def push_progress(self, status: str, object_id: str, progress: str) -> None:
        """Report a progress record of a pull or push (logged at DEBUG level). Override to display it."""
        self.push_log(LOG_PROGRESS_FORMAT, logging.DEBUG, status, object_id, progress)

    def build(
        self,
        tag: str,
        add_latest_tag: bool = False,
        add_tags: Optional[Iterable[str]] = None,
        raise_on_error: bool = True,
        **kwargs: Any,
    ) -> Optional[str]:
        """Build an image, reporting its output line by line; returns the new image id.

        :param tag: Name (``repository[:tag]``) of the new image.
        :param add_latest_tag: Also tag the image ``<repository>:latest``.
        :param add_tags: Further tags for the image in the same repository.
        :param raise_on_error: Raise :class:`~dockermap.exceptions.DockerStatusError` if the build fails;
          otherwise the error is logged and ``None`` returned.
        :param kwargs: Arguments of ``docker.APIClient.build``; intermediate containers are removed
          (``rm=True``) unless given otherwise.
        :raises PartialResultsError: if the image was built but adding a tag failed.
        """
        kwargs.setdefault("rm", True)
        response = super().build(tag=tag, decode=True, **kwargs)
        result = StreamReader(self, f"Building image {tag!r}").read(response, raise_on_error)
        if result.error or not result.image_id:
            return None
        if tag:
            self.add_extra_tags(result.image_id, tag, add_tags, add_latest_tag)
        return result.image_id

    def login(
        self,
        username: str,
        password: Optional[str] = None,
        email: Optional[str] = None,
        registry: Optional[str] = None,
        reauth: bool = False,
        **kwargs: Any,
    ) -> bool:
        """Log in to a registry; the credentials are used by later pulls and pushes of this client.

        :return: Whether the engine confirmed the login.
        :raises docker.errors.APIError: if the registry rejects the credentials.
        """
        response = super().login(username, password, email, registry, reauth, **kwargs)
        return response.get("Status") == "Login Succeeded" or response.get("username") == username

    def _stream_status(
        self, request: Callable[[], Iterable[Dict[str, Any]]], action: str, raise_on_error: bool
    ) -> bool:
        # Run a pull or push request and read its stream; returns whether it succeeded.
        try:
            result = StreamReader(self, action).read(request(), raise_on_error)
        except APIError as exc:
            reason = str(exc.explanation or exc)
            self.push_log("%s failed: %s", logging.ERROR, action, reason)
            if raise_on_error:
                raise transfer_failure(action, reason, exc.status_code) from exc
            return False
        return result.error is None

    def pull(
        self,
        repository: str,
        tag: Optional[str] = None,
        stream: bool = True,
        raise_on_error: bool = True,
        **kwargs: Any,
    ) -> bool:
        """Pull an image, reporting progress through ``push_progress`` and ``push_log``.

        :param tag: Tag to pull; ``latest`` unless ``repository`` includes one.
        :param stream: Accepted for compatibility; the response is always streamed.
        :param raise_on_error: Raise :class:`~dockermap.exceptions.DockerStatusError` on failure (also
          for a missing image); otherwise log it and return ``False``.
        :param kwargs: Further arguments of ``docker.APIClient.pull`` (e.g. ``auth_config``, ``platform``).
        :return: Whether the pull succeeded.
        """
        request = partial(super().pull, repository, tag, stream=True, decode=True, **kwargs)
        return self._stream_status(request, transfer_action("Pulling", repository, tag), raise_on_error)

    def push(self, repository: str, stream: bool = True, raise_on_error: bool = True, **kwargs: Any) -> bool:
        """Push an image, reporting progress through ``push_progress`` and ``push_log``.

        :param stream: Accepted for compatibility; the response is always streamed.
        :param raise_on_error: Raise :class:`~dockermap.exceptions.DockerStatusError` on failure;
          otherwise log it and return ``False``.
        :param kwargs: Further arguments of ``docker.APIClient.push`` (e.g. ``tag``, ``auth_config``).
        :return: Whether the push succeeded.
        """
        request = partial(super().push, repository, stream=True, decode=True, **kwargs)
        action = transfer_action("Pushing", repository, kwargs.get("tag"))
        return self._stream_status(request, action, raise_on_error)

    def push_container_logs(self, container: str) -> None:
        """Pass each line of a container's output to ``push_log``, prefixed with the container name."""
        output = self.logs(container).decode("utf-8", errors="replace")
        for line in output.splitlines():
            self.push_log(LOG_CONTAINER_FORMAT, logging.INFO, container, line)

    def remove_container(
        self, container: str, raise_on_error: bool = True, raise_not_found: bool = False, **kwargs: Any
    ) -> None:
        """Remove a container; a missing one is ignored unless ``raise_not_found``.

        Other errors are logged and re-raised if ``raise_on_error``. ``kwargs``: ``v``, ``link``, ``force``.
        """
        with tolerated(f"remove container {container!r}", self.push_log, raise_on_error, raise_not_found):
            super().remove_container(container, **kwargs)

    def remove_image(
        self, image: str, raise_on_error: bool = True, raise_not_found: bool = False, **kwargs: Any
    ) -> None:
        """Remove an image; a missing one is ignored unless ``raise_not_found``.

        Other errors are logged and re-raised if ``raise_on_error``. ``kwargs``: ``force``, ``noprune``.
        """
        with tolerated(f"remove image {image!r}", self.push_log, raise_on_error, raise_not_found):
            super().remove_image(image, **kwargs)

    def stop(self, container: str, raise_on_error: bool = True, **kwargs: Any) -> None:
        """Stop a container; errors (including a missing container) are logged and re-raised if
        ``raise_on_error``. ``kwargs``: ``timeout``.
        """
        with tolerated(f"stop container {container!r}", self.push_log, raise_on_error, None):
            super().stop(container, **kwargs)

    def copy_resource(self, container: str, resource: str, local_filename: str) -> None:
        """Save a file or directory of a container as a tar archive ``local_filename``."""
        chunks, _ = self.get_archive(container, resource)
        self._save_stream(chunks, local_filename)

    def save_image(self, image: str, local_filename: str) -> None:
        """Save an image (as ``docker save`` does) to the tar archive ``local_filename``."""
        self._save_stream(self.get_image(image), local_filename)

    @staticmethod
    def _save_stream(chunks: Iterable[bytes], local_filename: str) -> None:
        with open(local_filename, "wb") as local_file:
            for chunk in chunks:
                local_file.write(chunk)
