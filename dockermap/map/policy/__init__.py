"""Policies: how a container map is turned into states and actions."""
