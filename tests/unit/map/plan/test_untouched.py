"""Which items a plan leaves alone when some clients cannot be reached, and how plans and errors list them."""

from __future__ import annotations

from dockermap.map.exceptions import ActionRunnerException, UnreachableClient
from dockermap.map.plan import Plan
from dockermap.map.plan.untouched import untouched_items
from tests.unit.map.plan.records import container, desired_map, image

APP_ONE, APP_TWO = container("app", "a", client="one"), container("app", "a", client="two")
IMAGE_TWO = image(map_name="a", client="two")
DESIRED = desired_map(IMAGE_TWO, APP_ONE, APP_TWO)
TWO = UnreachableClient("two", "unix:///run/two.sock", "socket missing (FileNotFoundError: ...)")


def test_nothing_is_left_alone_when_every_client_answers():
    assert untouched_items(list(DESIRED), DESIRED, set()) == []


def test_the_items_of_an_unreachable_client_are_left_alone_in_order_the_same_items_elsewhere_are_not():
    found = untouched_items(list(DESIRED), DESIRED, {"two"})
    assert [(item.client, item.name, item.reason) for item in found] == [
        ("two", "busybox:latest", "client two cannot be reached"),
        ("two", "a.app", "client two cannot be reached"),
    ]


def test_a_plan_lists_the_untouched_items_and_the_unreachable_clients_after_its_actions():
    result = Plan()
    assert str(result) == "nothing to do"
    result.skip([TWO], untouched_items(list(DESIRED), DESIRED, {"two"}))
    assert str(result).splitlines() == [
        "untouched image busybox:latest on two: client two cannot be reached",
        "untouched container a.app on two: client two cannot be reached",
        "unreachable client two (unix:///run/two.sock): socket missing (FileNotFoundError: ...)",
    ]


def test_a_failed_run_that_skipped_clients_lists_them_after_its_progress():
    error = ActionRunnerException(
        ValueError("boom"), "one", APP_ONE.config_id, "create", [], "Nothing was done."
    )
    error.skip([TWO], [])
    assert str(error).splitlines()[1:] == [
        "Nothing was done.",
        "unreachable client two (unix:///run/two.sock): socket missing (FileNotFoundError: ...)",
    ]
