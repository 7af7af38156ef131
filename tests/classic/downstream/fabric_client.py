"""A Fabric-style integration: a client configuration subclass with its own init keyword and client
constructor, and a command-line client whose container list has only the classic parser's fields."""

from dockermap.api import ClientConfiguration
from dockermap.client.cmdline import DockerCommandLineClient

#: The fields the classic command-line parser gave for ``docker ps``.
CLASSIC_FIELDS = ("Id", "Image", "Created", "Status", "Names", "Command", "Ports")


class FabricCliClient(DockerCommandLineClient):
    """Runs ``docker -H <base_url> ...``; takes exactly the keywords it names."""

    def __init__(self, base_url=None, version=None, timeout=None, fabric_host=None):
        super().__init__(cmd_args=["-H", base_url])
        self.fabric_host = fabric_host
        self.init_arguments = dict(
            base_url=base_url, version=version, timeout=timeout, fabric_host=fabric_host
        )
        self.listed = 0

    def containers(self, all=False, **kwargs):
        self.listed += 1
        entries = super().containers(all=all, **kwargs)
        return [{key: entry[key] for key in CLASSIC_FIELDS if key in entry} for entry in entries]


class FabricClientConfiguration(ClientConfiguration):
    init_kwargs = ClientConfiguration.init_kwargs + ("fabric_host",)
    client_constructor = FabricCliClient
    #: The keywords of every ``update_settings`` call (of all instances).
    settings_updates = []

    def update_settings(self, **kwargs):
        super().update_settings(**kwargs)
        self.settings_updates.append(kwargs)
