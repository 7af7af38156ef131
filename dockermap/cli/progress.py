"""Progress of the things a command does (actions, image pulls, builds): one line per item with its
state and elapsed time.

On a terminal the lines of running and waiting items are redrawn in place, and each item that ends
is printed once above them. Elsewhere each state change is one plain line without control
characters, and with ``--json`` one JSON object. A command opens a display and adds its items::

    with open_progress(output) as progress:
        item = progress.add("build image app:1", kind="build", type="image", name="app:1")
        with item.running():  # running now; done when the block ends, failed if it raises
            client.build(...)  # its output lines become the item's detail

While a thread runs an item, what a Docker client of dockermap reports from that thread (the output
lines and pull progress it passes to ``push_log`` and ``push_progress``) shows as the item's detail.
:attr:`Progress.listener` is a runner listener that adds an item for every action of a run.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from dockermap.log import when_logging

from .output import Output

WAITING, RUNNING, DONE, FAILED = "waiting", "running", "done", "failed"
#: Color of each state on a terminal.
STATE_COLORS = {WAITING: "dim", RUNNING: "yellow", DONE: "green", FAILED: "red"}
#: Width of the state column.
STATE_WIDTH = max(len(state) for state in STATE_COLORS)
#: Seconds between redraws of a terminal display (elapsed times and details).
REDRAW_INTERVAL = 0.2
#: Pull statuses of a layer that is in place.
LAYER_DONE = ("Pull complete", "Already exists")
#: Logger of the clients' ``push_log`` and ``push_progress`` (pull progress at DEBUG level).
CLIENT_LOGGER = "dockermap.client.docker_util"


def elapsed_text(seconds: Optional[float]) -> str:
    """``0.4s``, ``12.0s``, ``2m05s``; empty when not started."""
    if seconds is None:
        return ""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


class PullLayers:
    """The layers of one image pull, summarized as ``2/5 layers, 1a2b3c: Downloading 3MB/9MB``."""

    def __init__(self) -> None:
        self.status: Dict[str, str] = {}
        self.last = ""

    def feed(self, status: str, layer: str, bar: str) -> bool:
        """Take a progress record; returns whether the layer's status changed (not only its bar)."""
        if status.startswith("Pulling from"):  # names the tag, not a layer
            return False
        changed = self.status.get(layer) != status
        self.status[layer] = status
        self.last = f"{layer}: {status} {_amount(bar)}".rstrip()
        return changed

    def text(self) -> str:
        done = sum(status in LAYER_DONE for status in self.status.values())
        return f"{done}/{len(self.status)} layers, {self.last}"


def _amount(bar: str) -> str:
    # The engine's bar is ``[===>   ]  1.2MB/3MB``; the amount after it is enough on one line.
    return bar.rpartition("]")[2].strip()


class Item:
    """One line of the display: a label (``create container shop.web``), why, its state and detail."""

    def __init__(self, progress: Progress, label: str, cause: str, fields: Dict[str, Any]) -> None:
        self.progress = progress
        self.label = label
        self.cause = cause
        #: What JSON events of this item say about it (``kind``, ``type``, ``name``, ...).
        self.fields = fields
        self.state = WAITING
        self.detail = ""
        self.started: Optional[float] = None
        self.ended: Optional[float] = None
        self.pull = PullLayers()

    def elapsed(self, now: Optional[float]) -> Optional[float]:
        """Seconds since it started: until ``now``, or until it ended (``None``: not known yet)."""
        end = self.ended if self.ended is not None else now
        if self.started is None or end is None:
            return None
        return end - self.started

    def text(self, now: Optional[float]) -> str:
        """``label: cause`` (while running, the detail if there is one instead of the cause), with
        the elapsed time in front; the state is left to the display."""
        about = self.detail if self.state == RUNNING and self.detail else self.cause
        return f"{elapsed_text(self.elapsed(now)):>6}  {self.label}" + (f": {about}" if about else "")

    def start(self) -> None:
        self.progress.change(self, RUNNING)

    def finish(self, ok: bool = True) -> None:
        self.progress.change(self, DONE if ok else FAILED)

    def report(self, detail: str, significant: bool = True) -> None:
        """Show ``detail`` while the item runs; only ``significant`` ones become JSON events."""
        self.progress.report(self, detail, significant)

    @contextlib.contextmanager
    def running(self) -> Iterator[Item]:
        """Running inside the block, with this thread's client output as detail; done at its end,
        failed if it raises."""
        self.start()
        self.progress.bind(self)
        try:
            yield self
        except BaseException:
            self.finish(False)
            raise
        self.finish(True)


