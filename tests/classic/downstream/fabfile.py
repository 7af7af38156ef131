"""A fabfile-style deployment using the classic import paths."""

from dockermap.api import MappingDockerClient
from dockermap.map.action import Action, ContainerUtilAction
from dockermap.map.policy.base import BasePolicy
from dockermap.map.state import StateFlags
from dockermap.map.yaml import load_clients_file, load_map_file

from .fabric_client import FabricClientConfiguration


def get_client(map_file, clients_file, map_name):
    clients = load_clients_file(clients_file, configuration_class=FabricClientConfiguration)
    container_map = load_map_file(map_file, name=map_name)
    return MappingDockerClient(container_map, clients["default"])


def container_name(client, config):
    return BasePolicy.cname(client.default_map, config)


def needs_reset(client, config):
    return [
        state.config_id.config_name
        for state in client.get_states("update", config)
        if state.state_flags & StateFlags.NEEDS_RESET
    ]


def planned(client, action, config):
    """``(kind, item name)`` of every planned action, in order."""
    return [(a.kind, a.name) for group in client.get_actions(action, config) for a in group]


def stops_before_removal(steps):
    """Whether every removed container was stopped before, in the planned order."""
    stop, remove = ContainerUtilAction.SIGNAL_STOP.kind, Action.REMOVE.kind
    return all((stop, name) in steps[:index] for index, (kind, name) in enumerate(steps) if kind == remove)


def deploy(client, config):
    return client.startup(config)


def update(client, config):
    return client.update(config)


def run_job(client, config, command):
    outputs = client.run_script(config, command_format=command)
    return outputs[-1].result


def teardown(client, config):
    return client.shutdown(config, remove_attached=True)
