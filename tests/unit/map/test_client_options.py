"""A call's options are parsed once, into the one options object the plan and the runner share."""

from __future__ import annotations

from dockermap.api import ContainerMap, MappingDockerClient
from dockermap.map.plan import PlanOptions
from tests.unit.map.test_client_order import clients


def test_options_are_parsed_once_per_call(monkeypatch):
    parsed = []
    original = PlanOptions.parse.__func__

    def parse(cls, *args, **kwargs):
        parsed.append(args)
        return original(cls, *args, **kwargs)

    monkeypatch.setattr(PlanOptions, "parse", classmethod(parse))
    container_map = ContainerMap("m", {"web": {"image": "web"}})
    client = MappingDockerClient(
        container_map, clients=clients("__default__"), option_defaults={"remove_attached": True, "x": 1}
    )
    request = client._request("stop", "web", None, None, {"timeout": 3, "hostname_replace": [("_", ".")]})

    assert len(parsed) == 1
    options = request.options
    assert options.remove_attached is True and options.hostname_replace == [("_", ".")]
    assert options.call_kwargs == {"timeout": 3}  # only the keywords that are not options
    assert options.core_images == {"__default__": "busybox:latest"}
