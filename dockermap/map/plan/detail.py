"""Field-by-field comparison of an inspected container with its configuration.

:func:`classic_differences` applies the classic update rules: environment, command,
entrypoint, exposed and published ports and links. They decide about containers that dockermap did not
label (created by the classic library or by hand). :func:`explain_differences` adds further fields; it
explains *why* the fingerprint of a labelled container changed when the container has no settings label
(:mod:`.settings` compares that label otherwise). Secret values are named by key only (see
:class:`~dockermap.map.plan.settings.Secrets`).
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Mapping, Tuple

from ...refs import port_key
from ..flags import StateFlags
from ..items import DesiredContainer
from ..labels import LABEL_PREFIX, environment_dict, is_secret
from .settings import HIDE_SECRETS, MISSING, Secrets, describe_change

Difference = Tuple[StateFlags, str]
Rule = Callable[[DesiredContainer, Mapping[str, Any], Secrets], List[Difference]]


def _config(detail: Mapping[str, Any]) -> Mapping[str, Any]:
    return detail.get("Config") or {}


def _host_config(detail: Mapping[str, Any]) -> Mapping[str, Any]:
    return detail.get("HostConfig") or {}


def split_command(value: Any) -> List[str]:
    """A command or entrypoint as the engine stores it (the SDK splits strings like a shell)."""
    if value is None:
        return []
    if isinstance(value, str):
        import shlex

        return shlex.split(value)
    return [str(item) for item in value]


def _change(secrets: Secrets, subject: str, key: str, have: Any, want: Any, entry: Any = None) -> Difference:
    # A field-level difference; values of secrets are left out unless the options show them.
    hidden = is_secret(key, entry, secrets.keys) and not secrets.show
    return StateFlags.MISC_MISMATCH, describe_change(subject, key, have, want, hidden)


def _text_or_key(secrets: Secrets, key: str, text: str) -> Difference:
    # ``text`` names both values; a secret key is named alone unless the options show secrets.
    hidden = is_secret(key, None, secrets.keys) and not secrets.show
    return StateFlags.MISC_MISMATCH, f"{key} changed" if hidden else text


def _image(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
    have = _config(detail).get("Image")
    if have is None or have == desired.image:
        return []
    return [_change(secrets, "image", "image", have, desired.image)]


def _environment(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
    if not desired.create_kwargs.get("environment"):
        return []
    have = environment_dict(_config(detail).get("Env"))
    return [
        _change(secrets, f"environment {key}", "environment", have.get(key, MISSING), value, key)
        for key, value in environment_dict(desired.create_kwargs["environment"]).items()
        if have.get(key, MISSING) != value
    ]


def _command_rule(key: str, inspect_key: str) -> Rule:
    def rule(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
        if not desired.create_kwargs.get(key):
            return []
        want = split_command(desired.create_kwargs[key])
        have = split_command(_config(detail).get(inspect_key))
        if want == have:
            return []
        import shlex

        return [_change(secrets, key, key, shlex.join(have), shlex.join(want))]

    return rule


def _ports(desired: DesiredContainer, detail: Mapping[str, Any], _secrets: Secrets) -> List[Difference]:
    exposed = set(_config(detail).get("ExposedPorts") or ())
    differences = [
        (StateFlags.MISC_MISMATCH, f"port {port_key(port)} is not exposed")
        for port in desired.create_kwargs.get("ports") or ()
        if port_key(port) not in exposed
    ]
    bindings = _host_config(detail).get("PortBindings") or {}
    for port, host_ip, host_port in desired.published:
        bound = {((b.get("HostIp") or "0.0.0.0"), str(b.get("HostPort"))) for b in bindings.get(port) or ()}
        if ((host_ip or "0.0.0.0"), str(host_port)) not in bound:
            differences.append(
                (
                    StateFlags.MISC_MISMATCH,
                    f"port {port} is not published on {host_ip or '0.0.0.0'}:{host_port}",
                )
            )
    return differences


def _links(desired: DesiredContainer, detail: Mapping[str, Any], _secrets: Secrets) -> List[Difference]:
    have = set()
    for entry in _host_config(detail).get("Links") or ():  # '/target:/self/alias'
        target, _, path = entry.partition(":")
        have.add((target.lstrip("/"), path.rsplit("/", 1)[-1]))
    return [
        (StateFlags.MISSING_LINK, f"link to {name} as {alias} is missing")
        for name, alias in desired.host_config.get("links") or ()
        if (name, alias) not in have
    ]


def _labels(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
    have = _config(detail).get("Labels") or {}
    return [
        _change(secrets, f"label {key}", "labels", have.get(key, MISSING), str(value), key)
        for key, value in (desired.create_kwargs.get("labels") or {}).items()
        if not key.startswith(LABEL_PREFIX) and have.get(key) != str(value)
    ]


def _empty(value: Any) -> Any:
    return None if value in (None, "", [], {}, False, 0) else value


def _same(want: Any, have: Any) -> bool:
    want, have = _empty(want), _empty(have)
    if isinstance(want, (list, tuple)) and isinstance(have, (list, tuple)):
        return sorted(map(str, want)) == sorted(map(str, have))
    return want == have or (want is not None and have is not None and str(want) == str(have))


#: Plain fields: (section of the desired record, keyword, section of the inspect output, key).
_PLAIN_FIELDS = (
    ("create_kwargs", "user", "Config", "User"),
    ("create_kwargs", "working_dir", "Config", "WorkingDir"),
    ("create_kwargs", "hostname", "Config", "Hostname"),
    ("create_kwargs", "domainname", "Config", "Domainname"),
    ("create_kwargs", "stop_signal", "Config", "StopSignal"),
    ("create_kwargs", "tty", "Config", "Tty"),
    ("host_config", "binds", "HostConfig", "Binds"),
    ("host_config", "volumes_from", "HostConfig", "VolumesFrom"),
    ("host_config", "cap_add", "HostConfig", "CapAdd"),
    ("host_config", "cap_drop", "HostConfig", "CapDrop"),
    ("host_config", "dns", "HostConfig", "Dns"),
    ("host_config", "dns_search", "HostConfig", "DnsSearch"),
    ("host_config", "tmpfs", "HostConfig", "Tmpfs"),
    ("host_config", "privileged", "HostConfig", "Privileged"),
    ("host_config", "read_only", "HostConfig", "ReadonlyRootfs"),
    ("host_config", "security_opt", "HostConfig", "SecurityOpt"),
    ("host_config", "group_add", "HostConfig", "GroupAdd"),
)


def _plain_fields(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
    differences = []
    for section, key, inspect_section, inspect_key in _PLAIN_FIELDS:
        source = getattr(desired, section)
        if key not in source:
            continue  # the engine's or the image's default applies
        have = (detail.get(inspect_section) or {}).get(inspect_key)
        if not _same(source.get(key), have):
            differences.append(_change(secrets, key, key, have, source.get(key)))
    return differences


def _field(entry: Any, key: str) -> Any:
    """``entry[key]`` in the SDK's lower-case keyword form or the engine's capitalised form."""
    if not isinstance(entry, Mapping):
        return getattr(entry, key, None)
    capitalised = "".join(part.capitalize() for part in key.split("_"))
    return entry.get(key, entry.get(capitalised))


def _ulimit_texts(values: Any) -> List[str]:
    """Ulimits as sorted ``name=soft:hard`` texts (as ``docker run --ulimit`` writes them)."""
    return sorted(
        f"{_field(entry, 'name')}={_field(entry, 'soft') or 0}:{_field(entry, 'hard') or 0}"
        for entry in values or ()
    )


def _ulimits(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
    if "ulimits" not in desired.host_config:
        return []
    want = _ulimit_texts(desired.host_config["ulimits"])
    have = _ulimit_texts(_host_config(detail).get("Ulimits"))
    if want == have:
        return []
    text = f"ulimits are {', '.join(have) or 'none'}, expected {', '.join(want) or 'none'}"
    return [_text_or_key(secrets, "ulimits", text)]


_HEALTHCHECK_KEYS = ("test", "interval", "timeout", "retries", "start_period")


def _healthcheck_values(value: Any) -> Dict[str, Any]:
    """A health check as its set values; a string test is a ``CMD-SHELL`` test (as the SDK sends it)."""
    values = {key: _field(value or {}, key) for key in _HEALTHCHECK_KEYS}
    if isinstance(values["test"], str):
        values["test"] = ["CMD-SHELL", values["test"]]
    if values["test"] is not None:
        values["test"] = [str(item) for item in values["test"]]
    return {key: item for key, item in values.items() if _empty(item) is not None}


def _healthcheck(desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets) -> List[Difference]:
    if "healthcheck" not in desired.create_kwargs:
        return []
    want = _healthcheck_values(desired.create_kwargs["healthcheck"])
    have = _healthcheck_values(_config(detail).get("Healthcheck"))
    if want == have:
        return []
    return [_text_or_key(secrets, "healthcheck", f"healthcheck is {have}, expected {want}")]


_CLASSIC_RULES = (
    _environment,
    _command_rule("command", "Cmd"),
    _command_rule("entrypoint", "Entrypoint"),
    _ports,
    _links,
)


def _apply(
    rules: Tuple[Rule, ...], desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets
) -> List[Difference]:
    return [difference for rule in rules for difference in rule(desired, detail, secrets)]


def classic_differences(
    desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets = HIDE_SECRETS
) -> List[Difference]:
    """The classic update rules applied to ``inspect_container`` output; secrets named by key only."""
    return _apply(_CLASSIC_RULES, desired, detail, secrets)


_FURTHER_RULES = (_image, _labels, _plain_fields, _ulimits, _healthcheck)


def explain_differences(
    desired: DesiredContainer, detail: Mapping[str, Any], secrets: Secrets = HIDE_SECRETS
) -> List[Difference]:
    """The classic rules plus image, labels, ulimits, the health check and other plain create and
    host-config fields (for containers created without the settings label)."""
    return _apply(_CLASSIC_RULES + _FURTHER_RULES, desired, detail, secrets)
