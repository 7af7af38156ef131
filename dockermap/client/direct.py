"""``DirectClient``: the calls of stopping and removing made without the Docker SDK.

A ``shutdown`` needs nothing but stop and remove requests, yet importing the SDK (with ``requests`` and
``urllib3``) took about as long as stopping a container. The runner therefore talks to an engine on a
Unix socket or plain TCP through this client: an :class:`~dockermap.client.reader.EngineReader` that also
starts, stops, kills and removes containers and removes volumes and networks itself. Every other
attribute is the SDK client's, created on first use, so creating a container imports the SDK as before.

An error status is asked again through the SDK client, as the reader does: the caller gets the SDK's
own errors and :class:`~dockermap.client.base.DockerClientWrapper`'s handling of them (a missing
container ignored by ``remove_container``, errors logged). Every call made here can be repeated safely.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Optional, Union

from .reader import EngineReader, path_part

#: Seconds the engine's stop waits before it kills the container, when the call names none (the SDK's).
DEFAULT_STOP_TIMEOUT = 10

Signal = Union[str, int]


class DirectClient(EngineReader):
    """An :class:`~dockermap.client.reader.EngineReader` that makes the changes of a teardown itself and
    hands everything else to the SDK client (see the module notes); its methods take the arguments of
    ``docker.APIClient``'s methods of the same names."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # never the SDK's internals, nor during copying or pickling
            raise AttributeError(name)
        return getattr(self._sdk(), name)

    def prepare_sdk(self) -> None:
        """Create the SDK client in a background thread, for a run that needs it only after its first
        requests: the import then overlaps the engine's work instead of following it."""
        threading.Thread(target=self._quietly_prepare, name="dockermap-sdk", daemon=True).start()

    def _quietly_prepare(self) -> None:
        try:
            self._sdk()
        except Exception:  # the call that needs the client meets the error again
            pass

    def _change(
        self,
        method: str,
        path: str,
        params: Dict[str, Any],
        timeout: Optional[float],
        through_sdk: Callable[[Any], None],
    ) -> None:
        """Send a request; after an error status, make the same call ``through_sdk(sdk_client)``."""
        status, _ = self._request(method, path, params, timeout)
        if not (200 <= status < 300 or status == 304):  # 304: already in the requested state
            through_sdk(self._sdk())

    def start(self, container: str) -> None:
        path = f"/containers/{path_part(container)}/start"
        self._change("POST", path, {}, self._timeout, lambda sdk: sdk.start(container))

    def stop(self, container: str, timeout: Optional[int] = None, **options: Any) -> None:
        """Stop with the container's stop signal; the request may take ``timeout`` seconds longer.
        ``options`` of the SDK client's ``stop`` (``raise_on_error``) hand the call to it."""
        if options:
            return self._sdk().stop(container, timeout=timeout, **options)
        waits = DEFAULT_STOP_TIMEOUT if timeout is None else timeout
        request_timeout = None if self._timeout is None else self._timeout + waits
        path = f"/containers/{path_part(container)}/stop"
        self._change(
            "POST", path, {"t": timeout}, request_timeout, lambda sdk: sdk.stop(container, timeout=timeout)
        )

    def kill(self, container: str, signal: Optional[Signal] = None) -> None:
        number_or_name = signal if signal is None or isinstance(signal, str) else int(signal)
        path = f"/containers/{path_part(container)}/kill"
        params = {"signal": number_or_name}
        self._change("POST", path, params, self._timeout, lambda sdk: sdk.kill(container, signal=signal))

    def remove_container(
        self, container: str, v: bool = False, link: bool = False, force: bool = False, **options: Any
    ) -> None:
        """``options`` of the SDK client's ``remove_container`` (``raise_not_found``) hand the call to it."""
        params = {"v": v, "link": link, "force": force}
        if options:
            return self._sdk().remove_container(container, **params, **options)
        path = f"/containers/{path_part(container)}"
        self._change(
            "DELETE", path, params, self._timeout, lambda sdk: sdk.remove_container(container, **params)
        )

    def remove_volume(self, name: str, force: bool = False) -> None:
        params = {"force": True} if force else {}
        path = f"/volumes/{path_part(name)}"
        self._change("DELETE", path, params, self._timeout, lambda sdk: sdk.remove_volume(name, force=force))

    def remove_network(self, net_id: str) -> None:
        path = f"/networks/{path_part(net_id)}"
        self._change("DELETE", path, {}, self._timeout, lambda sdk: sdk.remove_network(net_id))
