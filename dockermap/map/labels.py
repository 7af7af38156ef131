"""The labels dockermap stamps on every container, volume and network it creates.

The labels say which item of which map an engine object belongs to, so that one filtered list call
per resource kind finds everything of a map, with no inspection:

* ``io.dockermap.map``, ``io.dockermap.config``, ``io.dockermap.instance`` (may be empty),
  ``io.dockermap.client`` and ``io.dockermap.kind`` (``container``, ``volume`` or ``network``) mirror the
  item's :class:`~dockermap.map.input.MapConfigId` (type, map, config, instance) and client. For an attached
  volume the config is the owning container configuration and the instance its alias.
* An object is *ours* when these five labels equal the ones its item would get; an object under a
  name dockermap wants with none of the ``io.dockermap.`` labels is *unlabelled* (made by hand or by
  the classic library), one with other values belongs to another map, configuration, instance or client.
* Containers also carry ``io.dockermap.fingerprint``, a hash of their complete create configuration
  except the values that can be changed in place, and ``io.dockermap.updatable``, those values as
  canonical JSON (resource limits and restart policy). Comparing fingerprints detects every configuration
  change; the library version is deliberately not part of it.
* ``io.dockermap.settings`` holds what the fingerprint covers as canonical JSON (:func:`settings_document`),
  so that a changed fingerprint can be explained field by field with both values. Secret values
  (every environment value, and the keys named secret) are stored only as salted digests.

Volumes that dockermap prepares (owner and mode) carry ``io.dockermap.prepared`` with the owner and mode
they were created with; the containers that attach such volumes carry the same label as a JSON object
(volume name -> owner and mode), part of their fingerprint: so ``update`` sees when the owner or mode of
a present volume changed, and applies it in place.

Helper objects carry the labels of the volume they serve, with their own kind: short-lived helper
containers (``io.dockermap.kind=helper``) that prepare or copy a volume, and the temporary volume that
holds a volume's data while the volume is recreated (``io.dockermap.kind=volume-copy``). Both also carry
``io.dockermap.volume`` (the volume served), ``io.dockermap.helper`` (what the helper does) and
``io.dockermap.run`` (the run that made it), so that a run can recognise and clean up what an interrupted
run left behind.
"""

from __future__ import annotations

import importlib
import json
from enum import Enum
from typing import Any, Callable, Collection, Dict, FrozenSet, Iterable, List, Mapping, Optional, Union

from dockermap.records import asdict, is_record

from .input import ItemType


def _sha256_function() -> Callable[[bytes], Any]:
    """CPython's own SHA-256, as ``hashlib`` falls back to it: loading ``hashlib`` (OpenSSL) takes
    longer than the rest of planning a no-op."""
    for module in ("_sha2", "_sha256"):  # named _sha2 from Python 3.12 on
        try:
            return importlib.import_module(module).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


_sha256 = _sha256_function()

LABEL_PREFIX = "io.dockermap."
LABEL_MAP = f"{LABEL_PREFIX}map"
LABEL_CONFIG = f"{LABEL_PREFIX}config"
LABEL_INSTANCE = f"{LABEL_PREFIX}instance"
LABEL_CLIENT = f"{LABEL_PREFIX}client"
LABEL_KIND = f"{LABEL_PREFIX}kind"
LABEL_FINGERPRINT = f"{LABEL_PREFIX}fingerprint"
LABEL_UPDATABLE = f"{LABEL_PREFIX}updatable"
LABEL_VOLUME = f"{LABEL_PREFIX}volume"
LABEL_HELPER = f"{LABEL_PREFIX}helper"
LABEL_RUN = f"{LABEL_PREFIX}run"
LABEL_PREPARED = f"{LABEL_PREFIX}prepared"

#: ``io.dockermap.kind`` of helper containers and of the temporary copy of a volume.
KIND_HELPER = "helper"
KIND_VOLUME_COPY = "volume-copy"
LABEL_SETTINGS = f"{LABEL_PREFIX}settings"

#: Host-config keywords that ``update_container`` changes in place (resource limits, restart policy).
UPDATABLE_KEYS = (
    "blkio_weight",
    "cpu_period",
    "cpu_quota",
    "cpu_shares",
    "cpuset_cpus",
    "cpuset_mems",
    "mem_limit",
    "mem_reservation",
    "memswap_limit",
    "kernel_memory",
    "restart_policy",
)