class Progress:
    """The items of a command and how they are shown; thread-safe. Use :func:`open_progress`."""

    def __init__(self, output: Output, clock: Callable[[], float] = time.monotonic) -> None:
        self.output = output
        self.clock = clock
        self.items: List[Item] = []
        self.lock = threading.RLock()
        self._bound: Dict[int, Item] = {}
        self._actions: Dict[int, Tuple[Any, Item]] = {}
        self._attached: Tuple[Any, ...] = ()
        self._forget: Callable[[], None] = lambda: None

    # --- what a command calls ---------------------------------------------------------------------

    def add(self, label: str, why: str = "", **fields: Any) -> Item:
        """A new waiting item, and ``why`` it is done; ``fields`` go into its JSON events (e.g. ``kind``,
        ``type``, ``name``, ``cause``)."""
        item = Item(self, label, why, fields)
        with self.lock:
            self.items.append(item)
            self.changed(item)
        return item

    def change(self, item: Item, state: str) -> None:
        with self.lock:
            now = self.clock()
            if state == RUNNING:
                item.started = now
            elif state in (DONE, FAILED):
                item.ended = now
                item.started = now if item.started is None else item.started
                for ident in [ident for ident, bound in self._bound.items() if bound is item]:
                    del self._bound[ident]
            item.state = state
            self.changed(item)

    def report(self, item: Item, detail: str, significant: bool) -> None:
        with self.lock:
            item.detail = detail
            self.reported(item, significant)

    def bind(self, item: Item) -> None:
        """What clients report from this thread belongs to ``item`` (until it ends)."""
        with self.lock:
            self._bound[threading.get_ident()] = item

    def current(self) -> Optional[Item]:
        with self.lock:
            return self._bound.get(threading.get_ident())

    def listener(self, action: Any, state: str) -> None:
        """A runner listener: an item per action, running in the thread that runs the action."""
        if state == WAITING:
            where = "" if action.client == "__default__" else f" on {action.client}"
            item = self.add(
                f"{action.kind} {action.item_type.value} {action.name}{where}",
                action.cause,
                kind=action.kind,
                type=action.item_type.value,
                name=action.name,
                client=action.client,
                cause=action.cause,
            )
            self._actions[id(action)] = (action, item)  # the action is kept, so its id stays its own
            return
        item = self._actions[id(action)][1]
        if state == RUNNING:
            item.start()
            self.bind(item)
        else:
            item.finish(state == DONE)

    # --- how it is shown: overridden by each display ------------------------------------------------

    def changed(self, item: Item) -> None:
        """``item`` was added or changed its state (called with the lock held)."""

    def reported(self, item: Item, significant: bool) -> None:
        """``item`` has a new detail (called with the lock held)."""

    def message(self, level: int, text: str) -> None:
        """A warning or error logged while the display is open."""
        import logging

        with self.lock:
            if self.output.as_json:
                name = logging.getLevelName(level).lower()
                self.output.emit({"event": "log", "level": name, "message": text}, "")
                return
            self.output.err.write(f"dockermap: {logging.getLevelName(level).lower()}: {text}\n")
            self.output.err.flush()

    def close(self) -> None:
        """Stop showing progress (the last state of every item has been printed)."""

    # --- context: catch the clients' output while open ----------------------------------------------

    def __enter__(self) -> Progress:
        self._forget = when_logging(self._attach)
        return self

    def _attach(self) -> None:
        import logging

        handler = _client_output(self)
        logger, client_logger = logging.getLogger("dockermap"), logging.getLogger(CLIENT_LOGGER)
        self._attached = (handler, logger.propagate, client_logger.level)
        logger.addHandler(handler)
        logger.propagate = False
        client_logger.setLevel(logging.DEBUG)

    def __exit__(self, *exc_info: Any) -> None:
        self._forget()
        if self._attached:
            import logging

            handler, propagate, level = self._attached
            logger = logging.getLogger("dockermap")
            logger.removeHandler(handler)
            logger.propagate = propagate
            logging.getLogger(CLIENT_LOGGER).setLevel(level)
            self._attached = ()
        self.close()

    def show_record(self, record: Any) -> None:
        """A log record of dockermap: client output of a thread running an item becomes that item's
        detail (pull progress summarized per image); other warnings and errors are printed."""
        import logging

        item = self.current() if record.name == CLIENT_LOGGER else None
        if item is None:
            if record.levelno >= logging.WARNING:
                self.message(record.levelno, record.getMessage())
            return
        from dockermap.client.base import LOG_PROGRESS_FORMAT

        args = record.args
        if record.msg == LOG_PROGRESS_FORMAT and isinstance(args, tuple) and len(args) == 3:
            significant = item.pull.feed(*(str(arg) for arg in args))
            item.report(item.pull.text(), significant)
        else:
            item.report(record.getMessage())


