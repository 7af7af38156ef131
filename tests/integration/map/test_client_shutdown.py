"""Acceptance: ``shutdown`` and the other convenience methods of ``MappingDockerClient`` on a real engine.

The getting-started map, with nginx's port published on a free port of 127.0.0.1 (see
:func:`~tests.integration.map.test_client_faults.quiet_site`); nginx depends on uwsgi (it uses the
``uwsgi_socket`` volume that uwsgi attaches).
"""

from __future__ import annotations

import pytest

from dockermap.map.input import ItemType
from tests.integration.map.test_client_faults import (
    MARKS,
    QuietSite,
    assert_converged,
    container_actions,
    container_states,
    quiet_site,
    write_marks,
)

ATTACHED = ("app_log", "nginx_log", "uwsgi_socket")


@pytest.fixture
def quiet(site, engine) -> QuietSite:
    return quiet_site(site, engine.base_url)


def volume_names(api, site: QuietSite) -> set:
    """Aliases of the map's attached volumes that exist on the engine."""
    found = api.volumes(filters={"name": f"{site.map.name}."})["Volumes"] or ()
    prefix = f"{site.map.name}."
    return {v["Name"][len(prefix) :] for v in found if v["Name"].startswith(prefix)}


def started_at(api, site: QuietSite, config: str) -> str:
    return api.inspect_container(site.name(config))["State"]["StartedAt"]


def test_shutdown_stops_and_removes_dependents_first(quiet, engine):
    quiet.client.startup("nginx")

    results = quiet.client.shutdown("uwsgi")

    assert container_actions(results) == [
        ("nginx", "stop"),
        ("nginx", "remove"),
        ("uwsgi", "stop"),
        ("uwsgi", "remove"),
    ]
    assert container_states(engine.api, quiet) == {}
    assert volume_names(engine.api, quiet) == set(ATTACHED)


def test_attached_volumes_survive_shutdown_unless_remove_attached(quiet, engine):
    api = engine.api
    quiet.client.startup("nginx")
    write_marks(api, quiet, MARKS)
    quiet.client.shutdown("uwsgi")

    quiet.client.startup("nginx")

    assert_converged(api, quiet)
    results = quiet.client.shutdown("uwsgi", remove_attached=True)
    removed = [r.config_id.instance_name for r in results if r.config_id.config_type is ItemType.VOLUME]
    assert sorted(removed) == sorted(ATTACHED)
    removed_at = {
        r.config_id.config_name: n
        for n, r in enumerate(results)
        if r.config_id.config_type is ItemType.CONTAINER and r.action_type == "remove"
    }
    for n, result in enumerate(results):  # each volume after the container that attaches it
        if result.config_id.config_type is ItemType.VOLUME:
            assert n > removed_at[result.config_id.config_name]
    assert volume_names(api, quiet) == set()
    assert container_states(api, quiet) == {}


def test_persistent_container_is_kept_by_shutdown_without_remove_persistent(site, engine):
    api = engine.api
    kept = quiet_site(site, engine.base_url, uwsgi={"persistent": True})
    kept.client.startup("nginx")

    results = kept.client.shutdown("uwsgi", remove_persistent=False)

    assert container_actions(results) == [("nginx", "stop"), ("nginx", "remove"), ("uwsgi", "stop")]
    assert container_states(api, kept) == {"uwsgi": "exited"}
    persistent = [kept.name(alias) for alias in ATTACHED] + [kept.name("uwsgi")]
    assert sorted(kept.client.list_persistent_containers()) == sorted(persistent)
    kept.client.shutdown("uwsgi")  # remove_persistent is on by default
    assert container_states(api, kept) == {}


def test_create_creates_dependencies_first_and_starts_nothing(quiet, engine):
    api = engine.api

    results = quiet.client.create("nginx")

    assert container_actions(results) == [("uwsgi", "create"), ("nginx", "create")]
    assert container_states(api, quiet) == {"nginx": "created", "uwsgi": "created"}
    assert volume_names(api, quiet) == set(ATTACHED)


def test_start_starts_dependencies_first(quiet, engine):
    quiet.client.create("nginx")

    results = quiet.client.start("nginx")

    assert container_actions(results) == [("uwsgi", "start"), ("nginx", "start")]
    assert_converged(engine.api, quiet, {})


def test_stop_stops_dependents_first_and_keeps_the_containers(quiet, engine):
    quiet.client.startup("nginx")

    results = quiet.client.stop("uwsgi", timeout=5)

    assert container_actions(results) == [("nginx", "stop"), ("uwsgi", "stop")]
    assert container_states(engine.api, quiet) == {"nginx": "exited", "uwsgi": "exited"}


def test_remove_removes_stopped_dependents_and_never_a_running_container(quiet, engine):
    quiet.client.startup("nginx")
    quiet.client.stop("nginx")

    results = quiet.client.remove("uwsgi")

    assert container_actions(results) == [("nginx", "remove")]
    assert container_states(engine.api, quiet) == {"uwsgi": "running"}


def test_restart_restarts_only_the_requested_container(quiet, engine):
    api = engine.api
    quiet.client.startup("nginx")
    before = {config: started_at(api, quiet, config) for config in ("nginx", "uwsgi")}

    results = quiet.client.restart("uwsgi")

    assert container_actions(results) == [("uwsgi", "restart")]
    assert started_at(api, quiet, "uwsgi") != before["uwsgi"]
    assert started_at(api, quiet, "nginx") == before["nginx"]
    assert container_states(api, quiet) == {"nginx": "running", "uwsgi": "running"}


def test_signal_sends_sigkill_by_default_or_the_given_signal(quiet, engine):
    api = engine.api
    quiet.client.startup("nginx")

    assert container_actions(quiet.client.signal("uwsgi")) == [("uwsgi", "kill")]
    api.wait(quiet.name("uwsgi"), timeout=30)
    quiet.client.signal("nginx", signal="SIGTERM")  # the stand-in exits with 0 on SIGTERM
    api.wait(quiet.name("nginx"), timeout=30)

    assert api.inspect_container(quiet.name("uwsgi"))["State"]["ExitCode"] == 137
    assert api.inspect_container(quiet.name("nginx"))["State"]["ExitCode"] == 0