_OWN_STATE_LABELS = (LABEL_FINGERPRINT, LABEL_UPDATABLE, LABEL_SETTINGS)
#: The labels that say which item owns an engine object.
OWNER_LABELS = (LABEL_MAP, LABEL_CONFIG, LABEL_INSTANCE, LABEL_CLIENT, LABEL_KIND)


def item_labels(
    kind: Union[ItemType, str], map_name: str, config: str, instance: Optional[str], client: str
) -> Dict[str, str]:
    """Identifying labels of the engine object of ``(kind, map, config, instance)`` on ``client``."""
    return {
        LABEL_MAP: map_name,
        LABEL_CONFIG: config,
        LABEL_INSTANCE: instance or "",
        LABEL_CLIENT: client,
        LABEL_KIND: kind.value if isinstance(kind, ItemType) else kind,
    }


def helper_labels(
    volume_labels: Mapping[str, str], kind: str, volume: str, purpose: str, run: str
) -> Dict[str, str]:
    """Labels of a helper object of ``volume``: the volume's identifying labels with ``kind``, the
    volume's name, the helper's ``purpose`` (``prepare``, ``copy``, ``restore``) and the ``run`` id."""
    labels = {key: value for key, value in volume_labels.items() if key.startswith(LABEL_PREFIX)}
    labels.update({LABEL_KIND: kind, LABEL_VOLUME: volume, LABEL_HELPER: purpose, LABEL_RUN: run})
    return labels


def preparation_text(user: Optional[str], permissions: Optional[str]) -> str:
    """The owner and mode a volume is prepared with, as recorded in the ``io.dockermap.prepared`` labels."""
    return f"owner={user or ''} mode={permissions or ''}"


def helper_name(volume: str, purpose: str) -> str:
    """Engine name of the helper container that does ``purpose`` on ``volume``."""
    return f"{volume}.dockermap-{purpose}"


def copy_volume_name(volume: str) -> str:
    """Engine name of the temporary volume that holds ``volume``'s data while it is recreated."""
    return f"{volume}.dockermap-copy"


def is_unlabelled(labels: Mapping[str, str]) -> bool:
    """Whether an engine object carries none of dockermap's labels."""
    return not any(key.startswith(LABEL_PREFIX) for key in labels or ())


def owner_labels(labels: Mapping[str, str]) -> Dict[str, str]:
    """The owner labels among ``labels`` (the five of :func:`item_labels`, where present)."""
    return {key: labels[key] for key in OWNER_LABELS if key in (labels or {})}


def describe_owner(labels: Mapping[str, str]) -> str:
    """Who an engine object belongs to according to its labels, as a phrase for messages."""
    if is_unlabelled(labels):
        return "has no dockermap labels (made by hand or by the classic library)"
    owner = owner_labels(labels)
    if not owner:
        return "carries dockermap labels but no owner"
    parts = ", ".join(f"{key[len(LABEL_PREFIX) :]} {value!r}" for key, value in owner.items())
    return f"belongs to {parts}"


def label_filter(map_names: Union[None, str, Iterable[str]] = None) -> Dict[str, List[str]]:
    """``filters`` for a list call finding the objects dockermap created: of one map, or of every map.

    Docker combines several label filters with AND, so several map names cannot be selected in one call;
    for more than one name, the filter selects every map (the caller picks its maps from the labels).
    """
    names = [map_names] if isinstance(map_names, str) else list(map_names or ())
    if len(names) == 1:
        return {"label": [f"{LABEL_MAP}={names[0]}"]}
    return {"label": [LABEL_MAP]}


_JSON_LEAVES = (str, int, float, bool)


def _plain(value: Any) -> Any:
    """``value`` as JSON-able data with string keys: tuples become lists, sets sorted lists."""
    if value is None or type(value) in _JSON_LEAVES:  # most values: checked first
        return value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_plain(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    if is_record(value):
        return _plain(asdict(value))
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys, in which tuples and lists are the same: equal data, equal text."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _fingerprinted(
    create_kwargs: Mapping[str, Any], host_config: Mapping[str, Any], endpoints: Any
) -> Dict[str, Any]:
    # What the fingerprint covers: everything but dockermap's state labels and the updatable values.
    kwargs = dict(create_kwargs)
    labels = kwargs.get("labels")
    if isinstance(labels, Mapping):
        kwargs["labels"] = {key: value for key, value in labels.items() if key not in _OWN_STATE_LABELS}
    config = {key: value for key, value in host_config.items() if key not in UPDATABLE_KEYS}
    return {"create": kwargs, "host_config": config, "endpoints": endpoints}


