"""Why a container's fingerprint changed, field by field: its settings label against the configuration.

A container dockermap created carries what its fingerprint covers in its settings label
(:func:`~dockermap.map.labels.settings_document`). Comparing that with the document of the desired record
names every changed create or host-config keyword with both values; mappings (environment, labels, tmpfs,
...) are compared entry by entry. Secret values (every environment value and the ``secret_keys``) are
named by key only, unless the plan options ask to show them.
"""

# Without ``from __future__ import annotations``: typing.NamedTuple compiles each field's annotation
# when it is a string, which made importing this module several times slower.
import json
from typing import Any, Collection, Dict, List, Mapping, NamedTuple, Optional

from ..items import DesiredContainer, ObservedContainer
from ..labels import (
    HIDDEN_PREFIX,
    LABEL_SETTINGS,
    environment_dict,
    hidden_value,
    is_secret,
    settings_document,
)

#: Stands for a key or entry that is not set on one side.
MISSING: Any = object()
#: Stands for a value that was set but is known only by its digest.
UNKNOWN: Any = object()
#: Keys whose text values are names of engine objects (or, for endpoints, words), shown unquoted.
_NAME_KEYS = frozenset({"image", "endpoints"})
#: How an entry of a mapping is introduced, per key ("label tier", "environment MODE").
_ENTRY_WORDS = {"labels": "label"}


class Secrets(NamedTuple):
    """Which values are secret, and whether causes show them anyway."""

    keys: Collection[str] = frozenset()
    show: bool = False


#: The default: environment values are secret and not shown.
HIDE_SECRETS = Secrets()


def _show(key: str, value: Any) -> str:
    if value is MISSING:
        return "not set"
    if key in _NAME_KEYS and isinstance(value, str):
        return value
    return repr(value)


def describe_change(subject: str, key: str, have: Any, want: Any, hidden: bool) -> str:
    """A cause naming ``subject`` (``image``, ``environment MODE``) and both values; only the subject
    (and whether it is set) when the values are ``hidden``. A value is :data:`MISSING` when not set;
    ``have`` is :data:`UNKNOWN` when only its digest is known."""
    if have is MISSING and hidden:
        return f"{subject} is not set"
    if want is MISSING and (hidden or have is UNKNOWN):
        return f"{subject} is set, expected not set"
    if hidden:
        return f"{subject} changed"
    if have is UNKNOWN:
        return f"{subject} changed, expected {_show(key, want)}"
    return f"{subject} is {_show(key, have)}, expected {_show(key, want)}"


def _is_hidden(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(HIDDEN_PREFIX)


class _Comparison:
    """Compares the label's document (``have``) with the configuration's (``want``, values in the clear)."""

    def __init__(self, name: str, secrets: Secrets, environment: Mapping[str, str]) -> None:
        self.name = name
        self.secrets = secrets
        self.environment = environment  # as the inspected container has it: the source of hidden values
        self.causes: List[str] = []

    def value(self, key: str, entry: Optional[str], subject: str, have: Any, want: Any) -> None:
        digest_key = key if entry is None else f"{key}.{entry}"
        secret = is_secret(key, entry, self.secrets.keys)
        if _is_hidden(have) or (secret and have is not MISSING and want is not MISSING):
            if have == hidden_value(self.name, digest_key, want) or have == want:
                return
            if _is_hidden(have):
                have = self.environment.get(entry, UNKNOWN) if key == "environment" and entry else UNKNOWN
        elif have == want:
            return
        self.causes.append(describe_change(subject, key, have, want, secret and not self.secrets.show))

    def endpoints(self, have: Any, want: Any) -> None:
        have, want = _by_network(have), _by_network(want)
        for network in list(want) + [network for network in have if network not in want]:
            old, new = have.get(network, MISSING), want.get(network, MISSING)
            if old is MISSING or new is MISSING:
                self.value("endpoints", network, f"endpoint on {network}", _text(old), _text(new))
                continue
            for field in list(new) + [field for field in old if field not in new]:
                subject = f"endpoint on {network}: {field}"
                self.value("endpoints", network, subject, old.get(field, MISSING), new.get(field, MISSING))

    def key(self, key: str, have: Any, want: Any) -> None:
        if key == "endpoints":
            self.endpoints(have, want)
        elif isinstance(have, dict) or isinstance(want, dict):
            have = have if isinstance(have, dict) else {}
            want = want if isinstance(want, dict) else {}
            word = _ENTRY_WORDS.get(key, key)
            for entry in list(want) + [entry for entry in have if entry not in want]:
                self.value(key, entry, f"{word} {entry}", have.get(entry, MISSING), want.get(entry, MISSING))
        else:
            self.value(key, None, key, have, want)


def _by_network(endpoints: Any) -> Dict[str, Dict[str, Any]]:
    # Endpoints by network name, each with its set fields only.
    result = {}
    for endpoint in endpoints if isinstance(endpoints, list) else ():
        fields = {
            key: value for key, value in endpoint.items() if key != "network" and value not in (None, [])
        }
        result[str(endpoint.get("network"))] = fields
    return result


def _text(fields: Any) -> Any:
    # An endpoint's settings in a few words (or MISSING).
    if fields is MISSING:
        return MISSING
    return ", ".join(f"{key} {value!r}" for key, value in fields.items()) or "connected"


def _stored_settings(found: ObservedContainer) -> Optional[Dict[str, Any]]:
    text = found.labels.get(LABEL_SETTINGS)
    if text is None:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def settings_differences(
    desired: DesiredContainer, found: ObservedContainer, secrets: Secrets
) -> Optional[List[str]]:
    """Causes naming each changed key with both values (secrets by key only), in configuration order;
    ``None`` when the container has no settings label."""
    have = _stored_settings(found)
    if have is None:
        return None
    want = settings_document(
        desired.name, desired.create_kwargs, desired.host_config, desired.endpoints, hidden=False
    )
    environment = environment_dict(((found.detail or {}).get("Config") or {}).get("Env"))
    comparison = _Comparison(desired.name, secrets, environment)
    for key in list(want) + [key for key in have if key not in want]:
        comparison.key(key, have.get(key, MISSING), want.get(key, MISSING))
    return comparison.causes
