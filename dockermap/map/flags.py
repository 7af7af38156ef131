"""The classic state vocabulary: what an item's state is, and which conditions were found on it.

:func:`dockermap.map.plan.config_states` describes every item of a plan with these values, so that
``MappingDockerClient.get_states`` can return the classic :class:`ConfigState` records.
"""

from __future__ import annotations

from collections import namedtuple
from enum import Enum, IntFlag


class State(Enum):
    """Base state of an item on a client."""

    ABSENT = "absent"
    PRESENT = "present"  # exists, but is not running
    RUNNING = "running"


class StateFlags(IntFlag):
    """Conditions found on an existing item (bit values as in the classic library)."""

    NONE = 0
    INITIAL = 1  # created, never started
    RESTARTING = 1 << 1  # not running, being restarted by the engine
    PERSISTENT = 1 << 5  # the configuration is ``persistent``
    NONRECOVERABLE = 1 << 10  # exited with a code listed in ``nonrecoverable_exit_codes``
    IMAGE_MISMATCH = 1 << 12  # runs another image id than the configured tag has now
    MISSING_LINK = 1 << 13  # a configured link is missing
    VOLUME_MISMATCH = 1 << 14  # mounts differ from the configuration
    EXEC_COMMANDS = 1 << 15  # configured exec commands are not running
    HOST_CONFIG_UPDATE = 1 << 16  # limits or restart policy differ and can be updated in place
    NETWORK_DISCONNECTED = 1 << 20  # not connected to a configured network
    NETWORK_LEFT = 1 << 21  # connected to a network it is not configured for
    NETWORK_MISMATCH = 1 << 22  # connected with other endpoint settings, or to a replaced network
    MISC_MISMATCH = 1 << 30  # another configuration difference that needs a new item
    FORCED_RESET = 1 << 31  # named in ``force_update``
    #: Any of these means the item must be removed and created again.
    NEEDS_RESET = (
        NONRECOVERABLE | FORCED_RESET | IMAGE_MISMATCH | MISSING_LINK | VOLUME_MISMATCH | MISC_MISMATCH
    )


class ConfigFlags(IntFlag):
    """How an item came into a plan."""

    NONE = 0
    DEPENDENT = 1  # a dependency or dependent of a requested item, not requested itself


#: The state of one item on one client, as ``MappingDockerClient.get_states`` returns it.
ConfigState = namedtuple(
    "ConfigState", ["client_name", "config_id", "config_flags", "base_state", "state_flags", "extra_data"]
)
