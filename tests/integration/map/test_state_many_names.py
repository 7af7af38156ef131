"""Observing a large map that the engine does not hold: one unfiltered list call, names matched here."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from dockermap.api import ClientConfiguration, ContainerMap, MappingDockerClient
from dockermap.map.state import NAME_FILTER_LIMIT


def _container_filters(requests):
    lists = [path for method, path in requests if method == "GET" and "/containers/json" in path]
    return [parse_qs(urlparse(path).query).get("filters", [""])[0] for path in lists]


def test_many_missing_names_are_matched_here_and_an_unlabelled_container_is_still_found(
    engine, base_image, cleanup, request_proxy
):
    size = NAME_FILTER_LIMIT + 10
    name = cleanup.name("many")
    container_map = ContainerMap(name, {f"c{i}": {"image": "/busybox"} for i in range(size)})
    # made by hand (no dockermap labels), under the name the map gives c3
    engine.api.create_container("busybox:latest", name=f"{name}.c3", labels=cleanup.labels, command="true")
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=request_proxy.base_url))

    plan = client.plan("create", [f"c{i}" for i in range(size)], adopt_unlabelled=True)

    created = {action.name for action in plan if action.kind == "create"}
    assert created == {f"{name}.c{i}" for i in range(size)} - {f"{name}.c3"}
    filters = _container_filters(request_proxy.requests)
    assert len(filters) == 2 and "label" in filters[0]
    assert "name" not in filters[1]


def test_a_few_missing_names_are_asked_for_by_name(engine, base_image, cleanup, request_proxy):
    name = cleanup.name("few")
    container_map = ContainerMap(name, {"a": {"image": "/busybox"}, "b": {"image": "/busybox"}})
    client = MappingDockerClient(container_map, ClientConfiguration(base_url=request_proxy.base_url))
    client.plan("create", ["a", "b"])
    filters = _container_filters(request_proxy.requests)
    assert len(filters) == 2 and '"name"' in filters[1] and "few" in filters[1]
