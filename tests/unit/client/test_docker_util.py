import pytest

from dockermap.client.docker_util import (
    DockerUtilityMixin,
    is_repo_image,
    primary_container_name,
    split_tag,
    tag_check_function,
)
from dockermap.exceptions import PartialResultsError


@pytest.mark.parametrize(
    ("tags", "expected"),
    [(None, False), ([], False), (["<none>:<none>"], False), (["web:1"], True), (["a:b", "c:d"], True)],
)
def test_is_repo_image(tags, expected):
    assert is_repo_image({"RepoTags": tags}) is expected


def test_tag_check_function():
    check = tag_check_function(["latest", "stable"])
    assert check({"RepoTags": ["web:1", "web:stable"]})
    assert check({"RepoTags": ["reg:5000/web:latest"]})
    assert not check({"RepoTags": ["web:1", "web:latest-rc"]})
    assert not check({"RepoTags": None})


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["/web/db", "/db"], "db"),
        (["/db", "/web/db"], "db"),
        (["/app/alias"], "fallback"),
        ([], "fallback"),
    ],
)
def test_primary_container_name(names, expected):
    assert primary_container_name(names, default="fallback") == expected


def test_primary_container_name_keeps_slash_on_request():
    assert primary_container_name(["/db"], strip_trailing_slash=False) == "/db"


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("web", ("web", None)),
        ("web:1.0", ("web", "1.0")),
        ("registry:5000/web", ("registry:5000/web", None)),
        ("registry:5000/web:2", ("registry:5000/web", "2")),
    ],
)
def test_split_tag(image, expected):
    assert split_tag(image) == expected


class FakeTagger(DockerUtilityMixin):
    def __init__(self, fail_on=None):
        self.calls = []
        self.fail_on = fail_on

    def tag(self, image, repository, tag):
        if tag == self.fail_on:
            raise RuntimeError(f"cannot tag {tag}")
        self.calls.append((image, repository, tag))


def test_add_extra_tags_main_tag_with_tag_part():
    client = FakeTagger()
    added = client.add_extra_tags("id1", "web:1.0", ["1", "1.0", "1"], add_latest=True)
    assert added == ["1", "latest"]
    assert client.calls == [("id1", "web", "1"), ("id1", "web", "latest")]


def test_add_extra_tags_main_tag_without_colon_uses_whole_repository():
    # Bug #17: formerly nothing was tagged here.
    client = FakeTagger()
    assert client.add_extra_tags("id1", "new_image", ["v2"], add_latest=True) == ["v2", "latest"]
    assert client.calls == [("id1", "new_image", "v2"), ("id1", "new_image", "latest")]


def test_add_extra_tags_registry_port_is_not_a_tag():
    client = FakeTagger()
    client.add_extra_tags("id1", "localhost:5000/web", None, add_latest=True)
    assert client.calls == [("id1", "localhost:5000/web", "latest")]


def test_add_extra_tags_failure_reports_tags_added_before():
    client = FakeTagger(fail_on="b")
    with pytest.raises(PartialResultsError) as raised:
        client.add_extra_tags("id1", "web:x", ["a", "b", "c"], add_latest=False)
    assert raised.value.results == ["a"]
    assert str(raised.value) == "RuntimeError: cannot tag b"
    assert isinstance(raised.value.__cause__, RuntimeError)


class FakeEngine(DockerUtilityMixin):
    """Listings as the engine returns them; removals are recorded."""

    def __init__(self, containers=(), images=()):
        self._containers = list(containers)
        self._images = list(images)
        self.removed = []

    def containers(self, all=False, filters=None):
        return self._containers

    def images(self, all=False, filters=None):
        return self._images

    def remove_container(self, container, **kwargs):
        self.removed.append(container)

    def remove_image(self, image, **kwargs):
        self.removed.append(image)


def _container(cid, names, state="exited", image="img"):
    return {"Id": cid, "Names": names, "State": state, "ImageID": image}


def test_cleanup_containers_exclude_ignores_link_aliases():
    # Bug #18: a link alias ("/web/db") counted as a name of the linked container.
    engine = FakeEngine(
        [
            _container("c1", ["/web/db", "/db"]),
            _container("c2", ["/web"]),
            _container("c3", ["/app"], state="running"),
            _container("c4", ["/fresh"], state="created"),
        ]
    )
    assert engine.cleanup_containers(exclude=["web/db"], list_only=True) == [("c1", "db"), ("c2", "web")]
    assert engine.cleanup_containers(exclude=["db"]) == ["web"]
    assert engine.removed == ["web"]
    assert engine.cleanup_containers(include_initial=True, exclude=["db", "web"], list_only=True) == [
        ("c4", "fresh")
    ]


def _image(iid, parent="", tags=None):
    return {"Id": iid, "ParentId": parent, "RepoTags": tags}


def test_cleanup_images_removes_children_first_and_keeps_parents_of_kept_images():
    engine = FakeEngine(
        containers=[_container("c1", ["/x"], image="used")],
        images=[
            _image("a"),
            _image("b", "a"),
            _image("c", "b"),
            _image("base"),
            _image("tagged", "base", ["web:latest"]),
            _image("used", "base"),
            _image("old", "base", ["web:old"]),
        ],
    )
    assert engine.cleanup_images(list_only=True) == ["c", "b", "a"]
    assert engine.cleanup_images(remove_old=True, list_only=True) == ["c", "old", "b", "a"]
    assert engine.cleanup_images(remove_old=True, keep_tags=["old"], list_only=True) == ["c", "b", "a"]
    assert engine.cleanup_images() == ["c", "b", "a"]
    assert engine.removed == ["c", "b", "a"]
