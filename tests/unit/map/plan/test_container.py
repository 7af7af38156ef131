"""The update checks of one container: each reason is given once."""

from __future__ import annotations

from dockermap.map.flags import StateFlags
from dockermap.map.labels import LABEL_FINGERPRINT
from dockermap.map.plan.container import check_container
from dockermap.map.plan.options import PlanOptions
from tests.unit.map.plan.records import container, engine, found

PUBLISHED = [("80/tcp", "127.0.0.1", "8081")]


def _moved_port(**create):
    """A container now published on 8081 that runs with the old fingerprint, published on 8080."""
    web = container(
        create_kwargs={"name": "m.web", "image": "busybox:latest", "ports": [80], **create},
        published=PUBLISHED,
    )
    old = found(web, published=[("80/tcp", "127.0.0.1", "8080")])
    old.labels[LABEL_FINGERPRINT] = "old"
    old.detail = {
        "Config": {"Env": ["MODE=one"], "ExposedPorts": {"80/tcp": {}}},
        "HostConfig": {"PortBindings": {"80/tcp": [{"HostIp": "127.0.0.1", "HostPort": "8080"}]}},
    }
    return web, old


def test_port_reason_is_not_repeated_as_a_configuration_change():
    web, old = _moved_port()
    check = check_container(web, old, engine(old), PlanOptions())
    assert check.causes == ["port 80/tcp is not published on 127.0.0.1:8081"]
    assert check.flags & StateFlags.MISC_MISMATCH


def test_further_changes_are_listed_after_the_port_reason():
    web, old = _moved_port(environment={"MODE": "two"})
    check = check_container(web, old, engine(old), PlanOptions())
    assert check.causes == [
        "port 80/tcp is not published on 127.0.0.1:8081",
        "configuration changed: environment MODE changed",
    ]
    shown = check_container(web, old, engine(old), PlanOptions(show_secret_values=True))
    assert shown.causes[1] == "configuration changed: environment MODE is 'one', expected 'two'"
