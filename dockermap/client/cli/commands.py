"""The ``docker`` sub-command and arguments of each Docker SDK (``APIClient``) method."""

from __future__ import annotations

import functools
import inspect
from datetime import datetime
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Sequence, Tuple

from docker import APIClient

from .create import create_args
from .host_config import host_config_args
from .parsers import CONTAINER_FORMAT, JSON_FORMAT_ARG
from .specs import link_specs
from .values import Args, UnsupportedOption, filter_args, flag_args, generic_args, lookup, text, words


@functools.lru_cache(maxsize=None)  # noqa: UP033 -- Python 3.9 has no cache
def parameter_names(method: str) -> Tuple[str, ...]:
    func = getattr(APIClient, method, None)
    if func is None:
        return ()
    params = list(inspect.signature(func).parameters.values())[1:]
    return tuple(p.name for p in params if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD)


def bind_arguments(method: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Dict[str, Any]:
    """The arguments of an SDK call by parameter name (positional ones named as ``APIClient`` does)."""
    names = parameter_names(method)
    if len(args) > len(names):
        raise TypeError(f"{method}() takes at most {len(names)} positional arguments, {len(args)} given")
    bound = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in bound:
            raise TypeError(f"{method}() got multiple values for argument {key!r}")
        bound[key] = value
    return bound


def positional_args(values: Iterable[Any]) -> Args:
    """Positional arguments; a list or tuple gives one per entry (e.g. several containers to inspect)."""
    args: Args = []
    for value in values:
        if isinstance(value, (list, tuple)):
            args.extend(text(item) for item in value)
        else:
            args.append(text(value))
    return args


class _Simple:
    """A command: sub-command words, the arguments that are positional, flag renames, and keywords the
    command has no flag for (refused when given)."""

    def __init__(
        self,
        command: str,
        positional: Sequence[str] = ("container",),
        renames: Optional[Mapping[str, str]] = None,
        refused: Iterable[str] = (),
    ) -> None:
        self.words = command.split()
        self.positional = tuple(positional)
        self.renames = dict(renames or {})
        self.refused = tuple(refused)

    def __call__(self, kwargs: Dict[str, Any]) -> Args:
        refuse_given(kwargs, " ".join(self.words), self.refused)
        values = [kwargs.pop(name) for name in self.positional if kwargs.get(name) is not None]
        return self.words + generic_args(kwargs, self.renames) + positional_args(values)


def refuse_given(kwargs: Dict[str, Any], command: str, names: Iterable[str]) -> None:
    """Raise :class:`UnsupportedOption` for each of ``names`` given a value; drop the ones left ``None``."""
    for name in names:
        if kwargs.pop(name, None) is not None:
            raise UnsupportedOption(f"docker {command} has no option for the argument {name!r}")


def _volumes(kwargs: Dict[str, Any]) -> Args:
    filters = filter_args(kwargs.pop("filters", None))
    return ["volume", "ls"] + generic_args(kwargs) + filters


def _containers(kwargs: Dict[str, Any]) -> Args:
    kwargs.pop("trunc", None)
    limit = kwargs.pop("limit", -1)
    filters = filter_args(kwargs.pop("filters", None))
    output_format = kwargs.pop("format", None)
    if output_format is None and not kwargs.get("quiet"):
        output_format = CONTAINER_FORMAT
    args = (
        ["ps", "--no-trunc"]
        + generic_args(kwargs)
        + flag_args("last", limit if limit and limit > 0 else None)
    )
    return args + filters + flag_args("format", output_format)


def _images(kwargs: Dict[str, Any]) -> Args:
    name = kwargs.pop("name", None)
    filters = filter_args(kwargs.pop("filters", None))
    return ["images", "--no-trunc"] + generic_args(kwargs) + filters + ([str(name)] if name else [])


def _networks(kwargs: Dict[str, Any]) -> Args:
    filters = dict(kwargs.pop("filters", None) or {})
    for key, name in (("names", "name"), ("ids", "id")):
        if kwargs.get(key):
            filters[name] = list(kwargs.pop(key))
        kwargs.pop(key, None)
    kwargs.pop("greedy", None)
    return ["network", "ls", "--no-trunc"] + generic_args(kwargs) + filter_args(filters)


def _top(kwargs: Dict[str, Any]) -> Args:
    ps_args = kwargs.pop("ps_args", None)
    return ["top", str(kwargs.pop("container"))] + (ps_args.split() if ps_args else [])


def _logs(kwargs: Dict[str, Any]) -> Args:
    for key in ("stdout", "stderr", "stream"):
        kwargs.pop(key, None)  # the client picks the output streams
    if kwargs.get("tail") == "all":
        del kwargs["tail"]
    for key in ("since", "until"):
        if isinstance(kwargs.get(key), datetime):
            kwargs[key] = int(kwargs[key].timestamp())
    return _Simple("logs")(kwargs)


def _wait(kwargs: Dict[str, Any]) -> Args:
    condition = kwargs.pop("condition", None)
    if condition not in (None, "not-running"):
        raise UnsupportedOption(f"docker wait has no condition {condition!r}")
    kwargs.pop("timeout", None)  # a prefix, see wait_prefix
    return _Simple("wait")(kwargs)


def _exec(kwargs: Dict[str, Any]) -> Args:
    """``docker exec``, detached unless ``detach=False``: as in the classic generator, the command of an
    ``exec_create`` runs when it is created."""
    detach = kwargs.pop("detach", True)
    container, command = kwargs.pop("container"), words(kwargs.pop("cmd")) or []
    for key in ("stdout", "stderr"):
        kwargs.pop(key, None)
    if not kwargs.get("user"):
        kwargs.pop("user", None)
    renames = {"stdin": "interactive"}
    return ["exec"] + flag_args("detach", detach) + generic_args(kwargs, renames) + [str(container)] + command


def _update(kwargs: Dict[str, Any]) -> Args:
    container = kwargs.pop("container")
    return ["update"] + host_config_args(kwargs) + [str(container)]


def _reference(repository: Any, tag: Any) -> str:
    if not tag:
        return str(repository)
    return f"{repository}@{tag}" if ":" in str(tag) else f"{repository}:{tag}"


def _transfer(command: str) -> Callable[[Dict[str, Any]], Args]:
    """``docker pull`` or ``docker push`` of ``repository[:tag]`` (credentials come from ``login``)."""

    def build(kwargs: Dict[str, Any]) -> Args:
        if kwargs.pop("auth_config", None):
            raise UnsupportedOption(
                f"docker {command} takes registry credentials from login, not auth_config"
            )
        for key in ("stream", "decode"):
            kwargs.pop(key, None)
        reference = _reference(kwargs.pop("repository"), kwargs.pop("tag", None))
        return [command] + generic_args(kwargs) + [reference]

    return build


def _tag(kwargs: Dict[str, Any]) -> Args:
    kwargs.pop("force", None)  # moving a tag needs no force since API 1.24
    image, target = kwargs.pop("image"), _reference(kwargs.pop("repository"), kwargs.pop("tag", None))
    return ["tag"] + generic_args(kwargs) + [str(image), target]


def _login(kwargs: Dict[str, Any]) -> Args:
    """``docker login --username=... --password-stdin [registry]``: the password is read from the input."""
    # ``docker login`` always authenticates again, so ``reauth`` holds whatever its value.
    for key in ("password", "reauth"):
        kwargs.pop(key, None)
    refuse_given(kwargs, "login", ("email", "dockercfg_path"))
    registry = kwargs.pop("registry", None)
    args = ["login"] + generic_args(kwargs) + ["--password-stdin"]
    return args + ([str(registry)] if registry else [])


def _create_network(kwargs: Dict[str, Any]) -> Args:
    ipam = kwargs.pop("ipam", None) or {}
    kwargs.pop("check_duplicate", None)
    name = kwargs.pop("name")
    args = ["network", "create"] + generic_args(kwargs)
    args += flag_args("ipam-driver", lookup(ipam, "driver"))
    for pool in lookup(ipam, "config") or ():
        args += flag_args("subnet", lookup(pool, "subnet"))
        args += flag_args("ip-range", lookup(pool, "ip_range") or pool.get("IPRange"))
        args += flag_args("gateway", lookup(pool, "gateway"))
        args += flag_args(
            "aux-address", lookup(pool, "aux_addresses") or pool.get("AuxiliaryAddresses") or {}
        )
    args += flag_args("ipam-opt", lookup(ipam, "options") or {})
    return args + [str(name)]


def _connect(kwargs: Dict[str, Any]) -> Args:
    kwargs["links"] = link_specs(kwargs.get("links")) or None
    return _Simple("network connect", ("net_id", "container"))(kwargs)


def _formatted(command: str) -> Callable[[Dict[str, Any]], Args]:
    return lambda kwargs: command.split() + [JSON_FORMAT_ARG]


#: How each SDK method becomes a command; other names are used verbatim as the docker sub-command.
COMMANDS: Dict[str, Callable[[Dict[str, Any]], Args]] = {
    # As through the API, a missing image is an error, not pulled (docker 20.10 and newer).
    "create_container": lambda kwargs: ["create", "--pull=never"] + create_args(kwargs),
    "start": _Simple("start"),
    "stop": _Simple("stop"),
    "restart": _Simple("restart"),
    "kill": _Simple("kill"),
    "pause": _Simple("pause"),
    "unpause": _Simple("unpause"),
    "rename": _Simple("rename", ("container", "name")),
    "wait": _wait,
    "remove_container": _Simple("rm", renames={"v": "volumes"}),
    "update_container": _update,
    "inspect_container": _Simple("inspect --type=container"),
    "containers": _containers,
    "top": _top,
    "logs": _logs,
    "exec_create": _exec,
    "images": _images,
    "inspect_image": _Simple("image inspect", ("image",)),
    "remove_image": _Simple("rmi", ("image",), {"noprune": "no-prune"}),
    "tag": _tag,
    "pull": _transfer("pull"),
    "push": _transfer("push"),
    "login": _login,
    "volumes": _volumes,
    "create_volume": _Simple("volume create", ("name",)),
    "inspect_volume": _Simple("volume inspect", ("name",)),
    "remove_volume": _Simple("volume rm", ("name",)),
    "networks": _networks,
    "create_network": _create_network,
    "inspect_network": _Simple("network inspect", ("net_id",), refused=("scope",)),
    "remove_network": _Simple("network rm", ("net_id",)),
    "connect_container_to_network": _connect,
    "disconnect_container_from_network": _Simple("network disconnect", ("net_id", "container")),
    "version": _formatted("version"),
    "info": _formatted("info"),
}
#: SDK methods without a command of their own (``docker exec`` both creates and starts).
NO_COMMAND = frozenset({"exec_start"})


def wait_prefix(method: str, kwargs: Mapping[str, Any]) -> Args:
    """``timeout -s INT <seconds>`` before a ``wait`` with a timeout: ``timeout`` exits with 124 then."""
    if method == "wait" and kwargs.get("timeout"):
        return ["timeout", "-s", "INT", text(kwargs["timeout"])]
    return []
