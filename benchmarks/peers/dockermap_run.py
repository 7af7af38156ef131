"""dockermap as the peer benchmark runs it: one process per phase, like a user's deployment script.

    python dockermap_run.py MAP_FILE ACTION [--remove-attached]

Loads the map file, then runs ``ACTION`` (``startup``, ``update`` or ``shutdown``) on all of its
containers through the engine at ``DOCKER_HOST``.
"""

from __future__ import annotations

import argparse
import os

from dockermap.api import ClientConfiguration, MappingDockerClient
from dockermap.map.yaml import load_map_file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("map_file")
    parser.add_argument("action", choices=("startup", "update", "shutdown"))
    parser.add_argument("--remove-attached", action="store_true")
    args = parser.parse_args()
    client = MappingDockerClient(
        load_map_file(args.map_file), ClientConfiguration(base_url=os.environ["DOCKER_HOST"])
    )
    kwargs = {"remove_attached": True} if args.remove_attached else {}
    getattr(client, args.action)("__all__", **kwargs)


if __name__ == "__main__":
    main()
