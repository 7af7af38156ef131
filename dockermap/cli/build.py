"""``build``: the images of the configurations that have a ``build`` setting, and the step of each build."""

from __future__ import annotations

import logging
import threading
from typing import Any, Dict, Optional

#: The runner logs every action it starts (at INFO, the action as the only argument) in the thread that
#: runs it; the client logs each line of a build's output in that same thread.
RUNNER_LOGGER = "dockermap.map.runner"
CLIENT_LOGGER = "dockermap.client"
#: How the classic builder starts the output of each step (``Step 2/5 : COPY . /app``).
STEP_PREFIX = "Step "


class BuildLines(logging.Handler):
    """Prints a line when a build starts and one for each step it reaches, naming the image."""

    def __init__(self, output: Any) -> None:
        super().__init__(logging.INFO)
        self.output = output
        self._lock = threading.Lock()
        self._building: Dict[Optional[int], Any] = {}  # thread -> build action running in it

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(RUNNER_LOGGER):
            action: Any = record.args[0] if isinstance(record.args, tuple) and record.args else None
            if getattr(action, "kind", None) == "build":
                with self._lock:
                    self._building[record.thread] = action
                show(self.output, action.name, action.client, "started", action.cause)
            return
        with self._lock:
            action = self._building.get(record.thread)
        message = record.getMessage()
        if action is not None and message.startswith(STEP_PREFIX):
            show(self.output, action.name, action.client, "step", message)


def show(output: Any, image: str, client: str, state: str, text: str) -> None:
    """One line about the build of ``image``: ``started``, at a ``step``, or ``done``."""
    where = "" if client == "__default__" else f" on {client}"
    record = {"event": "build", "state": state, "image": image, "client": client, "text": text}
    output.emit(record, f"{image}{where}: {text}")


class _Listening:
    """Attaches a handler to the runner's and the client's loggers (not propagated) while a build runs."""

    def __init__(self, handler: logging.Handler) -> None:
        self.handler = handler
        self.saved: Dict[str, Any] = {}

    def __enter__(self) -> None:
        for name in (RUNNER_LOGGER, CLIENT_LOGGER):
            logger = logging.getLogger(name)
            self.saved[name] = (logger.level, logger.propagate)
            logger.addHandler(self.handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False

    def __exit__(self, *exc_info: Any) -> None:
        for name, (level, propagate) in self.saved.items():
            logger = logging.getLogger(name)
            logger.removeHandler(self.handler)
            logger.setLevel(level)
            logger.propagate = propagate


def build_images(session: Any) -> int:
    """Build the images of the requested configurations that have ``build``; 1 when a build failed."""
    from dockermap.exceptions import DockerStatusError
    from dockermap.map.exceptions import ActionRunnerException

    from .progress import is_live, open_progress

    args = session.args
    options = {key: True for key in ("nocache", "pull") if getattr(args, key, False)}
    requested = session.names or None
    output = session.output
    try:
        if is_live(output):
            # On a terminal each build is a line of the live display, its current step as the detail.
            with open_progress(output) as progress:
                results = session.client.build_images(
                    requested, map_name=session.map_name, listener=progress.listener, **options
                )
        else:
            with _Listening(BuildLines(output)):
                results = session.client.build_images(requested, map_name=session.map_name, **options)
    except ActionRunnerException as exc:
        cause = exc.__cause__
        details = f"\n{cause.message}" if isinstance(cause, DockerStatusError) else ""
        built = len(exc.results)
        output.error(f"{exc}{details}\n{built} image(s) built before the failure", 1, done=built)
        return 1
    for result in results:
        image = f"{result.config_id.config_name}:{result.config_id.instance_name}"
        show(output, image, result.client_name, "done", f"built {result.result}")
    text = f"{len(results)} image(s) built" if results else "nothing to build (no configuration has 'build')"
    output.summary("done", text, actions=len(results))
    return 0
