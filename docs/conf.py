"""Sphinx configuration for the dockermap documentation."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

import dockermap  # noqa: E402

project = "dockermap"
author = "The dockermap developers"
copyright = "2026, The dockermap developers"
release = dockermap.__version__
version = release

extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
nitpicky = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
