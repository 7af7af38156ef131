"""External volumes and networks: used as they are, never created, prepared or removed."""

from __future__ import annotations

import pytest

from dockermap.map.plan import PlanOptions, plan
from tests.unit.map.plan.records import (
    container,
    desired_map,
    endpoint,
    engine,
    found,
    found_network,
    found_volume,
    key,
    network,
    volume,
)


def external_items():
    net = network("edge", external=True)
    data = volume("data", external=True)
    web = container(endpoints=[endpoint("m.edge")], mounts={"/data": "m.data"})
    return [net, data, web]


def run(action, records, observed, **options):
    ordered = [key(record) for record in records]
    return plan(action, ordered, desired_map(*records), {"__default__": observed}, PlanOptions(**options))


def test_startup_uses_external_items_without_creating_them():
    net, data, web = external_items()
    # made outside dockermap: without dockermap's labels, which would refuse such objects otherwise
    observed = engine(found_network(net, labels={}), found_volume(data, labels={}))
    assert [(action.kind, action.name) for action in run("startup", [net, data, web], observed)] == [
        ("create", "m.web"),
        ("start", "m.web"),
    ]


def test_shutdown_with_remove_attached_keeps_external_items():
    net, data, web = external_items()
    observed = engine(found_network(net, labels={}), found_volume(data, labels={}), found(web))
    result = run("shutdown", [web, net, data], observed, remove_attached=True)
    assert [(action.kind, action.name) for action in result] == [("stop", "m.web"), ("remove", "m.web")]


@pytest.mark.parametrize("action", ["startup", "update", "create"])
def test_missing_external_items_refuse_the_plan(action):
    net, data, web = external_items()
    with pytest.raises(ValueError) as info:
        run(action, [net, data, web], engine(found_network(net, labels={})))
    assert str(info.value) == (
        "External items do not exist; create them first (dockermap never creates external items): "
        "volume 'm.data' on client '__default__' (map 'm')."
    )
    # a shutdown does not need them
    assert [action.kind for action in run("shutdown", [web, net, data], engine())] == []
