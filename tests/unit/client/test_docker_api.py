import docker
import docker.types
import pytest

from dockermap import docker_api
from dockermap.map.config import client as client_config


def test_sdk_names():
    assert docker_api.APIClient is docker.APIClient
    assert docker_api.HostConfig is docker.types.HostConfig
    assert docker_api.NetworkingConfig is docker.types.NetworkingConfig
    assert docker_api.EndpointConfig is docker.types.EndpointConfig
    assert docker_api.IPAMPool is docker.types.IPAMPool
    assert docker_api.IPAMConfig is docker.types.IPAMConfig
    assert docker_api.INSECURE_REGISTRIES is False


def test_client_features_reexported_from_client_configuration():
    assert docker_api.CLIENT_FEATURES is client_config.CLIENT_FEATURES
    assert dict(docker_api.CLIENT_FEATURES)["healthcheck"] == "1.24"


def test_client_constraints():
    constraints = dict(docker_api.CLIENT_CONSTRAINTS)
    assert len(docker_api.CLIENT_CONSTRAINTS) == 10
    assert constraints["mem_limit"] == "MemoryLimit"
    assert constraints["cpuset_mems"] == "CPUSet"
    assert constraints["pids_limit"] == "PidsLimit"


def test_unknown_attribute():
    with pytest.raises(AttributeError, match="NO_SUCH_NAME"):
        docker_api.NO_SUCH_NAME  # noqa: B018
