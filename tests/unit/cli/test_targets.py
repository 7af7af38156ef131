"""Names on the command line: unknown ones are refused naming the map and its file, with the closest."""

from __future__ import annotations

import pytest

from dockermap.cli.inputs import InputError
from dockermap.cli.suggest import did_you_mean
from dockermap.cli.targets import check_names, targets
from dockermap.map.config.main import ContainerMap


def test_did_you_mean():
    assert did_you_mean("wbe", ["web", "worker"]) == "; did you mean 'web'?"
    assert did_you_mean("zzz", ["web", "db"]) == "; valid names are db, web"
    assert did_you_mean("-q", ["--json"], "options") == "; valid options are --json"


def test_unknown_names_name_the_map_and_its_file():
    maps = {"shop": ContainerMap("shop", {"web": {}, "worker": {"instances": ["a", "b"]}})}
    check_names(maps, "shop", ["web", "worker.a", "worker"], {"shop": "shop.yaml"})
    with pytest.raises(InputError) as caught:
        check_names(maps, "shop", ["worker.c"], {"shop": "shop.yaml"})
    assert str(caught.value) == (
        "no configuration, instance or group 'worker.c' in map 'shop' (shop.yaml); did you mean 'worker.b'?"
    )
    with pytest.raises(InputError) as caught:
        check_names(maps, None, ["wbe"])
    assert str(caught.value) == "no configuration, instance or group 'wbe' in the maps; did you mean 'web'?"


def test_targets_carry_the_engine_name_a_container_gets():
    maps = {"shop": ContainerMap("shop", {"web": {"container_name": "www"}, "db": {}, "naming": "compose"})}
    assert [(t.config, t.name) for t in targets(maps, "shop", [])] == [("web", "www"), ("db", "shop-db-1")]
