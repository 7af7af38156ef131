"""Property tests: random input never escapes as anything but the documented error types.

Documented: ``MapIntegrityError``, ``ValueError`` (``YAMLLoadError`` is one) and ``CircularDependency``.
"""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockermap.dep import CircularDependency
from dockermap.map.config.container import ContainerConfiguration
from dockermap.map.config.main import ContainerMap
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.yaml import load_map

from .sample_maps import getting_started

DOCUMENTED = (MapIntegrityError, ValueError, CircularDependency)
CONTAINER_KEYS = list(ContainerConfiguration.CONFIG_PROPERTIES)
MAP_KEYS = list(ContainerMap.CONFIG_PROPERTIES) + ["containers", "volumes", "host", "host_root", "networks"]
NAMES = ["web", "db", "db.a", "a", "x", "nginx_log", "uwsgi", "name", "path", "root", "default", "__all__"]
WORDS = NAMES + [
    "/p",
    "./p",
    "ro",
    "rw",
    "host",
    "bridge",
    "none",
    "container:x",
    "/x",
    "1.41",
    "10s",
    "${X}",
]

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 70000),
    st.floats(allow_nan=True),
    st.sampled_from(WORDS),
    st.text(alphabet="ab./:_-${} ", max_size=8),
)
keys = st.one_of(st.sampled_from(CONTAINER_KEYS + MAP_KEYS + NAMES), st.text(max_size=5), st.integers(0, 3))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=12,
)
container_configs = st.dictionaries(st.sampled_from(CONTAINER_KEYS), values, max_size=6) | values
container_maps = st.dictionaries(st.sampled_from(NAMES[:6]), container_configs, max_size=4)


def exercise(data, **kwargs):
    """Build a map from ``data`` and use it; only documented errors may escape."""
    try:
        c_map = ContainerMap("m", data, **kwargs)
        c_map.clean()
        ContainerMap("m", c_map.as_dict(), check_integrity=False)
        list(c_map.dependency_items())
        c_map.get_persistent_items()
        c_map.check_integrity()
    except DOCUMENTED:
        pass


@FUZZ
@given(container_maps)
def test_random_container_configs(data):
    exercise(data)
    exercise(data, check_integrity=False)


@FUZZ
@given(st.dictionaries(keys, values, max_size=6))
def test_random_whole_maps(data):
    exercise(data)


@FUZZ
@given(st.dictionaries(st.sampled_from(MAP_KEYS), values, max_size=4), container_maps)
def test_random_map_level_values(map_values, containers):
    exercise(dict(containers, **map_values))


@FUZZ
@given(values)
def test_random_map_inputs_of_any_type(data):
    exercise(data)


@FUZZ
@given(st.dictionaries(keys, values, max_size=5))
def test_merging_random_dicts_changes_nothing_on_error(data):
    c_map = ContainerMap("main", getting_started())
    before = c_map.copy()
    try:
        c_map.merge(data)
    except DOCUMENTED:
        assert c_map == before


@FUZZ
@given(st.text(alphabet="ab:-[]{}!&*?|>#'\"\n ,.$/~%@`", max_size=60))
def test_random_yaml_text(text):
    try:
        load_map(text, name="m")
    except DOCUMENTED:
        pass


yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 9000), st.sampled_from(WORDS))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(CONTAINER_KEYS + NAMES), st.integers(0, 3)), inner, max_size=4
        ),
    ),
    max_leaves=15,
)


@FUZZ
@given(
    st.dictionaries(st.sampled_from(MAP_KEYS + NAMES), yaml_values, max_size=6),
    st.sampled_from(["", "!path ", "!env "]),
)
def test_random_documents_dumped_to_yaml(document, tag):
    text = yaml.safe_dump(document)
    if tag:
        text = "\n".join(
            line.replace(": ", f": {tag}", 1) if ": " in line else line for line in text.splitlines()
        )
    try:
        load_map(text, name="m")
    except DOCUMENTED:
        pass
