"""Classic import path of :class:`~dockermap.client.base.DockerClientWrapper` (older documentation)."""

from dockermap.client.base import DockerClientWrapper

__all__ = ["DockerClientWrapper"]
