"""Acceptance: the getting-started map starts up on a real engine as the guide describes."""

from __future__ import annotations

from dockermap.map.input import ItemType
from tests.helpers import exec_in, fetch, mounts


def test_startup_creates_uwsgi_before_nginx(site):
    results = site.client.startup("nginx")
    created = [
        r.config_id.config_name
        for r in results
        if r.action_type == "create" and r.config_id.config_type is ItemType.CONTAINER
    ]
    assert created == ["uwsgi", "nginx"]
    started = [r.config_id.config_name for r in results if r.action_type == "start"]
    assert started == ["uwsgi", "nginx"]


def test_attached_volumes_have_owner_and_mode(site, engine):
    site.client.startup("nginx")
    seen = exec_in(engine.api, site.name("uwsgi"), "stat -c '%u %a' /var/lib/app/log /var/lib/uwsgi/socket")
    assert seen.splitlines() == ["2000 750", "2000 750"]
    assert exec_in(engine.api, site.name("uwsgi"), "id -u") == "2000"


def test_nginx_sees_exactly_its_volumes(site, engine):
    site.client.startup("nginx")
    nginx = mounts(engine.api, site.name("nginx"))
    uwsgi = mounts(engine.api, site.name("uwsgi"))
    assert set(nginx) == {"/etc/nginx", "/var/lib/uwsgi/socket", "/var/log/nginx"}
    assert nginx["/var/lib/uwsgi/socket"]["Name"] == uwsgi["/var/lib/uwsgi/socket"]["Name"]
    assert nginx["/var/lib/uwsgi/socket"]["Name"] == f"{site.map.name}.uwsgi_socket"
    assert nginx["/etc/nginx"]["Source"] == str(site.root / "config/nginx")
    assert nginx["/etc/nginx"]["RW"] is False
    assert nginx["/var/log/nginx"]["Name"] == f"{site.map.name}.nginx_log"
    assert nginx["/var/log/nginx"]["RW"] is True
    assert exec_in(engine.api, site.name("nginx"), "cat /var/lib/uwsgi/socket/uwsgi.sock") == "up"


def test_ports_80_and_443_are_published(site, engine):
    site.client.startup("nginx")
    bindings = engine.api.inspect_container(site.name("nginx"))["HostConfig"]["PortBindings"]
    assert {key: [(b["HostIp"], b["HostPort"]) for b in value] for key, value in bindings.items()} == {
        "80/tcp": [("127.0.0.1", str(site.ports[80]))],
        "443/tcp": [("127.0.0.1", str(site.ports[443]))],
    }
    assert fetch(f"http://127.0.0.1:{site.ports[80]}/index.html") == "served by the nginx stand-in\n"


def test_second_startup_changes_nothing(site):
    site.client.startup("nginx")
    assert str(site.client.plan("startup", "nginx")) == "nothing to do"
    assert site.client.startup("nginx") == []
