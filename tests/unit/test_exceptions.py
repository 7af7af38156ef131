import importlib
import inspect
import pkgutil
import sys

import pytest

import dockermap
from dockermap.exceptions import (
    BuildInputError,
    ContextPathError,
    DockerfileValueError,
    DockerignoreError,
    DockerMapError,
    DockerStatusError,
    PartialResultsError,
    PartialResultsMixin,
    SourceExceptionMixin,
)


def _raise_value_error():
    raise ValueError("bad value")


def _caught():
    try:
        _raise_value_error()
    except ValueError:
        return sys.exc_info()


def test_partial_results_error_from_exc_info():
    exc_info = _caught()
    error = PartialResultsError(exc_info, ["a", "b"])
    assert error.results == ["a", "b"]
    assert error.source_exception == exc_info
    assert error.source_message == "ValueError: bad value"
    assert str(error) == "ValueError: bad value"


def test_partial_results_error_from_exception_instance():
    original = _caught()[1]
    error = PartialResultsError(original, [])
    assert error.source_exception == (ValueError, original, original.__traceback__)
    assert str(error) == "ValueError: bad value"


def test_reraise_keeps_original_traceback():
    exc_info = _caught()
    error = PartialResultsError(exc_info, None)
    with pytest.raises(ValueError, match="bad value") as raised:
        error.reraise()
    assert raised.value is exc_info[1]
    functions = [entry.name for entry in raised.traceback]
    assert "_raise_value_error" in functions


def test_mixins_combine_with_other_bases():
    class ActionError(SourceExceptionMixin, PartialResultsMixin, RuntimeError):
        pass

    error = ActionError(_caught(), [1], "extra argument")
    assert error.results == [1]
    assert error.args == ("extra argument",)
    assert isinstance(error, RuntimeError)


def test_docker_status_error_dict_detail_loses_message_key():
    error = DockerStatusError("failed", {"message": "failed", "code": 3})
    assert error.message == "failed"
    assert error.detail == {"code": 3}
    assert str(error) == "failed"


@pytest.mark.parametrize("detail", [None, "", {}, {"message": "only the message"}])
def test_docker_status_error_empty_detail_is_none(detail):
    # Bug #19: a falsy non-dict detail used to leave ``.detail`` unset (AttributeError).
    assert DockerStatusError("failed", detail).detail is None


def test_docker_status_error_keeps_other_detail():
    assert DockerStatusError("failed", "some text").detail == "some text"
    assert DockerStatusError("failed").detail is None


def test_build_input_errors_are_value_errors_naming_where():
    value_error = DockerfileValueError("USER", "a\nb", "cannot be written.")
    path_error = ContextPathError("../x", "leads outside the build context")
    ignore_error = DockerignoreError("invalid pattern '['", "/src/.dockerignore", 4)
    for error in (value_error, path_error, ignore_error):
        assert isinstance(error, BuildInputError) and isinstance(error, ValueError)
    assert (str(value_error), value_error.instruction, value_error.value) == (
        "USER: 'a\\nb' cannot be written.",
        "USER",
        "a\nb",
    )
    assert (str(path_error), path_error.name) == (
        "Build context entry '../x' leads outside the build context",
        "../x",
    )
    assert str(ignore_error) == "/src/.dockerignore, line 4: invalid pattern '['"
    assert str(DockerignoreError("bad", line=2)) == "line 2: bad"


def _package_modules():
    """Every module of the package (``__main__`` runs the command, so it is left out)."""
    names = [info.name for info in pkgutil.walk_packages(dockermap.__path__, "dockermap.")]
    return [importlib.import_module(name) for name in names if not name.endswith(".__main__")]


def _defined_exceptions():
    return [
        (module.__name__, value)
        for module in _package_modules()
        for value in vars(module).values()
        if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == module.__name__
    ]