def fingerprint(create_kwargs: Mapping[str, Any], host_config: Mapping[str, Any], endpoints: Any) -> str:
    """SHA-256 (hex) of everything a container is created with, except what can be updated in place.

    Left out: dockermap's fingerprint, updatable and settings labels and the :data:`UPDATABLE_KEYS` of the
    host config, so that changing only limits or the restart policy keeps the fingerprint.
    """
    document = _fingerprinted(create_kwargs, host_config, endpoints)
    return _sha256(canonical_json(document).encode("utf-8")).hexdigest()


#: Keys whose values are always secret: every environment value.
ALWAYS_SECRET = frozenset({"environment"})
#: Start of a secret value's stand-in in the settings label (followed by a salted digest).
HIDDEN_PREFIX = "hidden:"


def hidden_value(name: str, key: str, value: Any) -> str:
    """The stand-in of a secret value: a digest salted with the container name and the key, so that equal
    values of different containers or keys do not look alike."""
    text = f"{name}\0{key}\0{canonical_json(value)}"
    return HIDDEN_PREFIX + _sha256(text.encode("utf-8")).hexdigest()[:24]


def secret_key_set(value: Any) -> FrozenSet[str]:
    """The ``secret_keys`` option as a set: one key name or several."""
    return frozenset([value] if isinstance(value, str) else value or ())


def is_secret(key: str, entry: Optional[str], secret_keys: Collection[str]) -> bool:
    """Whether the value of ``key`` (of its ``entry``, for mappings such as labels) is secret: environment
    values always, else when ``key`` or ``key.entry`` is among ``secret_keys``."""
    keys = ALWAYS_SECRET.union(secret_keys)
    return key in keys or (entry is not None and f"{key}.{entry}" in keys)


def environment_dict(value: Any) -> Dict[str, str]:
    """Environment variables as a dict, from a mapping or from ``NAME=value`` strings."""
    if isinstance(value, Mapping):
        return {str(key): "" if item is None else str(item) for key, item in value.items()}
    pairs = (str(item).partition("=") for item in value or ())
    return {key: item for key, _, item in pairs}


def settings_document(
    name: str,
    create_kwargs: Mapping[str, Any],
    host_config: Mapping[str, Any],
    endpoints: Any,
    secret_keys: Collection[str] = (),
    hidden: bool = True,
) -> Dict[str, Any]:
    """What the fingerprint covers as plain data, one entry per create and host-config keyword (and
    ``endpoints``); dockermap's own labels and the ``name`` are left out. With ``hidden`` (as in the
    settings label), secret values are replaced by :func:`hidden_value`."""
    document = _fingerprinted(create_kwargs, host_config, endpoints)
    settings = {**document["create"], **document["host_config"], "endpoints": document["endpoints"]}
    settings.pop("name", None)
    if "environment" in settings:
        settings["environment"] = environment_dict(settings["environment"])
    if isinstance(settings.get("labels"), Mapping):
        settings["labels"] = {k: v for k, v in settings["labels"].items() if not k.startswith(LABEL_PREFIX)}
    plain = _plain(settings)
    for key in list(plain) if hidden else ():
        value = plain[key]
        if isinstance(value, dict):
            plain[key] = {
                entry: hidden_value(name, f"{key}.{entry}", item)
                if is_secret(key, entry, secret_keys)
                else item
                for entry, item in value.items()
            }
        elif is_secret(key, None, secret_keys):
            plain[key] = hidden_value(name, key, value)
    return plain


def settings_json(document: Mapping[str, Any]) -> str:
    """The settings label's value."""
    return canonical_json(document)


def updatable_json(values: Mapping[str, Any]) -> str:
    """The in-place updatable values (limits, restart policy) as canonical JSON, for the updatable label."""
    return canonical_json(values)
