"""Observe: read what an engine has of the items of a plan into plain records, with few API calls.

Per client, one list call per resource kind finds everything dockermap labelled (containers, volumes,
networks); the list entries already carry state, exit code, labels (with the fingerprint), mounts,
published ports and networks. Images are looked up by name, one request per image the items use
(listing every image takes the engine long when it holds many; for more than
:data:`IMAGE_LOOKUP_LIMIT` images, one list is made instead). More calls happen only where the lists
cannot tell:

* desired names missing from the labelled lists: one list call per kind finds objects of that name made
  without dockermap's labels (by the classic library or by hand), filtered by name for a few names,
  unfiltered and matched here for many (a filter of thousands of names costs the engine more than
  listing everything); the plan checks their labels before anything else (it refuses them unless they
  are adopted); such containers are inspected, as only the classic field rules can judge them;
* labelled containers whose fingerprint or updatable label differs from the desired one are inspected,
  to say precisely what changed;
* running containers with exec commands meant to stay running (``keep_running``): ``top``;
* list entries that lack fields the observation needs (a client that lists only the fields the classic
  command-line parser gave: ``Id``, ``Image``, ``Created``, ``Status``, ``Names``, ``Command``,
  ``Ports``): those containers are inspected instead of guessing their state, image, mounts or labels;
* with ``verify``, every desired container found: its current limits and restart policy (changed with
  ``docker update``, for instance) are compared, not only the recorded ones.

Helper containers and temporary volume copies (labelled by :mod:`dockermap.map.labels`) come with the
same list calls and are kept apart (``helpers``, ``volume_copies``), for the planner to clean up.

So a no-op ``update`` costs the same number of requests for 5 containers as for 50 of the same images
(without ``verify``).
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from dockermap.client.docker_util import primary_container_name
from dockermap.client.protocol import DockerClient
from dockermap.client.reader import EngineReader

from .flags import ConfigFlags, ConfigState, State, StateFlags
from .input import ExecPolicy
from .items import (
    DesiredContainer,
    DesiredImage,
    DesiredNetwork,
    DesiredVolume,
    ObservedClient,
    ObservedContainer,
    ObservedNetwork,
    ObservedVolume,
)
from .labels import (
    KIND_HELPER,
    KIND_VOLUME_COPY,
    LABEL_FINGERPRINT,
    LABEL_KIND,
    LABEL_MAP,
    LABEL_UPDATABLE,
    label_filter,
    updatable_json,
)

#: The state vocabulary, importable from this module as from the classic ``dockermap.map.state``.
__all__ = ["ConfigFlags", "ConfigState", "State", "StateFlags", "container_from_list", "exit_code", "observe"]

#: Columns requested from ``top``; the engine needs the pid column.
PS_ARGS = "-eo pid,user,args"
_EXIT_CODE = re.compile(r"^Exited \((-?\d+)\)")


def exit_code(status: str) -> Optional[int]:
    """The exit code in a container list ``Status`` such as ``Exited (137) 3 seconds ago``."""
    match = _EXIT_CODE.match(status or "")
    return int(match.group(1)) if match else None


def _connections(networks: Optional[Mapping[str, Any]]) -> Dict[str, Dict[str, Any]]:
    result = {}
    for name, settings in (networks or {}).items():
        ipam = settings.get("IPAMConfig") or {}
        result[name] = {
            "id": settings.get("NetworkID") or "",
            "endpoint_id": settings.get("EndpointID") or "",
            "aliases": list(settings.get("Aliases") or ()),
            "links": list(settings.get("Links") or ()),
            "ipv4_address": ipam.get("IPv4Address") or None,
            "ipv6_address": ipam.get("IPv6Address") or None,
            "link_local_ips": list(ipam.get("LinkLocalIPs") or ()),
        }
    return result


def container_from_list(entry: Mapping[str, Any]) -> ObservedContainer:
    """An :class:`ObservedContainer` from one entry of ``containers(all=True)``."""
    status = entry.get("Status") or ""
    return ObservedContainer(
        # A linked container is also listed as '/<linking container>/<alias>', in any order.
        name=primary_container_name(entry.get("Names") or (), entry["Id"]),
        id=entry["Id"],
        image_id=entry.get("ImageID") or "",
        status=(entry.get("State") or "").lower(),
        exit_code=exit_code(status),
        labels=dict(entry.get("Labels") or {}),
        mounts={
            mount["Destination"]: mount.get("Name") if mount.get("Type") == "volume" else mount.get("Source")
            for mount in entry.get("Mounts") or ()
        },
        published=[
            (
                f"{port['PrivatePort']}/{port.get('Type', 'tcp')}",
                port.get("IP") or "0.0.0.0",
                str(port["PublicPort"]),
            )
            for port in entry.get("Ports") or ()
            if port.get("PublicPort")
        ],
        networks=_connections((entry.get("NetworkSettings") or {}).get("Networks")),
    )


#: Most names of missing items passed as list filters; more are matched on this side in one full list.
NAME_FILTER_LIMIT = 50
#: Most images looked up one by one; for more, one list of every image is cheaper.
IMAGE_LOOKUP_LIMIT = 10

#: Fields of a container list entry that the observation reads; an entry without one of them is inspected.
LIST_FIELDS = ("State", "ImageID", "Labels", "Mounts")


def _gone(exc: BaseException, *statuses: int) -> bool:
    """Whether ``exc`` says that a container went away since it was listed (404, or one of ``statuses``).

    The SDK's errors are imported here, after a failure: a read that succeeds never loads the SDK."""
    from docker.errors import APIError, NotFound

    return isinstance(exc, NotFound) or (isinstance(exc, APIError) and exc.status_code in statuses)


