"""Which items a plan leaves alone when some clients cannot be reached, and how a plan prints them."""

from __future__ import annotations

from dockermap.map.exceptions import ActionRunnerException, UnreachableClient
from dockermap.map.plan import Plan
from dockermap.map.plan.untouched import untouched_items
from tests.unit.map.plan_records import container, desired_map, key, volume

# Map 'a' runs on 'one' and 'two'; map 'b' only on 'two'; a.web uses b's volume and a.app.
APP_ONE, APP_TWO = container("app", "a", client="one"), container("app", "a", client="two")
WEB_ONE, WEB_TWO = container("web", "a", client="one"), container("web", "a", client="two")
SHARED = volume("shared", owner="store", map_name="b", client="two")
DEPENDENCIES = {WEB_ONE.config_id: [SHARED.config_id, APP_ONE.config_id]}


def untouched(records, unreachable):
    desired = desired_map(*records)
    found = untouched_items(list(desired), desired, unreachable, lambda cid: DEPENDENCIES.get(cid, []))
    return {(item.client, item.name): item.reason for item in found}


def test_nothing_is_left_alone_when_every_client_answers():
    assert untouched([APP_ONE, APP_TWO, WEB_ONE, WEB_TWO, SHARED], set()) == {}


def test_items_of_an_unreachable_client_are_left_alone_the_same_items_elsewhere_are_not():
    assert untouched([APP_ONE, APP_TWO, WEB_ONE, WEB_TWO], {"two"}) == {
        ("two", "a.app"): "client two cannot be reached",
        ("two", "a.web"): "client two cannot be reached",
    }


def test_a_dependent_on_a_reachable_client_of_an_item_only_on_the_unreachable_one_is_left_alone():
    found = untouched([SHARED, APP_ONE, APP_TWO, WEB_ONE], {"two"})
    assert found[("one", "a.web")] == "depends on volume b.shared on two, which cannot be reached"
    assert ("one", "a.app") not in found


def test_a_plan_lists_the_untouched_items_and_the_unreachable_clients_after_its_actions():
    desired = desired_map(APP_TWO)
    result = Plan()
    assert str(result) == "nothing to do"
    reason = "socket missing (FileNotFoundError: [Errno 2] No such file or directory)"
    result.skip(
        [UnreachableClient("two", "unix:///run/two.sock", reason)],
        untouched_items([key(APP_TWO)], desired, {"two"}, lambda cid: []),
    )
    assert str(result).splitlines() == [
        "untouched container a.app on two: client two cannot be reached",
        f"unreachable client two (unix:///run/two.sock): {reason}",
    ]


def test_a_failed_run_that_skipped_clients_lists_them_after_its_progress():
    error = ActionRunnerException(
        ValueError("boom"), "one", APP_ONE.config_id, "create", [], "Nothing was done."
    )
    error.skip([UnreachableClient("two", "unix:///run/two.sock", "socket missing")], [])
    assert str(error).splitlines()[1:] == [
        "Nothing was done.",
        "unreachable client two (unix:///run/two.sock): socket missing",
    ]
