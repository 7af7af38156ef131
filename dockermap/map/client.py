"""``MappingDockerClient``: creates, starts, updates, stops and removes the items of container maps.

Every call goes through the steps of the architecture page: **resolve** the requested names into
configuration ids in the order to act on them (refused with the valid names listed before anything
happens), build their **desired** records, **observe** each involved engine (:mod:`dockermap.map.state`),
compute a **plan** of actions (:mod:`dockermap.map.plan`, pure) and **run** it
(:mod:`dockermap.map.runner`). :meth:`plan` stops after planning, so
``print(client.plan('update', 'web'))`` is a dry run. An ``update`` that pulls images runs the pulls
between observing and planning, so that it plans once, against the pulled images.

Every engine is observed before anything changes: when one cannot be reached, the call raises
:class:`~dockermap.map.exceptions.UnreachableClientsError` and changes nothing, unless the option
``skip_unreachable`` lets it go on with the others (the plan and the results list what was left alone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from dockermap.client import SDK_POOL_SIZE, client_kwargs_from_env
from dockermap.exceptions import InvalidArgumentError
from dockermap.functional import resolve_value
from dockermap.log import logger
from dockermap.map.exceptions import ConfigurationNotFound
from dockermap.records import record, replace

from .build_sources import build_problems
from .config.client import ClientConfiguration
from .config.engine_names import map_collision_problems
from .config.main import ContainerMap
from .config.utils import ALL, get_map_config_ids
from .desired import DesiredBuilder, require_instance
from .exceptions import (
    ActionRunnerException,
    MapConfigurationError,
    MapIntegrityError,
    UnreachableClient,
    UnreachableClientsError,
)
from .flags import ConfigState
from .input import CmdCheck, ItemType, MapConfigId
from .items import Action, ObservedClient
from .names import DEFAULT_CLIENT_NAME, engine_container_name, engine_volume_name
from .plan import GENERATORS, REMOVING_ACTIONS, Plan, PlanOptions, config_states, plan, update_pulls
from .plan.orphans import Configured, Identity
from .plan.untouched import untouched_items
from .policy.dep import ContainerDependencyResolver, ContainerDependentsResolver
from .runner import ActionOutput, RunResults
from .state import observe

if TYPE_CHECKING:  # the runner imports the Docker SDK: only calls that change something load it
    from .runner.base import Runner


ItemKey = Tuple[str, MapConfigId]

#: Actions whose items are acted on dependents first (the others go dependencies first).
REVERSE_ACTIONS = frozenset({"stop", "remove", "shutdown"})
#: Actions that act on the requested items only, without their dependencies.
SINGLE_ACTIONS = frozenset({"restart", "signal"})


@record
class MapPolicy:
    """What is derived from the maps once (until :meth:`MappingDockerClient.refresh_names`): the
    extended maps and the dependency resolvers over all of them."""

    maps: Dict[str, ContainerMap]  # extended maps
    forward: ContainerDependencyResolver
    reverse: ContainerDependentsResolver

    @classmethod
    def from_maps(cls, maps: Mapping[str, ContainerMap], map_defaults: Any = None) -> MapPolicy:
        """Extend every map (with ``map_defaults``) and fill the resolvers with their dependencies."""
        extended = {name: m.get_extended_map(map_defaults) for name, m in maps.items()}
        forward, reverse = ContainerDependencyResolver(), ContainerDependentsResolver()
        for ext_map in extended.values():
            items = list(ext_map.dependency_items())
            forward.update(items)
            reverse.update(items)
        return cls(extended, forward, reverse)


@record
class _Request:
    """A call resolved into ordered item keys, their desired records and the options."""

    action_name: str
    keys: List[ItemKey]
    requested: List[ItemKey]
    desired: Dict[ItemKey, Any]
    options: PlanOptions
    configured: Configured


def _as_maps(container_maps: Any) -> Tuple[Dict[str, ContainerMap], Optional[str]]:
    if not container_maps:
        return {}, None
    if isinstance(container_maps, ContainerMap):
        return {container_maps.name: container_maps}, container_maps.name
    if isinstance(container_maps, (list, tuple)):
        return {m.name: m for m in container_maps}, None
    if isinstance(container_maps, dict):
        return dict(container_maps), None
    raise InvalidArgumentError(
        f"container_maps must be a ContainerMap, a list or tuple of them, or a dict name -> map; "
        f"got {type(container_maps).__name__}."
    )


def _desired_options(options: PlanOptions) -> Dict[str, Any]:
    """What the desired records are built with."""
    return {
        "core_image": options.core_image,
        "hostname_replace": options.hostname_replace,
        "secret_keys": options.secret_keys,
        "ready": options.ready,
    }


class _ClassicPolicyClass:
    """``MappingDockerClient.policy_class``: the classic policy class with the name helpers (``cname``,
    ``aname``, ``nname``, ``get_hostname``), kept in :mod:`dockermap.compat` and loaded on first use."""

    def __get__(self, obj: Any, owner: Any) -> type:
        from dockermap.compat.policy import BasePolicy

        return BasePolicy


class MappingDockerClient:
    """Runs the containers, volumes and networks of container maps on one or several Docker hosts.

    :param container_maps: a :class:`ContainerMap` (then the default map), a list or tuple of maps, or
        a dict name -> map.
    :param docker_client: the default client: a :class:`ClientConfiguration` or a client object (e.g. a
        :class:`~dockermap.client.base.DockerClientWrapper`). Without one, the default client is made
        from the environment (``DOCKER_HOST`` etc.) on first use.
    :param clients: further clients for maps with ``clients``: a dict name -> configuration, or pairs.
    :param map_defaults: defaults applied to every map when it is extended (map properties the map leaves
        unset, volumes, networks, containers).
    :param option_defaults: defaults of the call options (``remove_attached``, ``core_image``, ...).
    """

    configuration_class = ClientConfiguration
    #: The classic policy class (only its name helpers; a subclass that sets another one is checked).
    policy_class = _ClassicPolicyClass()

    def __init__(
        self,
        container_maps: Any = None,
        docker_client: Any = None,
        clients: Any = None,
        map_defaults: Optional[Mapping[str, Any]] = None,
        option_defaults: Optional[Mapping[str, Any]] = None,
    ) -> None:
        declared = next(
            cls.__dict__["policy_class"] for cls in type(self).__mro__ if "policy_class" in cls.__dict__
        )
        if not isinstance(declared, _ClassicPolicyClass):
            from dockermap.compat.policy import check_policy_class

            check_policy_class(type(self).policy_class)
        self._maps, self._default_map = _as_maps(container_maps)
        self._clients: Dict[str, ClientConfiguration] = dict(clients or {})
        if docker_client is not None:
            if not isinstance(docker_client, ClientConfiguration):
                docker_client = self.configuration_class.from_client(docker_client)
            self._clients[DEFAULT_CLIENT_NAME] = docker_client
        self._map_defaults = dict(map_defaults or {})
        self._option_defaults = dict(option_defaults or {})
        self._policy: Optional[MapPolicy] = None

    # --- configuration ----------------------------------------------------------------------------------

    @property
    def maps(self) -> Dict[str, ContainerMap]:
        """The container maps by name."""
        return self._maps

    @property
    def clients(self) -> Dict[str, ClientConfiguration]:
        """The client configurations by name (the default client is ``'__default__'``)."""
        return self._clients

    @property
    def default_map(self) -> Optional[str]:
        """Name of the map used when a call names none."""
        return self._default_map

    @default_map.setter
    def default_map(self, name: str) -> None:
        if name not in self._maps:
            raise ConfigurationNotFound(f"Default map {name!r} must match an available map name.")
        self._default_map = name

    def map_defaults(self) -> Dict[str, Any]:
        return self._map_defaults

    def option_defaults(self) -> Dict[str, Any]:
        return self._option_defaults

    def refresh_names(self) -> None:
        """Forget what was derived from the maps (call it after changing a map)."""
        self._policy = None

    def _get_policy(self) -> MapPolicy:
        if self._policy is None:
            policy = MapPolicy.from_maps(self._maps, self._map_defaults)
            problems = map_collision_problems(policy.maps.values())
            for name, config in self._clients.items():
                problems.extend(config.problems(f"clients.{name}"))
            if problems:
                raise MapIntegrityError(problems)
            self._policy = policy
        return self._policy

    def _client_config(self, name: str) -> ClientConfiguration:
        if name not in self._clients and name == DEFAULT_CLIENT_NAME:
            self._clients[name] = self.configuration_class(**client_kwargs_from_env())
        return self._clients[name]

    # --- resolving a call -------------------------------------------------------------------------------

    def _config_ids(self, value: Any, instances: Any, map_name: Optional[str]) -> List[MapConfigId]:
        policy = self._get_policy()
        return get_map_config_ids(value, policy.maps, map_name or self._default_map, instances)

    def _ordered(self, action_name: str, ids: List[MapConfigId]) -> List[MapConfigId]:
        """The order to act on the items of ``ids`` (with their dependencies or dependents, as the action
        needs): the one place where a call's order is decided."""
        if action_name in SINGLE_ACTIONS:
            return list(dict.fromkeys(ids))
        if action_name == "build_images":
            return self._own_images(ids)
        policy = self._get_policy()
        resolver = policy.reverse if action_name in REVERSE_ACTIONS else policy.forward
        ordered = resolver.get_ordered(ids)
        if action_name == "pull_images":
            maps = policy.maps
            for cid in ids:
                config = maps[cid.map_name].get_existing(cid.config_name)
                if cid.config_type is ItemType.CONTAINER and config is not None:
                    require_instance(cid, config.instances)
            return [i for i in ordered if i.config_type is ItemType.IMAGE]
        if action_name in REMOVING_ACTIONS:  # volumes and networks only after the containers that use them
            return sorted(ordered, key=lambda i: i.config_type is not ItemType.CONTAINER)
        return ordered

    def _own_images(self, ids: Iterable[MapConfigId]) -> List[MapConfigId]:
        """The image ids of the container configurations among ``ids`` (not of their dependencies)."""
        maps = self._get_policy().maps
        images: Dict[MapConfigId, None] = {}
        for cid in ids:
            config = maps[cid.map_name].get_existing(cid.config_name)
            if cid.config_type is ItemType.CONTAINER and config is not None:
                name, tag = maps[cid.map_name].get_image(resolve_value(config.image) or cid.config_name)
                images[MapConfigId(ItemType.IMAGE, cid.map_name, name, tag)] = None
        return list(images)

    def _attached_volumes(self, keys: Iterable[ItemKey]) -> List[ItemKey]:
        """Volume keys of the containers among ``keys`` (needed by ``remove_attached``)."""
        maps = self._get_policy().maps
        volumes: Dict[ItemKey, None] = {}
        for client, cid in keys:
            config = maps[cid.map_name].get_existing(cid.config_name)
            if cid.config_type is ItemType.CONTAINER and config is not None:
                for attached in config.attaches:
                    vid = MapConfigId(ItemType.VOLUME, cid.map_name, cid.config_name, attached.name)
                    volumes[(client, vid)] = None
        return list(volumes)

    def _configured(self, keys: Iterable[ItemKey]) -> Configured:
        """Every container instance (with its engine name) and attached volume the maps of ``keys``
        configure."""
        maps = self._get_policy().maps
        names = {cid.map_name for _, cid in keys}
        containers: Dict[Identity, str] = {}
        volumes: Set[Identity] = set()
        for map_name in names:
            ext_map = maps[map_name]
            for config_name, config in ext_map:
                for i in list(config.instances) or [None]:
                    containers[(map_name, config_name, i or "")] = engine_container_name(
                        ext_map, config_name, i
                    )
                volumes.update((map_name, config_name, resolve_value(v.name)) for v in config.attaches)
        return Configured(frozenset(names), containers, frozenset(volumes))

    def _request(
        self,
        action_name: str,
        container: Any,
        instances: Any,
        map_name: Optional[str],
        kwargs: Dict[str, Any],
    ) -> _Request:
        if action_name not in GENERATORS:
            raise InvalidArgumentError(
                f"Unknown action {action_name!r}; actions are: {', '.join(GENERATORS)}."
            )
        options = PlanOptions.parse(
            self._option_defaults, {**kwargs, **self._map_options(kwargs, instances, map_name)}
        )
        ids = self._config_ids(container, instances, map_name)
        builder = DesiredBuilder(self._get_policy().maps, self._clients, _desired_options(options))
        requested_ids = set(ids)
        keys, requested = [], []
        for config_id in self._ordered(action_name, ids):
            for client in builder.clients_of(config_id.map_name):
                keys.append((client, config_id))
                if config_id in requested_ids:
                    requested.append((client, config_id))
        extra = self._attached_volumes(keys) if action_name in REMOVING_ACTIONS else []
        desired = {key: builder.get(*key) for key in keys + extra}
        client_names = {client for client, _ in keys}
        options = replace(
            options,
            core_images={client: builder.core_image(client) for client, _ in keys},
            auth_configs={name: self._client_config(name).auth_configs for name in client_names},
            client_workers={
                name: self._client_config(name).get("max_workers") or SDK_POOL_SIZE for name in client_names
            },
        )
        configured = self._configured(keys)
        return _Request(action_name, keys, requested, desired, options, configured)

    def _map_options(
        self, kwargs: Mapping[str, Any], instances: Any, map_name: Optional[str]
    ) -> Dict[str, Any]:
        """Option values that come from the maps: ``adopt_unlabelled`` and ``recreate_volumes`` where the call
        and the defaults leave them unset, and the ids of the items named by ``force_update``."""
        given = {**self._option_defaults, **kwargs}
        maps = self._get_policy().maps.values()
        values: Dict[str, Any] = {}
        if given.get("adopt_unlabelled") is None:
            values["adopt_unlabelled"] = [m.name for m in maps if resolve_value(m.adopt_unlabelled)]
        if given.get("recreate_volumes") is None:
            by_map = {m.name: resolve_value(m.recreate_volumes) for m in maps if m.recreate_volumes}
            values["recreate_volumes"] = by_map or None
        if given.get("force_update"):
            values["force_update"] = self._config_ids(given["force_update"], instances, map_name)
        return values

    def _observe(self, request: _Request) -> Tuple[Dict[str, ObservedClient], List[UnreachableClient]]:
        """What every involved engine has, and the clients whose engine could not be reached.

        Every client is tried before anything is decided, so that one error names all unreachable ones.

        :raises UnreachableClientsError: when a client cannot be reached, unless ``skip_unreachable``.
        """
        by_client: Dict[str, List[Any]] = {}
        for (client, _), desired in request.desired.items():
            by_client.setdefault(client, []).append(desired)
        update = request.action_name == "update"
        check_exec = update and request.options.check_exec_commands != CmdCheck.NONE
        verify = update and request.options.verify_containers
        observed: Dict[str, ObservedClient] = {}
        unreachable: List[UnreachableClient] = []
        first_error: Optional[BaseException] = None
        for name, records in by_client.items():
            config = self._client_config(name)
            try:
                client = config.get_direct_client()
                helper_image = request.options.core_image_ref(name)
                observed[name] = observe(name, client, records, check_exec, verify, helper_image)
            except Exception as exc:
                from .reachability import client_address, unreachable_reason

                reason = unreachable_reason(exc)
                if reason is None:
                    raise
                unreachable.append(UnreachableClient(name, client_address(config), reason))
                first_error = first_error or exc
        if unreachable and not request.options.skip_unreachable:
            raise UnreachableClientsError(unreachable) from first_error
        return observed, unreachable

    def _reachable(self, request: _Request) -> Tuple[Dict[str, ObservedClient], List[ItemKey], Plan]:
        """What the engines have, the item keys to plan, and an empty plan recording what is left alone."""
        observed, unreachable = self._observe(request)
        skipped = {u.client_name for u in unreachable}
        result = Plan()
        result.skip(unreachable, untouched_items(request.keys, request.desired, skipped))
        return observed, [key for key in request.keys if key[0] not in skipped], result

    # --- observe, plan, run -----------------------------------------------------------------------------

    def get_states(
        self,
        action_name: str,
        config_name: Any,
        instances: Any = None,
        map_name: Optional[str] = None,
        **kwargs,
    ) -> List[ConfigState]:
        """The classic per-item states (base state, flags, extra data) of the items an action involves."""
        request = self._request(action_name, config_name, instances, map_name, kwargs)
        observed, keys, _ = self._reachable(request)
        return config_states(action_name, keys, request.desired, observed, request.options, request.requested)

    def plan(
        self,
        action_name: str,
        config_name: Any,
        instances: Any = None,
        map_name: Optional[str] = None,
        **kwargs,
    ) -> Plan:
        """The actions ``action_name`` would take, each with its cause; nothing is changed.

        ``str()`` of the result lists them one per line, e.g.
        ``create container main.uwsgi: container does not exist``.

        :raises dockermap.map.exceptions.UnreachableClientsError: as :meth:`run_actions`.
        """
        request = self._request(action_name, config_name, instances, map_name, kwargs)
        return self._plan(request)

    def _plan(self, request: _Request) -> Plan:
        return self._plan_observed(request, *self._reachable(request))

    def _plan_observed(
        self, request: _Request, observed: Dict[str, ObservedClient], keys: List[ItemKey], result: Plan
    ) -> Plan:
        """The plan of ``keys`` against what the engines have, added to ``result`` (what is left alone)."""
        actions = plan(
            request.action_name,
            keys,
            request.desired,
            observed,
            request.options,
            request.requested,
            request.configured,
        )
        missing = build_problems(actions, request.desired)
        if missing:
            raise MapConfigurationError(
                "Cannot build:\n" + "\n".join(f"  - {problem}" for problem in missing)
            )
        result.extend(actions)
        result.orphans = actions.orphans
        result.depends_on = actions.depends_on
        return result

    def get_actions(
        self,
        action_name: str,
        config_name: Any,
        instances: Any = None,
        map_name: Optional[str] = None,
        **kwargs,
    ) -> List[List[Action]]:
        """The planned actions grouped per item (client and id), in order."""
        groups: Dict[Tuple[str, MapConfigId], List[Action]] = {}
        for action in self.plan(action_name, config_name, instances, map_name, **kwargs):
            groups.setdefault((action.client, action.config_id), []).append(action)
        return list(groups.values())

    def run_actions(
        self,
        action_name: str,
        config_name: Any,
        instances: Any = None,
        map_name: Optional[str] = None,
        **kwargs,
    ) -> RunResults:
        """Observe, plan and run ``action_name``; returns the output of every action that ran.

        :raises dockermap.map.exceptions.ActionRunnerException: when an action fails; it names the client,
            item and action, chains the Docker error and carries the outputs of what already ran.
        :raises dockermap.map.exceptions.UnreachableClientsError: when an engine cannot be reached (nothing
            was changed), unless ``skip_unreachable``; then the result's ``unreachable`` and ``untouched``
            list what was left alone.
        """
        request = self._request(action_name, config_name, instances, map_name, kwargs)
        observed, keys, skipped = self._reachable(request)
        try:
            outputs = self._run(request, observed, keys, skipped)
        except ActionRunnerException as exc:
            exc.skip(skipped.unreachable, skipped.untouched)
            raise
        results = RunResults(outputs)
        results.skip(skipped.unreachable, skipped.untouched)
        if results.unreachable:
            logger(__name__).warning(
                "Left alone, the engines of their clients cannot be reached:\n%s",
                "\n".join(results.skipped_lines()),
            )
        return results

    def _runner(self, request: _Request, keys: List[ItemKey]) -> Runner:
        from .runner.base import Runner

        names = {client for client, _ in keys}
        clients = {name: self._client_config(name).get_direct_client() for name in names}
        return Runner(clients, request.desired, request.options)

    def _run(
        self,
        request: _Request,
        observed: Dict[str, ObservedClient],
        keys: List[ItemKey],
        skipped: Plan,
    ) -> List[ActionOutput]:
        """Plan and run. ``update`` pulls first and plans against the pulled images, once: a pull can
        change the image a container should run. The clients that change the engines are created only
        when there is something to do."""
        pulled: List[ActionOutput] = []
        runner: Optional[Runner] = None
        if request.action_name == "update":
            pulls = update_pulls(keys, request.desired, observed, request.options)
            if pulls:
                runner = self._runner(request, keys)
                pulled = runner.run(pulls)
                for action in pulls:  # what the plan compares the containers with
                    image = runner.clients[action.client].inspect_image(action.name)
                    observed[action.client].images[action.name] = image["Id"]
                request.options = replace(request.options, pull_before_update=False)
        actions = self._plan_observed(request, observed, keys, skipped)
        for orphan in actions.orphans:
            logger(__name__).warning("%s", orphan)
        if not actions:
            return pulled
        return (runner or self._runner(request, keys)).run(actions, pulled)

    # --- the classic convenience methods ----------------------------------------------------------------

    def create(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Create the container(s) and what they depend on (volumes, networks, images, containers)."""
        return self.run_actions("create", container, instances, map_name, **kwargs)

    def start(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Start the container(s) and their dependencies where they exist and are stopped."""
        return self.run_actions("start", container, instances, map_name, **kwargs)

    def restart(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Restart the container(s) (not their dependencies)."""
        return self.run_actions("restart", container, instances, map_name, **kwargs)

    def stop(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Stop the container(s) and, before them, the containers that depend on them."""
        return self.run_actions("stop", container, instances, map_name, **kwargs)

    def remove(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Remove the stopped container(s) and their dependents."""
        return self.run_actions("remove", container, instances, map_name, **kwargs)

    def startup(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Create and start the container(s) with everything they depend on, in dependency order."""
        return self.run_actions("startup", container, instances, map_name, **kwargs)

    def shutdown(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Stop and remove the container(s) and their dependents, in reverse dependency order."""
        return self.run_actions("shutdown", container, instances, map_name, **kwargs)

    def update(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Make the engine match the configuration, recreating only what changed (see the update rules)."""
        return self.run_actions("update", container, instances, map_name, **kwargs)

    def call(
        self,
        action_name: str,
        container: Any,
        instances: Any = None,
        map_name: Optional[str] = None,
        **kwargs,
    ):
        """Run any action by name (``create``, ``update``, ``pull_images``, ...)."""
        return self.run_actions(action_name, container, instances, map_name, **kwargs)

    def run_script(self, container: Any, instance: Any = None, map_name: Optional[str] = None, **kwargs):
        """Run a script in a new container of the configuration (see ``script_path``, ``command_format``)."""
        return self.run_actions("script", container, instance, map_name, **kwargs)

    def signal(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Send a signal (keyword ``signal``, default SIGKILL) to the running container(s)."""
        return self.run_actions("signal", container, instances, map_name, **kwargs)

    def pull_images(self, container: Any, instances: Any = None, map_name: Optional[str] = None, **kwargs):
        """Pull the images of the container(s) and of their dependencies; ``instances`` are checked against
        the configuration (every instance uses the same image)."""
        return self.run_actions("pull_images", container, instances, map_name, **kwargs)

    def build_images(self, container: Any = None, map_name: Optional[str] = None, **kwargs):
        """Build the images of the container configuration(s) that have a ``build`` setting (all
        configurations of the map(s) when ``container`` is ``None``), whether present or not.

        Further keywords go to every build (e.g. ``nocache=True``). Images of configurations without
        ``build`` are left alone; a configuration's dependencies are not built.
        """
        if container is None:
            container = ALL if map_name or self._default_map else [(ALL, ALL)]
        return self.run_actions("build_images", container, None, map_name, **kwargs)

    def list_persistent_containers(self, map_name: Optional[str] = None) -> List[str]:
        """Engine names of the attached volumes and persistent containers of one map (or all maps)."""
        maps = self._get_policy().maps
        names: List[str] = []
        for ext_map in [maps[map_name]] if map_name else maps.values():
            attached, persistent = ext_map.get_persistent_items()
            names.extend(
                engine_volume_name(ext_map, resolve_value(volume.name), owner) for owner, volume in attached
            )
            names.extend(engine_container_name(ext_map, c, i) for c, i in persistent)
        return names