def _listed_containers(
    client: DockerClient,
    filters: Dict[str, Any],
    inspected: Dict[str, ObservedContainer],
    names: Optional[Set[str]] = None,
) -> List[ObservedContainer]:
    """The containers of one list call (only those named in ``names``, if given); entries that lack
    :data:`LIST_FIELDS` are read by inspection (once per id: ``inspected`` holds what earlier calls
    inspected)."""
    result = []
    for entry in client.containers(all=True, filters=filters):
        if names is not None and primary_container_name(entry.get("Names") or (), entry["Id"]) not in names:
            continue
        if all(key in entry for key in LIST_FIELDS):
            result.append(container_from_list(entry))
            continue
        if entry["Id"] in inspected:
            result.append(inspected[entry["Id"]])
            continue
        try:
            detail = client.inspect_container(entry["Id"])
        except Exception as exc:
            if not _gone(exc):
                raise
            continue
        from dockermap.client.cli.container_list import container_list_entry  # lists lacking fields only

        found = container_from_list(container_list_entry(detail, entry.get("Status") or ""))
        state = detail.get("State") or {}
        if found.exit_code is None and not state.get("Running") and found.status != "created":
            found.exit_code = state.get("ExitCode")
        found.detail = detail
        inspected[entry["Id"]] = found
        result.append(found)
    return result


def _anchored(name: str) -> str:
    """A name filter matching exactly ``name`` (the engine matches names as regular expressions)."""
    return f"^/?{re.escape(name)}$"


def _needs_detail(desired: Optional[DesiredContainer], found: ObservedContainer, verify: bool) -> bool:
    if desired is None:
        return False
    if verify:
        return True
    fingerprint = found.labels.get(LABEL_FINGERPRINT)
    if fingerprint is None or fingerprint != desired.fingerprint:
        return True
    return found.labels.get(LABEL_UPDATABLE) != updatable_json(desired.updatable)


def _processes(top: Mapping[str, Any]) -> List[Tuple[str, str]]:
    titles = [title.upper() for title in top.get("Titles") or ()]
    user = titles.index("USER")
    args = next(i for i, title in enumerate(titles) if title in ("COMMAND", "CMD", "ARGS"))
    return [(row[user], row[args]) for row in top.get("Processes") or ()]


def _observe_containers(
    client: DockerClient,
    observed: ObservedClient,
    desired: Dict[str, DesiredContainer],
    check_exec_commands: bool,
    verify: bool,
) -> None:
    inspected: Dict[str, ObservedContainer] = {}
    for found in _listed_containers(client, label_filter(), inspected):
        if LABEL_MAP in found.labels:  # a client may ignore the filter
            helper = found.labels.get(LABEL_KIND) == KIND_HELPER
            (observed.helpers if helper else observed.containers)[found.name] = found
    missing = {name for name in desired if name not in observed.containers}
    if missing:
        # A few names go into the list call's filter; many are matched here, in one unfiltered list
        # (the engine matches each name filter as a regular expression against every container).
        few = len(missing) <= NAME_FILTER_LIMIT
        filters = {"name": [_anchored(name) for name in missing]} if few else {}
        for found in _listed_containers(client, filters, inspected, missing):
            observed.containers[found.name] = found
    for name, found in observed.containers.items():
        wanted = desired.get(name)
        if found.detail is None and _needs_detail(wanted, found, verify):
            found.detail = client.inspect_container(found.id)
            found.networks = _connections(found.detail.get("NetworkSettings", {}).get("Networks"))
        kept_running = wanted and any(c.policy is ExecPolicy.KEEP_RUNNING for c in wanted.exec_commands)
        if check_exec_commands and kept_running and found.status == "running":
            try:
                found.processes = _processes(client.top(found.id, ps_args=PS_ARGS))
            except Exception as exc:
                if not _gone(exc, 409):  # 409: stopped since it was listed
                    raise
                found.processes = []


