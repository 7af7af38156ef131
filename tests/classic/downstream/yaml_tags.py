"""YAML tags a deployment registered on PyYAML's ``SafeLoader`` for its map files."""

import os

import yaml

#: Deployment settings the ``!site`` tag reads (filled before the map is loaded).
SETTINGS = {}


def site_setting(loader, node):
    return SETTINGS[loader.construct_scalar(node)]


def env_value(loader, node):
    # This project's own !env: the value of the named variable.
    return os.environ[loader.construct_scalar(node)]


TAGS = {"!site": site_setting, "!env": env_value}


def register():
    for tag, constructor in TAGS.items():
        yaml.add_constructor(tag, constructor, Loader=yaml.SafeLoader)


def unregister():
    for tag in TAGS:
        yaml.SafeLoader.yaml_constructors.pop(tag, None)
