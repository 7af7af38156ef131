"""The floor of the peer benchmark: the Docker SDK calls a phase needs and nothing else, as a process.

    python floor.py PHASE --shape SHAPE --size N --image IMAGE --prefix PREFIX [--leaf-env] [--parallel]

Phases: ``up`` (create the volume, create and start every container in dependency order, waiting for
the health of those a dependent waits for), ``noop`` (one list call), ``leaf`` (replace the leaf),
``image`` (replace every container), ``down`` (stop and remove everything, the volume included).
``--parallel`` runs the containers of one dependency level at the same time.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Dict, List

import docker
from stacks import DATA_PATH, LEAF_VARIABLE, Service, awaited_healthy, levels, stack

LABEL = "dockermap.peers.floor"
HEALTH_TIMEOUT = 60


class Floor:
    def __init__(self, args: argparse.Namespace) -> None:
        self.api = docker.APIClient(base_url=os.environ["DOCKER_HOST"], version="auto", timeout=120)
        self.services, self.leaf = stack(args.shape, args.size)
        self.awaited = awaited_healthy(self.services)
        self.image = args.image
        self.prefix = args.prefix
        self.leaf_env = args.leaf_env
        self.workers = 16 if args.parallel else 1
        self.volume = f"{self.prefix}data"

    def name(self, service: str) -> str:
        return f"{self.prefix}{service}"

    def each(self, services: List[Service], call: Callable[[Service], None]) -> None:
        if self.workers == 1:
            for service in services:
                call(service)
            return
        with ThreadPoolExecutor(self.workers) as pool:
            list(pool.map(call, services))

    def create_start(self, service: Service) -> None:
        binds = [f"{self.volume}:{DATA_PATH}"] if service.volume else None
        links = {self.name(d): d for d in service.depends_on} if service.links else None
        environment = {LEAF_VARIABLE: "changed"} if self.leaf_env and service.name == self.leaf else None
        healthcheck = {"test": ["CMD", "true"], "interval": 1_000_000_000} if service.healthcheck else None
        container = self.api.create_container(
            self.image,
            name=self.name(service.name),
            environment=environment,
            labels={LABEL: self.prefix, f"{LABEL}.service": service.name},
            healthcheck=healthcheck,
            host_config=self.api.create_host_config(binds=binds, links=links),
        )
        self.api.start(container)
        if service.name in self.awaited:
            self.wait_healthy(container["Id"])

    def wait_healthy(self, container: str) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while self.api.inspect_container(container)["State"]["Health"]["Status"] != "healthy":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{container} did not become healthy")
            time.sleep(0.1)

    def stop_remove(self, service: Service) -> None:
        self.api.stop(self.name(service.name), timeout=2)
        self.api.remove_container(self.name(service.name))

    def up(self) -> None:
        if any(s.volume for s in self.services):
            self.api.create_volume(self.volume)
        for level in levels(self.services):
            self.each(level, self.create_start)

    def down(self) -> None:
        for level in reversed(levels(self.services)):
            self.each(level, self.stop_remove)
        if any(s.volume for s in self.services):
            self.api.remove_volume(self.volume)

    def noop(self) -> None:
        self.api.containers(all=True, filters={"label": f"{LABEL}={self.prefix}"})

    def leaf_changed(self) -> None:
        leaf = next(s for s in self.services if s.name == self.leaf)
        self.stop_remove(leaf)
        self.create_start(leaf)

    def image_changed(self) -> None:
        for level in reversed(levels(self.services)):
            self.each(level, self.stop_remove)
        for level in levels(self.services):
            self.each(level, self.create_start)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=("up", "noop", "leaf", "image", "down"))
    parser.add_argument("--shape", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--prefix", required=True)
    parser.add_argument("--leaf-env", action="store_true")
    parser.add_argument("--parallel", action="store_true")
    args = parser.parse_args()
    floor = Floor(args)
    phases: Dict[str, Callable[[], None]] = {
        "up": floor.up,
        "noop": floor.noop,
        "leaf": floor.leaf_changed,
        "image": floor.image_changed,
        "down": floor.down,
    }
    phases[args.phase]()


if __name__ == "__main__":
    main()
