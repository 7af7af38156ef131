"""Field rules on inspected containers: ulimits and the health check are named when they differ."""

from __future__ import annotations

from dockermap.map.flags import StateFlags
from dockermap.map.plan.detail import explain_differences
from tests.unit.map.plan.records import container

SECONDS = 1_000_000_000


def _detail(config=None, host_config=None):
    return {"Config": {"Env": [], **(config or {})}, "HostConfig": host_config or {}}


def _with(create=None, host=None):
    return container(
        create_kwargs={"name": "m.web", "image": "busybox:latest", **(create or {})}, host_config=host or {}
    )


def test_changed_ulimit_is_named_with_both_values():
    web = _with(host={"ulimits": [{"name": "nofile", "soft": 512, "hard": 2048}]})
    detail = _detail(host_config={"Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]})
    assert explain_differences(web, detail) == [
        (StateFlags.MISC_MISMATCH, "ulimits are nofile=1024:2048, expected nofile=512:2048")
    ]


def test_same_ulimits_in_any_order_and_key_case_are_equal():
    web = _with(host={"ulimits": [{"Name": "nproc", "Soft": 64}, {"name": "nofile", "soft": 1, "hard": 2}]})
    detail = _detail(
        host_config={
            "Ulimits": [{"Name": "nofile", "Soft": 1, "Hard": 2}, {"Name": "nproc", "Soft": 64, "Hard": 0}]
        }
    )
    assert explain_differences(web, detail) == []


def test_ulimits_set_on_the_engine_but_not_configured_are_not_compared():
    detail = _detail(host_config={"Ulimits": [{"Name": "nofile", "Soft": 1, "Hard": 2}]})
    assert explain_differences(_with(), detail) == []


def test_removed_ulimits_are_named():
    web = _with(host={"ulimits": []})
    detail = _detail(host_config={"Ulimits": [{"Name": "nofile", "Soft": 1, "Hard": 2}]})
    assert explain_differences(web, detail) == [
        (StateFlags.MISC_MISMATCH, "ulimits are nofile=1:2, expected none")
    ]


def test_changed_healthcheck_is_named_with_both_values():
    web = _with(create={"healthcheck": {"test": ["CMD", "sh", "-c", "true"], "interval": 30 * SECONDS}})
    detail = _detail(
        config={"Healthcheck": {"Test": ["CMD", "true"], "Interval": 30 * SECONDS, "Retries": 0}}
    )
    assert explain_differences(web, detail) == [
        (
            StateFlags.MISC_MISMATCH,
            "healthcheck is {'test': ['CMD', 'true'], 'interval': 30000000000}, "
            "expected {'test': ['CMD', 'sh', '-c', 'true'], 'interval': 30000000000}",
        )
    ]


def test_healthcheck_string_test_is_a_shell_test_and_unset_values_are_ignored():
    web = _with(create={"healthcheck": {"test": "true", "interval": 5 * SECONDS, "timeout": None}})
    detail = _detail(
        config={"Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 5 * SECONDS, "Timeout": 0}}
    )
    assert explain_differences(web, detail) == []


def test_healthcheck_of_the_image_is_not_compared_when_none_is_configured():
    detail = _detail(config={"Healthcheck": {"Test": ["CMD", "true"]}})
    assert explain_differences(_with(), detail) == []
