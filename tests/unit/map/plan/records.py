"""Hand-built desired and observed records for the planning tests (no engine, no configuration)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

from dockermap.map.input import ExecPolicy, ItemType, MapConfigId
from dockermap.map.items import (
    DesiredContainer,
    DesiredEndpoint,
    DesiredExec,
    DesiredImage,
    DesiredNetwork,
    DesiredVolume,
    ObservedClient,
    ObservedContainer,
    ObservedNetwork,
    ObservedVolume,
)
from dockermap.map.labels import (
    LABEL_FINGERPRINT,
    LABEL_PREPARED,
    LABEL_UPDATABLE,
    item_labels,
    preparation_text,
    updatable_json,
)
from dockermap.records import replace

CLIENT = "__default__"
IMAGE_ID = "sha256:" + "a" * 64
OLD_IMAGE_ID = "sha256:" + "b" * 64


def key(record: Any) -> Tuple[str, MapConfigId]:
    return record.client, record.config_id


def image(ref: str = "busybox:latest", map_name: str = "m", client: str = CLIENT) -> DesiredImage:
    name, _, tag = ref.partition(":")
    return DesiredImage(client, MapConfigId(ItemType.IMAGE, map_name, name, tag), ref)


def volume(
    alias: str, owner: str = "web", map_name: str = "m", client: str = CLIENT, **fields: Any
) -> DesiredVolume:
    values: Dict[str, Any] = dict(
        client=client,
        config_id=MapConfigId(ItemType.VOLUME, map_name, owner, alias),
        name=f"{map_name}.{alias}",
        driver="local",
        driver_opts={},
        create_kwargs={"name": f"{map_name}.{alias}"},
        user="2000",
        permissions="u=rwX,g=rX,o=",
    )
    values.update(fields)
    return DesiredVolume(**values)


def network(name: str, map_name: str = "m", client: str = CLIENT, **fields: Any) -> DesiredNetwork:
    values: Dict[str, Any] = dict(
        client=client,
        config_id=MapConfigId(ItemType.NETWORK, map_name, name),
        name=f"{map_name}.{name}",
        driver="bridge",
        options={},
        internal=False,
        create_kwargs={"name": f"{map_name}.{name}"},
    )
    values.update(fields)
    return DesiredNetwork(**values)


def container(
    config: str = "web",
    map_name: str = "m",
    instance: Optional[str] = None,
    client: str = CLIENT,
    **fields: Any,
) -> DesiredContainer:
    name = f"{map_name}.{config}" + (f".{instance}" if instance else "")
    values: Dict[str, Any] = dict(
        client=client,
        config_id=MapConfigId(ItemType.CONTAINER, map_name, config, instance),
        name=name,
        image="busybox:latest",
        create_kwargs={"name": name, "image": "busybox:latest"},
        host_config={},
        endpoints=[],
        updatable={},
        fingerprint=f"fp-{name}-" + "0" * 16,
        mounts={},
        published=[],
    )
    values.update(fields)
    return DesiredContainer(**values)


def exec_cmd(cmd: Any, user: Optional[str] = None, policy: ExecPolicy = ExecPolicy.RESTART) -> DesiredExec:
    return DesiredExec(cmd, user, policy)


def endpoint(network_name: str, **fields: Any) -> DesiredEndpoint:
    return DesiredEndpoint(network_name, **fields)


def found(desired: DesiredContainer, status: str = "running", **fields: Any) -> ObservedContainer:
    """The container as dockermap would have created it from ``desired``, in state ``status``."""
    labels = own_labels(desired)
    labels.update(
        {LABEL_FINGERPRINT: desired.fingerprint, LABEL_UPDATABLE: updatable_json(desired.updatable)}
    )
    values: Dict[str, Any] = dict(
        name=desired.name,
        id=f"id-{desired.name}",
        image_id=IMAGE_ID,
        status=status,
        exit_code=0 if status == "exited" else None,
        labels=labels,
        mounts=dict(desired.mounts),
        published=list(desired.published) if status == "running" else [],
        networks={ep.network: {"id": f"net-{ep.network}", "endpoint_id": "e"} for ep in desired.endpoints},
    )
    values.update(fields)
    return ObservedContainer(**values)


def prepared_label(desired: DesiredVolume) -> Dict[str, str]:
    """The label recording the owner and mode dockermap prepared the volume of ``desired`` with."""
    if not (desired.user or desired.permissions):
        return {}
    return {LABEL_PREPARED: preparation_text(desired.user, desired.permissions)}


def own_labels(desired: Any) -> Dict[str, str]:
    """The owner labels dockermap gives the object of ``desired``."""
    cid = desired.config_id
    return item_labels(cid.config_type, cid.map_name, cid.config_name, cid.instance_name, desired.client)


def found_volume(desired: DesiredVolume, **fields: Any) -> ObservedVolume:
    """The volume as dockermap would have created (and prepared) it from ``desired``."""
    labels = {**own_labels(desired), **prepared_label(desired)}
    values: Dict[str, Any] = dict(name=desired.name, driver=desired.driver, options=None, labels=labels)
    values.update(fields)
    return ObservedVolume(**values)


def found_network(desired: DesiredNetwork, **fields: Any) -> ObservedNetwork:
    values: Dict[str, Any] = dict(
        name=desired.name,
        id=f"net-{desired.name}",
        driver=desired.driver,
        options={},
        internal=False,
        labels=own_labels(desired),
    )
    values.update(fields)
    return ObservedNetwork(**values)


def engine(*items: Any, images: Optional[Dict[str, str]] = None, client: str = CLIENT) -> ObservedClient:
    """An observed client holding ``items`` (observed records) and ``images`` (default: busybox)."""
    observed = ObservedClient(client, images={"busybox:latest": IMAGE_ID} if images is None else images)
    for item in items:
        target = {
            ObservedContainer: observed.containers,
            ObservedVolume: observed.volumes,
            ObservedNetwork: observed.networks,
        }[type(item)]
        target[item.name] = item
    return observed


def desired_map(*records: Any) -> Dict[Tuple[str, MapConfigId], Any]:
    return {key(record): record for record in records}


def changed(record: DesiredContainer, **fields: Any) -> DesiredContainer:
    return replace(record, **fields)
