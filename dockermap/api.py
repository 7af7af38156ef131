"""The public names of dockermap in one place: ``from dockermap.api import ...``."""

from .build.context import DockerContext
from .build.dockerfile import DockerFile
from .client.base import DockerClientWrapper
from .exceptions import DockerStatusError, PartialResultsError
from .map.client import MappingDockerClient
from .map.config.client import USE_HC_MERGE, ClientConfiguration
from .map.config.container import ContainerConfiguration
from .map.config.host_volume import HostVolumeConfiguration
from .map.config.main import ContainerMap
from .map.config.network import NetworkConfiguration
from .map.config.volume import VolumeConfiguration
from .map.exceptions import (
    ActionRunnerException,
    MapIntegrityError,
    ScriptActionException,
    ScriptRunException,
)
from .map.input import (
    ContainerLink,
    ExecCommand,
    ExecPolicy,
    HealthCheck,
    ItemType,
    MapConfigId,
    NetworkEndpoint,
    PortBinding,
    SharedVolume,
)

__all__ = [
    "DockerContext",
    "DockerFile",
    "DockerClientWrapper",
    "PartialResultsError",
    "DockerStatusError",
    "MappingDockerClient",
    "ClientConfiguration",
    "USE_HC_MERGE",
    "ContainerConfiguration",
    "HostVolumeConfiguration",
    "ContainerMap",
    "NetworkConfiguration",
    "VolumeConfiguration",
    "ActionRunnerException",
    "MapIntegrityError",
    "ScriptActionException",
    "ScriptRunException",
    "ContainerLink",
    "ExecPolicy",
    "ExecCommand",
    "ItemType",
    "MapConfigId",
    "NetworkEndpoint",
    "PortBinding",
    "SharedVolume",
    "HealthCheck",
]
