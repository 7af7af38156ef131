"""dockermap: build Docker images and run stacks of connected containers from Python."""

__version__ = "2.0.0.dev0"

#: Image of the short-lived helper containers that prepare attached volumes (owner and mode).
DEFAULT_COREIMAGE = "busybox:latest"
#: Default ``FROM`` image of a :class:`~dockermap.build.dockerfile.DockerFile`.
DEFAULT_BASEIMAGE = "tianon/true:latest"
#: Replacements applied to container names to derive host names.
DEFAULT_HOSTNAME_REPLACEMENT = [("_", "-"), (".", "-")]
#: Networks that every Docker Engine has; they are never created or removed by dockermap.
DEFAULT_PRESET_NETWORKS = ("host", "bridge", "none")
