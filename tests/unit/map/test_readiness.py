"""Readiness conditions: how they are written (map, YAML, call option) and what ``completed`` plans."""

from __future__ import annotations

import pytest

from dockermap.map.config.main import ContainerMap
from dockermap.map.desired import DesiredBuilder
from dockermap.map.exceptions import MapIntegrityError
from dockermap.map.input import ItemType, MapConfigId
from dockermap.map.plan import plan
from dockermap.map.readiness import DEFAULT_TIMEOUT, STARTED, Readiness, get_readiness
from dockermap.map.yaml import load_map
from tests.unit.map.plan.records import container, desired_map, engine, found, key


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, STARTED),
        ("healthy", Readiness("healthy")),
        ({"condition": "completed", "timeout": 5}, Readiness("completed", timeout=5.0)),
        ({"log": r"ready on \d+"}, Readiness("log", r"ready on \d+", DEFAULT_TIMEOUT)),
        ({"condition": "completed", "timeout": None}, Readiness("completed", timeout=None)),
    ],
)
def test_written_forms(value, expected):
    assert get_readiness(value) == expected


def test_a_condition_says_how_long_it_is_waited_for():
    assert str(Readiness("healthy", timeout=120)) == "healthy (timeout 120 s)"
    assert str(Readiness("completed", timeout=None)) == "completed (no time limit)"


@pytest.mark.parametrize(
    "value, message",
    [
        ("up", "unknown condition 'up'"),
        ({"condition": "healthy", "timeout": 0}, "m.web.ready.timeout: expected a positive number"),
        ({"condition": "healthy", "timeout": -5}, "m.web.ready.timeout: expected a positive number"),
        ({"condition": "completed", "timeout": float("inf")}, "or null for no time limit, got inf"),
        ({"condition": "completed", "timeout": "none"}, "or null for no time limit, got 'none'"),
        ({"log": "("}, "m.web.ready.log: not a regular expression"),
        ({"condition": "log"}, "needs 'log'"),
        ({"condition": "healthy", "wait": 3}, "unknown key(s) wait"),
        (3, "expected 'started', 'healthy'"),
    ],
)
def test_malformed_conditions_are_named_with_their_location(value, message):
    with pytest.raises(ValueError) as error:
        get_readiness(value, "m.web.ready")
    assert message in str(error.value) and "m.web.ready" in str(error.value)


def test_a_map_reads_ready_from_yaml_and_a_call_option_overrides_it():
    container_map = load_map("web:\n  ready: {condition: healthy, timeout: 30}\ndb: {}\n", "m")
    extended = {"m": container_map.get_extended_map()}
    web = MapConfigId(ItemType.CONTAINER, "m", "web")
    db = MapConfigId(ItemType.CONTAINER, "m", "db")
    assert DesiredBuilder(extended, {}).container("__default__", web).ready == Readiness(
        "healthy", timeout=30
    )
    overridden = DesiredBuilder(extended, {}, {"ready": {"m.web": "completed", "db": {"log": "up"}}})
    assert overridden.container("__default__", web).ready == Readiness("completed")
    assert overridden.container("__default__", db).ready == Readiness("log", "up")


def test_a_map_file_waits_without_a_time_limit_for_a_null_timeout():
    container_map = load_map("migrate:\n  ready: {condition: completed, timeout: null}\nweb: {}\n", "m")
    extended = {"m": container_map.get_extended_map()}
    migrate = MapConfigId(ItemType.CONTAINER, "m", "migrate")
    assert DesiredBuilder(extended, {}).container("__default__", migrate).ready == Readiness(
        "completed", timeout=None
    )
    for refused in ("0", "-1"):
        with pytest.raises(MapIntegrityError) as error:
            load_map(f"migrate:\n  ready: {{condition: completed, timeout: {refused}}}\n", "m")
        assert error.value.problems[0].location == "m.migrate.ready"
        assert "timeout: expected a positive number of seconds, or null" in error.value.problems[0].message


def test_a_malformed_ready_setting_is_a_map_problem():
    with pytest.raises(MapIntegrityError) as error:
        ContainerMap("m", {"web": {"ready": "soon"}}, check_integrity=True)
    assert "m.web.ready" in str(error.value) and "unknown condition 'soon'" in str(error.value)


def test_a_completed_container_is_not_started_again_unless_it_failed_or_changed():
    init = container("init", ready=Readiness("completed"))
    done = engine(found(init, status="exited"))
    for action in ("startup", "start", "update"):
        assert list(plan(action, [key(init)], desired_map(init), {"__default__": done})) == []
    failed = engine(found(init, status="exited", exit_code=1))
    assert [a.kind for a in plan("startup", [key(init)], desired_map(init), {"__default__": failed})] == [
        "start"
    ]
    plain = container("init")
    assert [a.kind for a in plan("startup", [key(plain)], desired_map(plain), {"__default__": done})] == [
        "start"
    ]
