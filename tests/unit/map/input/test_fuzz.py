"""Random nested data never makes an input conversion fail with anything but ValueError."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dockermap.map.input import (
    AttachedVolumeList,
    ContainerLinkList,
    ExecCommandList,
    HealthCheck,
    InputConfigIdList,
    NetworkEndpointList,
    PortBindingList,
    SharedHostVolumesList,
    UsedVolumeList,
    get_healthcheck,
    get_list,
    get_network_mode,
)

# Words the conversions look for, so that random data often hits the interesting branches.
WORDS = (
    "ro rw name path host_path readonly container alias exposed_port host_port interface ipv6 cmd user "
    "policy restart initial network_name aliases links ipv4_address ipv6_address link_local_ips config_type "
    "map_name config_name instance_names container volume network NONE CMD disabled host /p ./p m.c m.c.i "
    "10s 1.5m"
).split()

keys = st.one_of(st.sampled_from(WORDS), st.text(max_size=5), st.integers(-3, 3), st.none(), st.booleans())
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.sampled_from(WORDS),
    st.text(max_size=8),
    st.binary(max_size=4),
)
nested = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=7),
        st.lists(children, max_size=7).map(tuple),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=25,
)

LIST_TYPES = (
    SharedHostVolumesList,
    UsedVolumeList,
    AttachedVolumeList,
    ContainerLinkList,
    PortBindingList,
    ExecCommandList,
    NetworkEndpointList,
    InputConfigIdList,
)


def converts_or_value_error(convert, value):
    """Run ``convert(value)``; only a ValueError with a message may escape."""
    try:
        return convert(value)
    except ValueError as exc:
        assert str(exc)
        return None


@pytest.mark.parametrize("list_type", LIST_TYPES, ids=lambda list_type: list_type.__name__)
@settings(max_examples=200, deadline=None)
@given(value=nested)
def test_list_types(list_type, value):
    result = converts_or_value_error(list_type, value)
    if result is not None:
        assert all(isinstance(item, list_type.element_type) for item in result)
        converts_or_value_error(list_type().append, value)


@settings(max_examples=200, deadline=None)
@given(value=nested, map_name=nested, instances=nested)
def test_input_config_id_list_defaults(value, map_name, instances):
    converts_or_value_error(lambda seq: InputConfigIdList(seq, map_name=map_name, instances=instances), value)


@settings(max_examples=300, deadline=None)
@given(value=nested)
def test_healthcheck(value):
    result = converts_or_value_error(get_healthcheck, value)
    assert result is None or isinstance(result, HealthCheck)


@settings(max_examples=300, deadline=None)
@given(value=nested)
def test_network_mode(value):
    result = converts_or_value_error(get_network_mode, value)
    assert result is None or isinstance(result, (str, tuple))


@settings(max_examples=200, deadline=None)
@given(value=nested)
def test_get_list(value):
    result = converts_or_value_error(get_list, value)
    assert result is None or isinstance(result, list)
