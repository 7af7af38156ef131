"""Image references and port keys: one table for every form the engine accepts."""

from __future__ import annotations

import pytest

from dockermap.api import ContainerMap
from dockermap.client.docker_util import split_tag
from dockermap.refs import ImageRef, port_key
from dockermap.utils import format_image_tag

DIGEST = "sha256:" + "ab" * 32

# reference, repository, tag, digest, registry
REFERENCES = [
    ("nginx", "nginx", None, None, "docker.io"),
    ("nginx:1.25", "nginx", "1.25", None, "docker.io"),
    ("library/nginx:latest", "library/nginx", "latest", None, "docker.io"),
    ("localhost/app", "localhost/app", None, None, "localhost"),
    ("localhost:5000/app", "localhost:5000/app", None, None, "localhost:5000"),
    ("localhost:5000/app:2", "localhost:5000/app", "2", None, "localhost:5000"),
    (
        "registry.example.com:5000/team/web:1.2",
        "registry.example.com:5000/team/web",
        "1.2",
        None,
        "registry.example.com:5000",
    ),
    ("registry.example.com/web", "registry.example.com/web", None, None, "registry.example.com"),
    (f"nginx@{DIGEST}", "nginx", None, DIGEST, "docker.io"),
    (f"nginx:1.25@{DIGEST}", "nginx", "1.25", DIGEST, "docker.io"),
    (f"localhost:5000/app@{DIGEST}", "localhost:5000/app", None, DIGEST, "localhost:5000"),
    (f"localhost:5000/app:3@{DIGEST}", "localhost:5000/app", "3", DIGEST, "localhost:5000"),
]


@pytest.mark.parametrize(("ref", "repository", "tag", "digest", "registry"), REFERENCES)
def test_image_ref_parts(ref, repository, tag, digest, registry):
    image = ImageRef.parse(ref)
    assert (image.repository, image.tag, image.digest, image.registry) == (repository, tag, digest, registry)
    assert str(image) == ref


@pytest.mark.parametrize(("ref", "repository", "tag", "digest", "registry"), REFERENCES)
def test_tagged_adds_latest_only_without_tag_or_digest(ref, repository, tag, digest, registry):
    expected = ref if tag or digest else f"{ref}:latest"
    assert str(ImageRef.parse(ref).tagged()) == expected


@pytest.mark.parametrize(("ref", "repository", "tag", "digest", "registry"), REFERENCES)
def test_split_tag_keeps_digest_references_whole(ref, repository, tag, digest, registry):
    assert split_tag(ref) == ((ref, None) if digest else (repository, tag))


@pytest.mark.parametrize(
    ("port", "key"),
    [
        (80, "80/tcp"),
        ("80", "80/tcp"),
        ("53/udp", "53/udp"),
        (("53", "udp"), "53/udp"),
        (["5000", "sctp"], "5000/sctp"),
        ("8000-8010", "8000-8010/tcp"),
    ],
)
def test_port_key(port, key):
    assert port_key(port) == key


@pytest.mark.parametrize(("ref", "repository", "tag", "digest", "registry"), REFERENCES)
def test_map_image_names_keep_tags_and_digests(ref, repository, tag, digest, registry):
    plain = ContainerMap("m", {})
    expected = ref if tag or digest else f"{ref}:latest"
    assert format_image_tag(plain.get_image(ref)) == expected
    prefixed = ContainerMap("m", {"repository": "team", "default_tag": "stable"})
    name = repository if "/" in repository else f"team/{repository}"
    expected = str(ImageRef(name, tag, digest)) if tag or digest else f"{name}:stable"
    assert format_image_tag(prefixed.get_image(ref)) == expected
