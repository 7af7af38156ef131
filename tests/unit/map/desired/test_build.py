"""The build of an image as its desired record says it (no engine)."""

from __future__ import annotations

import os

import pytest

from dockermap.functional import lazy_once
from dockermap.map.config.main import ContainerMap
from dockermap.map.desired import DesiredBuilder
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.items import DesiredBuild

DEFAULT = "__default__"


def image_record(map_dict, name, tag="latest", **map_keys):
    ext = ContainerMap("main", map_dict, **map_keys).get_extended_map()
    return DesiredBuilder({"main": ext}, {}).image(DEFAULT, MapConfigId(ItemType.IMAGE, "main", name, tag))


def test_the_image_of_a_configuration_with_build_is_built():
    record = image_record(
        {
            "web": {
                "image": "shop/web",
                "build": {"context": "/srv/web", "dockerfile": "ci/Dockerfile", "args": {"V": 2}},
            }
        },
        "shop/web",
        "dev",
        default_tag="dev",
    )
    assert record.ref == "shop/web:dev"
    assert record.build == DesiredBuild("main.web", "/srv/web", "ci/Dockerfile", {"V": "2"})


def test_the_repository_prefix_applies_and_lazy_values_are_resolved():
    context = lazy_once(str, "/srv/app")
    record = image_record(
        {"app": {"build": {"context": context, "target": lazy_once(str, "prod")}}},
        "reg.io/app",
        repository="reg.io",
    )
    assert record.ref == "reg.io/app:latest"
    assert (record.build.context, record.build.target) == ("/srv/app", "prod")


def test_a_relative_context_is_relative_to_the_current_directory():
    record = image_record({"app": {"build": "src"}}, "app")
    assert record.build.context == os.path.join(os.getcwd(), "src")


def test_an_image_without_build_is_pulled_even_if_another_configuration_shares_it():
    assert image_record({"db": {"image": "postgres"}}, "postgres").build is None
    shared = {"web": {"image": "app", "build": "/srv/app"}, "worker": {"image": "app"}}
    assert image_record(shared, "app").build.source == "main.web"


def test_two_different_builds_of_one_image_are_refused():
    same = {"a": {"image": "app", "build": "/srv/app"}, "b": {"image": "app", "build": "/srv/app"}}
    assert image_record(same, "app").build.source == "main.a"
    different = {"a": {"image": "app", "build": "/srv/app"}, "b": {"image": "app", "build": "/srv/other"}}
    with pytest.raises(ValueError, match=r"main.b.build: image app:latest is also built by main.a"):
        image_record(different, "app")
