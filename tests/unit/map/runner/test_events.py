"""The events hub: a stream per client, events wake their container's waiters, the last one closes it."""

from __future__ import annotations

import queue
import threading

from dockermap.map.runner.events import EVENT_FILTERS, EventHub

END = object()


class FakeStream:
    """Yields the events put into it until :data:`END` or :meth:`close`."""

    def __init__(self) -> None:
        self.queue: queue.Queue = queue.Queue()
        self.closed = threading.Event()

    def __iter__(self):
        while True:
            event = self.queue.get()
            if event is END:
                return
            yield event

    def put(self, name: str) -> None:
        self.queue.put({"Action": "health_status: healthy", "Actor": {"Attributes": {"name": name}}})

    def close(self) -> None:
        self.closed.set()
        self.queue.put(END)


class FakeClient:
    def __init__(self) -> None:
        self.streams: list = []

    def events(self, decode: bool, filters: dict) -> FakeStream:
        assert decode and filters == EVENT_FILTERS
        self.streams.append(FakeStream())
        return self.streams[-1]


def test_waiters_of_one_client_share_a_stream_and_are_woken_by_their_own_container():
    hub, client = EventHub(), FakeClient()
    with hub.subscribe(client, "m.a") as a, hub.subscribe(client, "m.b") as b:
        assert len(client.streams) == 1 and a.live and b.live
        client.streams[0].put("m.a")
        assert a.wait(5)
        assert not b.wait(0.05)
        assert not client.streams[0].closed.is_set()
    assert client.streams[0].closed.is_set()


def test_the_next_waiter_after_the_last_one_left_opens_a_new_stream():
    hub, client = EventHub(), FakeClient()
    with hub.subscribe(client, "m.a"):
        pass
    with hub.subscribe(client, "m.a") as again:
        assert again.live
    assert len(client.streams) == 2


def test_each_client_has_a_stream_of_its_own():
    hub, first, second = EventHub(), FakeClient(), FakeClient()
    with hub.subscribe(first, "m.a"), hub.subscribe(second, "m.a"):
        assert (len(first.streams), len(second.streams)) == (1, 1)


def test_a_lost_stream_wakes_every_waiter_and_leaves_them_polling():
    hub, client = EventHub(), FakeClient()
    with hub.subscribe(client, "m.a") as a, hub.subscribe(client, "m.b") as b:
        client.streams[0].queue.put(END)
        assert a.wait(5) and b.wait(5)
        assert not a.live and not b.live
        with hub.subscribe(client, "m.c") as c:
            assert c.live and len(client.streams) == 2


class Unstreaming:
    def events(self, decode: bool, filters: dict):
        raise RuntimeError("no events here")


def test_a_client_that_cannot_stream_leaves_its_waiters_polling():
    hub = EventHub()
    for client in (Unstreaming(), object()):
        with hub.subscribe(client, "m.a") as waiter:
            assert not waiter.live and not waiter.wait(0.01)
