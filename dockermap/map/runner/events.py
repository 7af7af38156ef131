"""One engine events stream per client, shared by every thread that waits for one of its containers.

A waiter subscribes to the container it waits for, then looks at the container once, then sleeps until
an event about that container arrives. The stream is open before that look, so nothing that happens
after it is missed. The stream of a client is opened by its first waiter (``GET /events``, filtered to
the start, die and health events of containers that carry dockermap's labels) and closed when its last
waiter is done. A client that cannot stream events, or a stream that ends while waiters still use it,
leaves the waiters to poll (:attr:`Subscription.live` tells them which).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

from dockermap.log import logger

from ..labels import LABEL_MAP

log = logger(__name__)

#: The events a readiness waiter needs to hear about, of dockermap's containers only.
EVENT_FILTERS = {"type": ["container"], "event": ["start", "die", "health_status"], "label": [LABEL_MAP]}


class Subscription:
    """What one waiter holds: woken by an event about its container, or when its stream is lost."""

    def __init__(self, name: str, stream: Optional[_Stream] = None) -> None:
        self.name = name
        self._stream = stream
        self._signal = threading.Event()

    @property
    def live(self) -> bool:
        """Whether events about the container still arrive (otherwise the waiter has to poll)."""
        return self._stream is not None and not self._stream.lost

    def wake(self) -> None:
        self._signal.set()

    def wait(self, timeout: float) -> bool:
        """Sleep until woken or ``timeout`` seconds passed; whether it was woken."""
        woken = self._signal.wait(timeout)
        self._signal.clear()
        return woken


class _Stream:
    """An open events stream of one client and the subscriptions it wakes; read by a thread of its own."""

    def __init__(self, events: Any) -> None:
        self.events = events
        self.waiters: Dict[str, List[Subscription]] = {}
        self.lost = False
        self.closed = False
        self._lock = threading.Lock()
        threading.Thread(target=self._read, name="dockermap-events", daemon=True).start()

    def add(self, subscription: Subscription) -> None:
        with self._lock:
            self.waiters.setdefault(subscription.name, []).append(subscription)

    def remove(self, subscription: Subscription) -> bool:
        """Forget ``subscription``; whether it was the last one."""
        with self._lock:
            named = self.waiters[subscription.name]
            named.remove(subscription)
            if not named:
                del self.waiters[subscription.name]
            return not self.waiters

    def close(self) -> None:
        self.closed = True
        try:
            self.events.close()
        except Exception as exc:  # the stream may have ended already
            log.debug("closing the events stream: %s", exc)

    def _wake(self, name: Optional[str]) -> None:
        with self._lock:
            woken = [s for n, named in self.waiters.items() if name in (None, n) for s in named]
        for subscription in woken:
            subscription.wake()

    def _read(self) -> None:
        try:
            for event in self.events:
                attributes = (event.get("Actor") or {}).get("Attributes") or {}
                if attributes.get("name"):
                    self._wake(attributes["name"])
        except Exception as exc:  # closing the stream from another thread ends the read with an error
            if not self.closed:
                log.warning("the engine's events stream failed (%s); waiting by polling instead", exc)
        if not self.closed:
            self.lost = True
            self._wake(None)


class EventHub:
    """The events streams of the clients whose containers are being waited for, one per client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: Dict[int, _Stream] = {}

    def _open(self, client: Any) -> Optional[_Stream]:
        stream = self._streams.get(id(client))
        if stream is not None and not stream.lost:
            return stream
        events = getattr(client, "events", None)
        if not callable(events):
            return None
        try:
            stream = _Stream(events(decode=True, filters=EVENT_FILTERS))
        except Exception as exc:  # e.g. a command-line client that cannot stream: the waiters poll
            log.debug("no events stream from %r: %s", client, exc)
            return None
        self._streams[id(client)] = stream
        return stream

    @contextmanager
    def subscribe(self, client: Any, name: str) -> Iterator[Subscription]:
        """Be woken by the events of container ``name`` of ``client`` while inside the block."""
        with self._lock:
            stream = self._open(client)
            subscription = Subscription(name, stream)
            if stream is not None:
                stream.add(subscription)
        try:
            yield subscription
        finally:
            if stream is not None:
                with self._lock:
                    if stream.remove(subscription):
                        stream.close()
                        if self._streams.get(id(client)) is stream:
                            del self._streams[id(client)]


#: The streams of this process.
EVENTS = EventHub()