def test_every_exception_class_is_a_dockermap_error_in_an_exceptions_module():
    found = _defined_exceptions()
    homes = {module for module, _ in found}
    assert {"dockermap.map.exceptions", "dockermap.compose.exceptions", "dockermap.cli.exceptions"} <= homes
    strays = [f"{module}.{cls.__name__}" for module, cls in found if not module.endswith(".exceptions")]
    outside = [f"{module}.{cls.__name__}" for module, cls in found if not issubclass(cls, DockerMapError)]
    assert strays == []
    assert outside == []


#: Errors that moved to an exceptions module, by the place they were imported from before.
MOVED = {
    "dockermap.dep": ["CircularDependency"],
    "dockermap.build.buffer": ["FinalizedError"],
    "dockermap.build": ["FinalizedError"],
    "dockermap.map.config.utils": ["ConfigurationNotFound"],
    "dockermap.map.yaml": ["YAMLLoadError"],
    "dockermap.client.cmdline": ["CommandError"],
    "dockermap.client.cli": ["UnsupportedOption"],
    "dockermap.client.cli.values": ["UnsupportedOption"],
    "dockermap.fabric": ["RemoteCommandError"],
    "dockermap.compose.variables": ["VariableError"],
    "dockermap.cli.arguments": ["ArgumentError"],
    "dockermap.cli.inputs": ["InputError"],
}


@pytest.mark.parametrize(("old_module", "name"), [(m, n) for m, names in MOVED.items() for n in names])
def test_moved_errors_stay_importable_from_their_old_place(old_module, name):
    error = getattr(importlib.import_module(old_module), name)
    assert error.__module__.endswith(".exceptions")
    assert getattr(importlib.import_module(error.__module__), name) is error


@pytest.mark.parametrize(
    ("name", "builtin"),
    [
        ("dockermap.map.exceptions.ConfigurationNotFound", KeyError),
        ("dockermap.map.exceptions.ConfigurationNotFound", ValueError),
        ("dockermap.map.exceptions.YAMLLoadError", ValueError),
        ("dockermap.map.exceptions.VolumeChangeRefused", ValueError),
        ("dockermap.compose.exceptions.ComposeFileError", ValueError),
        ("dockermap.compose.exceptions.VariableError", ValueError),
        ("dockermap.exceptions.UnsupportedOption", ValueError),
        ("dockermap.exceptions.BuildInputError", ValueError),
    ],
)
def test_errors_keep_their_builtin_bases(name, builtin):
    module, _, attribute = name.rpartition(".")
    assert issubclass(getattr(importlib.import_module(module), attribute), builtin)


def _plan_options(**kwargs):
    from dockermap.map.plan.options import PlanOptions

    return PlanOptions(**kwargs)


def _call(dotted_name, *args):
    module, _, attribute = dotted_name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)(*args)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: _plan_options(recreate_volumes="keep"), "InvalidArgumentError", "recreate_volumes: 'keep'"),
        (lambda: _plan_options(adopt_unlabelled="x"), "InvalidArgumentError", "adopt_unlabelled: 'x'"),
        (lambda: _plan_options(max_workers=0), "InvalidArgumentError", "max_workers"),
        (lambda: _call("dockermap.client.parse_api_version", "one"), "InvalidArgumentError", "'one'"),
        (lambda: _call("dockermap.shortcuts.str_arg", "a\0b"), "InvalidArgumentError", "NUL"),
        (lambda: _call("dockermap.map.readiness.get_readiness", "soon"), "MapConfigurationError", "'soon'"),
        (lambda: _call("dockermap.build.dockerfile.format_command", 3), "BuildInputError", "found int"),
    ],
)
def test_bad_arguments_raise_named_value_errors(call, error, match):
    with pytest.raises(ValueError, match=match) as raised:
        call()
    assert type(raised.value).__name__ == error
    assert isinstance(raised.value, DockerMapError)


def test_volume_in_use_error_names_the_volume_and_its_users():
    from dockermap.map.exceptions import VolumeInUseError

    error = VolumeInUseError("__default__", "main.data", ["main.web", "other.app"])
    assert isinstance(error, ValueError)
    assert error.containers == ["main.web", "other.app"]
    assert str(error) == (
        "volume main.data on client '__default__' must be recreated, but containers not in this plan use it: "
        "main.web, other.app; include them in the update"
    )
