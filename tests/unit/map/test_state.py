"""Unit tests of the engine-free parts of observing: reading container list entries."""

from __future__ import annotations

import pytest

from dockermap.map.state import container_from_list, exit_code


def _entry(names, **extra):
    return {"Id": "f00d", "Names": names, "State": "running", "Status": "Up 2 seconds", **extra}


@pytest.mark.parametrize(
    "names",
    [
        ["/main.web"],
        ["/main.app/web", "/main.web"],
        ["/main.web", "/main.app/web", "/main.proxy/backend"],
    ],
)
def test_name_is_the_own_name_whatever_the_order_of_link_aliases(names):
    assert container_from_list(_entry(names)).name == "main.web"


def test_name_falls_back_to_the_id_without_names():
    assert container_from_list(_entry([])).name == "f00d"


@pytest.mark.parametrize(
    "status, code",
    [
        ("Exited (137) 3 seconds ago", 137),
        ("Exited (-1) 1 second ago", -1),
        ("Up 2 seconds", None),
        ("", None),
    ],
)
def test_exit_code_from_status(status, code):
    assert exit_code(status) == code


def test_a_container_of_unknown_status_counts_as_running():
    # So that nothing removes it without stopping it first, whatever a client lists.
    found = container_from_list({"Id": "f00d", "Names": ["/m.web"], "Status": "Up 1 second"})
    assert found.status == ""
    assert found.running
    assert not container_from_list(_entry(["/m.web"], State="exited")).running
