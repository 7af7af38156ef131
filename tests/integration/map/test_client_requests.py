"""Acceptance: a no-op ``update`` reads a few lists and changes nothing, however large the map.

Requests are counted through a logging proxy socket in front of the engine. Docker Compose v2 needs 4–6
requests for a no-op on 50 services, the classic library about N+5; dockermap needs 4.
"""

from __future__ import annotations

from collections import Counter

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient

#: Stops at once on SIGTERM: ``wait`` is interrupted by the trapped signal (a foreground ``sleep`` is not).
COMMAND = "sh -c \"trap 'exit 0' TERM; sleep 3600 & wait\""


def scale_map(name: str, size: int) -> ContainerMap:
    """``size`` containers: ``hub`` attaches a volume that all others use; half of the others form a
    chain of legacy links from ``hub``, the rest fan out on a map network. Group ``all`` names them."""
    common = {"image": "/busybox", "create_options": {"command": COMMAND}}
    config = {"hub": {**common, "attaches": "data"}}
    chain = (size - 1) // 2
    previous = "hub"
    for i in range(1, chain + 1):
        config[f"chain{i}"] = {**common, "uses": "data", "links": previous}
        previous = f"chain{i}"
    for i in range(1, size - chain):
        config[f"leaf{i}"] = {**common, "uses": "data", "networks": {"net": {"aliases": [f"leaf{i}"]}}}
    members = [key for key in config if key != "hub"]
    config.update(volumes={"data": "/data"}, networks={"net": {}}, groups={"all": members})
    return ContainerMap(name, config)


def _endpoint(path: str, prefix: str) -> str:
    """``/v1.41/containers/<name>/start?x=1`` → ``containers/<config>/start`` (no version, no query)."""
    path = path.split("?")[0]
    if path.startswith("/v1."):
        path = path.split("/", 2)[2]
    return path.lstrip("/").replace(prefix, "")


def _mutating_kinds(requests: list, map_name: str) -> Counter:
    """Counts of mutating requests by kind, e.g. ``POST containers/*/start``."""
    kinds = Counter()
    for method, path in requests:
        if method not in ("GET", "HEAD"):
            parts = _endpoint(path, map_name + ".").split("/")
            if len(parts) == 3:
                parts[1] = "*"
            kinds[f"{method} {'/'.join(parts)}"] += 1
    return kinds


def _startup_then_noop_update(request_proxy, cleanup, size: int):
    """Cold ``startup`` and then a no-op ``update`` by a fresh client, both through the proxy."""
    container_map = scale_map(cleanup.name(f"n{size}"), size)
    MappingDockerClient(container_map, ClientConfiguration(base_url=request_proxy.base_url)).startup("all")
    startup = list(request_proxy.requests)
    request_proxy.reset()
    fresh = MappingDockerClient(container_map, ClientConfiguration(base_url=request_proxy.base_url))
    assert fresh.update("all") == []
    update = list(request_proxy.requests)
    request_proxy.reset()
    return container_map, startup, update


def test_noop_update_requests_do_not_grow_with_the_map(engine, base_image, cleanup, request_proxy):
    runs = {size: _startup_then_noop_update(request_proxy, cleanup, size) for size in (5, 50)}
    for size, (container_map, startup, update) in runs.items():
        assert _mutating_kinds(startup, container_map.name) == {
            "POST volumes/create": 1,
            "POST networks/create": 1,
            "POST containers/create": size,
            "POST containers/*/start": size,
        }
        assert [r for r in update if r[0] not in ("GET", "HEAD")] == []
        # One list call per kind and one lookup per image (the containers' image is also the helper
        # image); with nothing to change, no SDK client negotiates an API version.
        assert [_endpoint(p, container_map.name) for _, p in update] == [
            "containers/json",
            "volumes",
            "networks",
            "images/busybox:latest/json",
        ]
    assert runs[5][2] == runs[50][2]
    running = [n[1:] for c in engine.api.containers() for n in c["Names"] if "/" not in n[1:]]
    for size, (container_map, _, _) in runs.items():
        assert sum(n.startswith(container_map.name + ".") for n in running) == size