def _volume(entry: Mapping[str, Any]) -> ObservedVolume:
    return ObservedVolume(
        name=entry["Name"],
        driver=entry.get("Driver") or "",
        options=dict(entry.get("Options") or {}),
        labels=dict(entry.get("Labels") or {}),
    )


def _observe_volumes(client: DockerClient, observed: ObservedClient, names: List[str]) -> None:
    for entry in client.volumes(filters=label_filter()).get("Volumes") or ():
        found = _volume(entry)
        copy = found.labels.get(LABEL_KIND) == KIND_VOLUME_COPY
        (observed.volume_copies if copy else observed.volumes)[found.name] = found
    missing = {name for name in names if name not in observed.volumes}
    if missing:
        filters = {"name": list(missing)} if len(missing) <= NAME_FILTER_LIMIT else None
        for entry in client.volumes(filters=filters).get("Volumes") or ():
            if entry["Name"] in missing:
                observed.volumes[entry["Name"]] = _volume(entry)


def _network(entry: Mapping[str, Any]) -> ObservedNetwork:
    return ObservedNetwork(
        name=entry["Name"],
        id=entry["Id"],
        driver=entry.get("Driver") or "",
        options=dict(entry.get("Options") or {}),
        internal=bool(entry.get("Internal")),
        labels=dict(entry.get("Labels") or {}),
    )


def _observe_networks(client: DockerClient, observed: ObservedClient, names: List[str]) -> None:
    for entry in client.networks(filters=label_filter()):
        observed.networks[entry["Name"]] = _network(entry)
    missing = {name for name in names if name not in observed.networks}
    if missing:
        for entry in client.networks(names=list(missing) if len(missing) <= NAME_FILTER_LIMIT else None):
            if entry["Name"] in missing:
                observed.networks[entry["Name"]] = _network(entry)


def _image_refs(items: List[Any], helper_image: Optional[str]) -> Optional[List[str]]:
    """The images observing ``items`` looks up: those of the image items, and the helper image where
    there are volumes (their helpers need it); ``None``: every image (volumes, but no helper image named)."""
    refs = [item.ref for item in items if isinstance(item, DesiredImage)]
    if any(isinstance(item, DesiredVolume) for item in items):
        if helper_image is None:
            return None
        refs.append(helper_image)
    return list(dict.fromkeys(refs))


def _image_id(client: DockerClient, ref: str) -> Optional[str]:
    if isinstance(client, EngineReader):
        return client.image_id(ref)
    try:
        return str(client.inspect_image(ref)["Id"])
    except Exception as exc:
        if not _gone(exc):
            raise
        return None


def _observe_images(client: DockerClient, observed: ObservedClient, refs: Optional[List[str]]) -> None:
    """Look up ``refs`` one by one (the engine lists all its images slowly when it has many); list every
    image instead when there are many refs, when ``refs`` is ``None``, or when the client reads in bulk
    (the command-line client: a process per call)."""
    if refs == []:  # neither images nor volumes: nothing to read
        return
    bulk = getattr(type(client), "reads_in_bulk", False)  # the type's: DirectClient hands others to the SDK
    if refs is not None and len(refs) <= IMAGE_LOOKUP_LIMIT and not bulk:
        for ref in refs:
            image_id = _image_id(client, ref)
            if image_id is not None:
                observed.images[ref] = image_id
        return
    for entry in client.images():
        for tag in entry.get("RepoTags") or ():
            if tag != "<none>:<none>":
                observed.images[tag] = entry["Id"]


def observe(
    client_name: str,
    client: DockerClient,
    desired_items: Iterable[Any],
    check_exec_commands: bool = True,
    verify: bool = False,
    helper_image: Optional[str] = None,
) -> ObservedClient:
    """What the engine of ``client`` (the API or the command-line client) has of the ``desired_items`` of
    one client.

    The result also lists every other container, volume and network dockermap labelled on the engine
    (they may share volumes or networks with the desired items). ``check_exec_commands=False`` skips
    reading the process lists; ``verify=True`` inspects every desired container found, so that the plan
    compares limits and restart policy with what the engine has, not with what dockermap recorded.
    Images are read only when the items include images or volumes: the images of the items, and
    ``helper_image`` (the helper containers' image, with its tag) for volumes; without it, every image.
    """
    items = list(desired_items)
    containers = {item.name: item for item in items if isinstance(item, DesiredContainer)}
    observed = ObservedClient(client_name)
    _observe_containers(client, observed, containers, check_exec_commands, verify)
    _observe_volumes(client, observed, [item.name for item in items if isinstance(item, DesiredVolume)])
    _observe_networks(client, observed, [item.name for item in items if isinstance(item, DesiredNetwork)])
    _observe_images(client, observed, _image_refs(items, helper_image))
    return observed
