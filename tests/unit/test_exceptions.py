import sys

import pytest

from dockermap.exceptions import (
    BuildInputError,
    ContextPathError,
    DockerfileValueError,
    DockerignoreError,
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
