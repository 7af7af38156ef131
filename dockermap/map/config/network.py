"""Configuration of a network on a container map."""

from __future__ import annotations

from dockermap.map.input import bool_if_set

from . import CP, ConfigurationObject
from .values import mapping, scalar


class NetworkConfiguration(ConfigurationObject):
    """A network created for a map (engine name ``<map>.<network>``) and joined by its containers."""

    __slots__ = ()

    DOCSTRINGS = {
        "driver": "Network driver (default ``bridge``).",
        "driver_options": "Driver options.",
        "internal": "Restrict external access to the network.",
        "create_options": "Extra keyword arguments for creating the network.",
        "name": "Engine name of the network, instead of the one derived from the map.",
        "external": "Made outside dockermap: joined, never created or removed; it must exist.",
    }

    driver = CP(default="bridge", input_func=scalar("network driver", "a driver name (string)", str))
    driver_options = CP(dict, input_func=mapping("driver_options"))
    internal = CP(default=False, input_func=bool_if_set)
    create_options = CP(dict, input_func=mapping("create_options"))
    name = CP(input_func=scalar("network name", "an engine network name (string)", str))
    external = CP(input_func=bool_if_set)
