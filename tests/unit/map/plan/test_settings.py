"""Field-level causes from the settings label: both values, secrets by key only."""

from __future__ import annotations

from dockermap.map.labels import LABEL_SETTINGS, settings_document, settings_json
from dockermap.map.plan.settings import MISSING, UNKNOWN, Secrets, describe_change, settings_differences
from tests.unit.map.plan.records import container, found

CREATE = {
    "name": "m.web",
    "image": "web:1",
    "command": ["serve"],
    "environment": {"TOKEN": "old-token", "MODE": "a"},
    "labels": {"tier": "front", "api_key": "k1"},
}


def _created_with(create, secret_keys=(), **record):
    """The desired record for ``CREATE`` changed by ``record``, and its container created from ``create``."""
    old = container(create_kwargs=create)
    observed = found(old)
    document = settings_document(old.name, old.create_kwargs, old.host_config, old.endpoints, secret_keys)
    observed.labels[LABEL_SETTINGS] = settings_json(document)
    return observed


def test_every_changed_key_is_named_with_both_values_and_secrets_by_key_only():
    observed = _created_with(CREATE)
    web = container(
        create_kwargs={**CREATE, "image": "web:2", "environment": {"TOKEN": "new-token"}},
        host_config={"cap_add": ["NET_ADMIN"]},
    )
    assert settings_differences(web, observed, Secrets()) == [
        "image is web:1, expected web:2",
        "environment TOKEN changed",
        "environment MODE is set, expected not set",
        "cap_add is not set, expected ['NET_ADMIN']",
    ]


def test_shown_secrets_take_the_old_value_from_the_inspected_environment():
    observed = _created_with(CREATE)
    observed.detail = {"Config": {"Env": ["TOKEN=old-token", "MODE=a", "PATH=/bin"]}}
    web = container(create_kwargs={**CREATE, "environment": {"TOKEN": "new-token", "MODE": "a"}})
    assert settings_differences(web, observed, Secrets(show=True)) == [
        "environment TOKEN is 'old-token', expected 'new-token'"
    ]
    observed.detail = None
    assert settings_differences(web, observed, Secrets(show=True)) == [
        "environment TOKEN changed, expected 'new-token'"
    ]


def test_secret_keys_hide_values_in_the_label_and_in_causes():
    observed = _created_with(CREATE, secret_keys={"labels.api_key", "command"})
    assert "k1" not in observed.labels[LABEL_SETTINGS] and "serve" not in observed.labels[LABEL_SETTINGS]
    web = container(
        create_kwargs={**CREATE, "command": ["serve", "-v"], "labels": {"tier": "back", "api_key": "k2"}}
    )
    secrets = Secrets({"labels.api_key", "command"})
    assert settings_differences(web, observed, secrets) == [
        "command changed",
        "label tier is 'front', expected 'back'",
        "label api_key changed",
    ]
    # a key that is no longer secret: its old value is known by its digest only
    assert settings_differences(web, observed, Secrets())[0] == "command changed, expected ['serve', '-v']"
    unchanged = container(create_kwargs=CREATE)
    assert settings_differences(unchanged, observed, Secrets()) == []
    assert settings_differences(unchanged, _created_with(CREATE), secrets) == []


def test_containers_without_a_readable_label_have_no_settings():
    web = container(create_kwargs=CREATE)
    assert settings_differences(web, found(web), Secrets()) is None
    broken = found(web)
    broken.labels[LABEL_SETTINGS] = "{not json"
    assert settings_differences(web, broken, Secrets()) is None


def test_describe_change():
    assert describe_change("user", "user", "1", "2", hidden=False) == "user is '1', expected '2'"
    assert describe_change("user", "user", MISSING, "2", hidden=True) == "user is not set"
    assert describe_change("user", "user", UNKNOWN, MISSING, hidden=False) == "user is set, expected not set"
    assert describe_change("image", "image", "a:1", MISSING, hidden=False) == "image is a:1, expected not set"
