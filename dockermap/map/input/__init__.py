"""Input types of the configuration model and the rules that convert user input to them.

Configuration values may be given in many shapes (strings, tuples, lists, dicts); the list types and
helpers here turn them into enums and named tuples with checked fields. Anything malformed raises
``ValueError`` naming the value given and the accepted forms.

Modules: :mod:`.values` (enums, ``NotSet``, scalar helpers), :mod:`.tuples` (named tuples),
:mod:`.healthcheck` (health checks, durations), :mod:`.lists` (``NamedTupleList`` and the link, port
and exec command lists), :mod:`.volumes`, :mod:`.networks`, :mod:`.config_ids`, :mod:`.build` (the
``build`` setting).
"""

from .build import BuildSettings, get_build
from .config_ids import InputConfigIdList
from .healthcheck import HealthCheck, get_healthcheck
from .lists import ContainerLinkList, ExecCommandList, NamedTupleList, PortBindingList
from .networks import NetworkEndpoint, NetworkEndpointList
from .tuples import (
    ContainerLink,
    ExecCommand,
    HostVolume,
    InputConfigId,
    MapConfigId,
    PortBinding,
    SharedVolume,
    UsedVolume,
)
from .values import (
    CURRENT_DIR,
    EXEC_POLICY_INITIAL,
    EXEC_POLICY_RESTART,
    CmdCheck,
    ExecPolicy,
    ItemType,
    NotSet,
    bool_if_set,
    get_list,
    get_network_mode,
    is_path,
    read_only,
)
from .volumes import AttachedVolumeList, SharedHostVolumesList, UsedVolumeList

__all__ = [
    "CURRENT_DIR",
    "EXEC_POLICY_INITIAL",
    "EXEC_POLICY_RESTART",
    "AttachedVolumeList",
    "BuildSettings",
    "CmdCheck",
    "ContainerLink",
    "ContainerLinkList",
    "ExecCommand",
    "ExecCommandList",
    "ExecPolicy",
    "HealthCheck",
    "HostVolume",
    "InputConfigId",
    "InputConfigIdList",
    "ItemType",
    "MapConfigId",
    "NamedTupleList",
    "NetworkEndpoint",
    "NetworkEndpointList",
    "NotSet",
    "PortBinding",
    "PortBindingList",
    "SharedHostVolumesList",
    "SharedVolume",
    "UsedVolume",
    "UsedVolumeList",
    "bool_if_set",
    "get_build",
    "get_healthcheck",
    "get_list",
    "get_network_mode",
    "is_path",
    "read_only",
]
