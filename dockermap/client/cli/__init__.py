"""Docker command lines equivalent to Docker SDK calls, and parsers of the ``docker`` command-line output.

:class:`~.output.DockerCommandLineOutput` turns the name of a ``docker.APIClient`` method and its arguments
into the ``docker`` command that does the same, e.g. ``get_cmd('stop', 'web', timeout=3)`` gives
``docker stop --time=3 web``. Every value is one word of its own, passed as ``--flag=value`` and quoted with
:func:`shlex.quote` in :meth:`~.output.DockerCommandLineOutput.get_cmd`, so nothing taken from a
configuration reaches a shell unquoted; :meth:`~.output.DockerCommandLineOutput.get_args` gives the same
command as an argument list, to run without any shell.

The ``parse_*`` functions read the output of those commands back into the shapes the Docker SDK returns.

Every public name of the modules below can be imported from this package:

* :mod:`~dockermap.client.cli.output`: whole command lines (prefix, binary, global arguments, command);
* :mod:`~dockermap.client.cli.commands`: the sub-command and arguments of each SDK method;
* :mod:`~dockermap.client.cli.create`: the arguments of ``docker create``;
* :mod:`~dockermap.client.cli.host_config`: host-config keywords as flags;
* :mod:`~dockermap.client.cli.specs`: settings (binds, ports, mounts, ...) as flag values;
* :mod:`~dockermap.client.cli.values`: values as ``--flag=value`` arguments, the shared error type;
* :mod:`~dockermap.client.cli.parsers`: parsers of command output;
* :mod:`~dockermap.client.cli.container_list`: container list entries from ``inspect`` output.
"""

from .commands import COMMANDS, NO_COMMAND, bind_arguments, positional_args, wait_prefix
from .container_list import container_list_entry, published_ports
from .create import CREATE_FLAGS, CREATE_IGNORED, create_args, healthcheck_args
from .host_config import (
    HOST_CONFIG_FLAGS,
    HOST_CONFIG_JOINT,
    HOST_CONFIG_KEYWORDS,
    HOST_CONFIG_RENDERERS,
    HOST_CONFIG_UNSUPPORTED,
    host_config_args,
)
from .output import DockerCommandLineOutput
from .parsers import (
    CONTAINER_FORMAT,
    CONTAINER_FORMAT_ARG,
    JSON_FORMAT_ARG,
    NONE_TAG,
    parse_containers_output,
    parse_images_output,
    parse_info_output,
    parse_inspect_output,
    parse_iso_time,
    parse_networks_output,
    parse_ports,
    parse_ps_time,
    parse_top_output,
    parse_version_output,
    parse_volumes_output,
)
from .specs import (
    bind_specs,
    device_spec,
    expose_specs,
    extra_host_specs,
    link_specs,
    mount_spec,
    publish_specs,
    restart_spec,
    tmpfs_specs,
    ulimit_spec,
)
from .values import (
    KWARG_MAP,
    Args,
    UnsupportedOption,
    duration,
    filter_args,
    flag_args,
    flag_name,
    generic_args,
    text,
    words,
)

__all__ = [
    "COMMANDS",
    "CONTAINER_FORMAT",
    "CONTAINER_FORMAT_ARG",
    "CREATE_FLAGS",
    "CREATE_IGNORED",
    "HOST_CONFIG_FLAGS",
    "HOST_CONFIG_JOINT",
    "HOST_CONFIG_KEYWORDS",
    "HOST_CONFIG_RENDERERS",
    "HOST_CONFIG_UNSUPPORTED",
    "JSON_FORMAT_ARG",
    "KWARG_MAP",
    "NONE_TAG",
    "NO_COMMAND",
    "Args",
    "DockerCommandLineOutput",
    "UnsupportedOption",
    "bind_arguments",
    "bind_specs",
    "container_list_entry",
    "create_args",
    "device_spec",
    "duration",
    "expose_specs",
    "extra_host_specs",
    "filter_args",
    "flag_args",
    "flag_name",
    "generic_args",
    "healthcheck_args",
    "host_config_args",
    "link_specs",
    "mount_spec",
    "parse_containers_output",
    "parse_images_output",
    "parse_info_output",
    "parse_inspect_output",
    "parse_iso_time",
    "parse_networks_output",
    "parse_ports",
    "parse_ps_time",
    "parse_top_output",
    "parse_version_output",
    "parse_volumes_output",
    "positional_args",
    "publish_specs",
    "published_ports",
    "restart_spec",
    "text",
    "tmpfs_specs",
    "ulimit_spec",
    "wait_prefix",
    "words",
]