def _client_output(progress: Progress) -> Any:
    """A handler that passes every record of dockermap's loggers to ``progress`` (made once logging is
    in use, see :mod:`dockermap.log`)."""
    import logging

    class ClientOutput(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            try:
                progress.show_record(record)
            except Exception:  # a display problem must not fail the pull or build that logged
                self.handleError(record)

    return ClientOutput(logging.DEBUG)


class JsonProgress(Progress):
    """Every state change and significant detail as a JSON line."""

    def changed(self, item: Item) -> None:
        record = {"event": "action", "state": item.state, **item.fields}
        if item.ended is not None:
            record["elapsed"] = round(item.elapsed(item.ended) or 0.0, 3)
        self.output.emit(record, "")

    def reported(self, item: Item, significant: bool) -> None:
        if significant:
            self.output.emit({"event": "progress", **item.fields, "detail": item.detail}, "")


class PlainProgress(Progress):
    """A plain line when an item starts and when it ends: ``running   0.0s create container ...``."""

    def changed(self, item: Item) -> None:
        if item.state != WAITING:
            self.output.emit({}, state_line(self.output, item, None))


def state_line(output: Output, item: Item, now: Optional[float], width: int = 0) -> str:
    """The state (colored on a terminal), then the item's text; cut to fit in ``width`` columns."""
    text = item.text(now)
    if width:
        text = text[: max(width - 2 - STATE_WIDTH, 0)]
    return f"{output.paint(item.state.ljust(STATE_WIDTH), STATE_COLORS[item.state])} {text}"


class LiveProgress(Progress):
    """Redraws the running and waiting items in place below the ended ones, several times a second."""

    def __init__(self, output: Output, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(output, clock)
        self._drawn = 0
        self._dirty = False
        self._ended: List[Item] = []
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="dockermap-progress", daemon=True)

    def __enter__(self) -> Progress:
        super().__enter__()
        self._ticker.start()
        return self

    def _tick(self) -> None:
        while not self._stop.wait(REDRAW_INTERVAL):
            with self.lock:
                if self._dirty or any(item.state == RUNNING for item in self.items):
                    self.draw()

    def changed(self, item: Item) -> None:
        # New waiting items (a run adds all of its actions at once) are drawn on the next tick.
        if item.state == WAITING:
            self._dirty = True
            return
        if item.state in (DONE, FAILED):
            self._ended.append(item)
        self.draw()

    def message(self, level: int, text: str) -> None:
        with self.lock:
            self.draw(live=False)
            super().message(level, text)
            self.draw()

    def close(self) -> None:
        self._stop.set()
        if self._ticker.is_alive():
            self._ticker.join()
        with self.lock:
            self.draw(live=False)

    def draw(self, live: bool = True) -> None:
        """Print the items that ended since the last time, then the live ones over the last frame."""
        cols, height = _terminal_size(self.output.out)
        now = self.clock()
        ended, self._ended = self._ended, []
        frame = frame_items(self.items, height - 1) if live else []
        parts = [f"\r\x1b[{self._drawn}A"] if self._drawn else []
        entries: List[Any] = [*ended, *frame]
        for entry in entries:
            # lines stay shorter than the terminal is wide (an item's without its color codes)
            line = state_line(self.output, entry, now, cols) if isinstance(entry, Item) else entry[: cols - 1]
            parts.append(f"\x1b[2K{line}\n")
        parts.append("\x1b[J")
        self._drawn = len(frame)
        self._dirty = False
        self.output.out.write("".join(parts))
        self.output.out.flush()


def frame_items(items: List[Item], lines: int) -> List[Any]:
    """The live lines: running items (earliest first), then waiting ones, in at most ``lines`` lines;
    the last says how many more there are when they do not all fit."""
    running = sorted((item for item in items if item.state == RUNNING), key=lambda item: item.started or 0)
    live: List[Any] = running + [item for item in items if item.state == WAITING]
    lines = max(lines, 2)
    if len(live) > lines:
        hidden = live[lines - 1 :]
        waiting = sum(item.state == WAITING for item in hidden)
        live = live[: lines - 1] + [f"... and {len(hidden)} more ({waiting} waiting)"]
    return live


def _terminal_size(stream: Any) -> Tuple[int, int]:
    try:
        size = os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return 80, 24
    return size.columns or 80, size.lines or 24


def open_progress(output: Output, environ: Optional[Dict[str, str]] = None) -> Progress:
    """The display for ``output``: JSON lines, a live display on a terminal (not ``TERM=dumb``), or
    plain lines. Use it as a context manager, so that it is closed and the clients' output caught."""
    if output.as_json:
        return JsonProgress(output)
    if is_live(output, environ):
        return LiveProgress(output)
    return PlainProgress(output)


def is_live(output: Output, environ: Optional[Dict[str, str]] = None) -> bool:
    """Whether :func:`open_progress` gives a live display: a terminal that is not ``TERM=dumb``, no JSON."""
    variables = os.environ if environ is None else environ
    return not output.as_json and output.out.isatty() and variables.get("TERM") != "dumb"
