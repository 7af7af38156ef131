"""Planning builds: missing images of configurations with ``build`` are built, not pulled (no engine)."""

from __future__ import annotations

from dockermap.map.items import DesiredBuild
from dockermap.records import replace
from tests.unit.map.plan.records import IMAGE_ID, container, engine, image
from tests.unit.map.plan.test_generate import run, steps

BUILD = DesiredBuild("m.web", "/srv/web")


def built(ref: str = "busybox:latest"):
    return replace(image(ref), build=BUILD)


def test_startup_builds_a_missing_image_instead_of_pulling_it():
    result = run("startup", [built(), container()], engine(images={}))
    assert steps(result) == [("build", "busybox:latest"), ("create", "m.web"), ("start", "m.web")]
    assert result[0].cause == "image busybox:latest is not on the client; build it from /srv/web"
    assert result[0].args == {}
    assert result.depends_on[1] == frozenset({0})


def test_create_and_update_build_a_missing_image_too_pull_images_leaves_it():
    for action in ("create", "update"):
        assert steps(run(action, [built()], engine(images={}))) == [("build", "busybox:latest")]
    assert steps(run("pull_images", [built()], engine(images={}))) == []


def test_a_present_image_is_neither_built_nor_pulled_again():
    present = engine(images={"busybox:latest": IMAGE_ID})
    assert steps(run("startup", [built()], present)) == []
    assert steps(run("update", [built()], present, pull_before_update=True)) == []
    assert steps(run("pull_images", [built()], present, pull_all_images=True)) == []
    assert steps(run("pull_images", [image()], present, pull_all_images=True)) == [("pull", "busybox:latest")]


def test_build_images_builds_present_and_missing_images_with_the_call_keywords():
    present = engine(images={"busybox:latest": IMAGE_ID})
    result = run(
        "build_images", [built(), built("app:1"), image("db:2")], present, call_kwargs={"nocache": True}
    )
    assert steps(result) == [("build", "busybox:latest"), ("build", "app:1")]
    assert result[0].cause == "build requested; build it from /srv/web"
    assert result[1].cause == "image app:1 is not on the client; build it from /srv/web"
    assert [action.args for action in result] == [{"nocache": True}, {"nocache": True}]
