"""``dockermap.api`` exports exactly the classic public names, and every name the spec keeps imports."""

import importlib

import dockermap.api

CLASSIC_API = {
    "DockerContext", "DockerFile", "DockerClientWrapper", "PartialResultsError", "DockerStatusError",
    "MappingDockerClient", "ClientConfiguration", "USE_HC_MERGE", "ContainerConfiguration",
    "HostVolumeConfiguration", "ContainerMap", "NetworkConfiguration", "VolumeConfiguration",
    "ActionRunnerException", "MapIntegrityError", "ScriptActionException", "ScriptRunException",
    "ContainerLink", "ExecPolicy", "ExecCommand", "ItemType", "MapConfigId", "NetworkEndpoint",
    "PortBinding", "SharedVolume", "HealthCheck",
}  # fmt: skip

#: Names SPEC.md (preface, "Names to keep") requires per module.
KEPT_NAMES = {
    "dockermap": [
        "DEFAULT_COREIMAGE", "DEFAULT_BASEIMAGE", "DEFAULT_HOSTNAME_REPLACEMENT", "DEFAULT_PRESET_NETWORKS",
        "__version__",
    ],
    "dockermap.functional": [
        "lazy", "lazy_once", "LazyOnceObject", "register_type", "uses_type_registry", "resolve_value",
        "resolve_deep",
    ],
    "dockermap.utils": ["merge_list", "format_image_tag", "expand_path", "expand_path_lazy"],
    "dockermap.build.dockerfile": ["DockerFile"],
    "dockermap.build.context": ["DockerContext", "get_filter_func", "preprocess_matches"],
    "dockermap.build.buffer": ["DockerStringBuffer", "DockerTempFile"],
    "dockermap.client.base": ["DockerClientWrapper"],
    "dockermap.exceptions": ["PartialResultsError", "DockerStatusError"],
    "dockermap.dep": [
        "ImageDependentsResolver", "CircularDependency", "MultiForwardDependencyResolver",
        "MultiReverseDependencyResolver",
    ],
    "dockermap.map.policy.dep": ["ContainerDependencyResolver", "ContainerDependentsResolver"],
    "dockermap.map.config.main": ["ContainerMap"],
    "dockermap.map.config.container": ["ContainerConfiguration"],
    "dockermap.map.config.client": ["ClientConfiguration", "USE_HC_MERGE"],
    "dockermap.map.config.utils": ["expand_groups", "get_map_config_ids"],
    "dockermap.map.input": [
        "is_path", "read_only", "get_list", "ItemType", "SharedHostVolumesList", "SharedVolume", "HostVolume",
        "ContainerLinkList", "ContainerLink", "PortBindingList", "PortBinding", "ExecCommandList",
        "ExecCommand", "ExecPolicy", "NetworkEndpointList", "NetworkEndpoint", "AttachedVolumeList",
        "UsedVolume", "UsedVolumeList", "InputConfigIdList", "MapConfigId", "InputConfigId",
        "get_healthcheck", "HealthCheck",
    ],
    "dockermap.map.yaml": ["load_map", "load_map_file", "load_clients", "load_clients_file"],
    "dockermap.map.client": ["MappingDockerClient"],
    "dockermap.map.exceptions": [
        "ActionRunnerException", "MapIntegrityError", "ScriptActionException", "ScriptRunException",
        "ActionException", "ActionTypeException",
    ],
}  # fmt: skip


def test_api_exports_exactly_the_classic_names():
    assert set(dockermap.api.__all__) == CLASSIC_API
    for name in CLASSIC_API:
        assert getattr(dockermap.api, name) is not None


def test_every_kept_name_imports():
    missing = [
        f"{module}.{name}"
        for module, names in KEPT_NAMES.items()
        for name in names
        if not hasattr(importlib.import_module(module), name)
    ]
    assert missing == []


def test_classic_import_path_of_the_client_wrapper():
    from dockermap.client.base import DockerClientWrapper
    from dockermap.map.base import DockerClientWrapper as Alias

    assert Alias is DockerClientWrapper
