"""Dockerfiles and build contexts, generated from Python without talking to a Docker Engine."""

from dockermap.build.buffer import DockerBuffer, DockerStringBuffer, DockerTempFile, FinalizedError
from dockermap.build.context import DockerContext, get_filter_func, preprocess_matches
from dockermap.build.dockerfile import DockerFile

__all__ = [
    "DockerBuffer",
    "DockerContext",
    "DockerFile",
    "DockerStringBuffer",
    "DockerTempFile",
    "FinalizedError",
    "get_filter_func",
    "preprocess_matches",
]
