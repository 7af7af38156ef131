"""The error contract both clients share: which engine errors a removal tolerates, and pull/push failures."""

import logging

import docker
import pytest
import requests

from dockermap.client.failures import tolerated, transfer_action, transfer_failure
from dockermap.exceptions import DockerStatusError


def _api_error(status: int, error_class=docker.errors.APIError):
    response = requests.Response()
    response.status_code = status
    return error_class("failed", response=response, explanation=f"engine says {status}")


class Recorder:
    def __init__(self):
        self.lines = []

    def __call__(self, message, level, *args):
        self.lines.append((level, message % args))


def _run(error, raise_on_error, raise_not_found):
    log = Recorder()
    with tolerated("remove container 'web'", log, raise_on_error, raise_not_found):
        raise error
    return log.lines


def test_a_missing_object_is_ignored_without_a_log_line():
    assert _run(_api_error(404, docker.errors.NotFound), True, False) == []


def test_a_missing_object_raises_when_asked():
    with pytest.raises(docker.errors.NotFound):
        _run(_api_error(404, docker.errors.NotFound), False, True)


def test_a_missing_object_counts_as_any_error_without_a_not_found_rule():
    with pytest.raises(docker.errors.NotFound):
        _run(_api_error(404, docker.errors.NotFound), True, None)
    assert _run(_api_error(404, docker.errors.NotFound), False, None) == [
        (logging.ERROR, "Failed to remove container 'web': engine says 404")
    ]


def test_other_errors_are_logged_and_raised_unless_told_otherwise():
    with pytest.raises(docker.errors.APIError):
        _run(_api_error(409), True, False)
    assert _run(_api_error(409), False, False) == [
        (logging.ERROR, "Failed to remove container 'web': engine says 409")
    ]


def test_errors_that_are_not_the_engines_pass_through():
    with pytest.raises(KeyError):
        _run(KeyError("x"), False, False)


@pytest.mark.parametrize(
    ("verb", "tag", "expected"),
    [("Pulling", "v1", "Pulling image 'reg/app:v1'"), ("Pushing", None, "Pushing image 'reg/app'")],
)
def test_transfer_action_names_the_image(verb, tag, expected):
    assert transfer_action(verb, "reg/app", tag) == expected


def test_transfer_failure_keeps_the_reason_and_the_status_of_a_refusal():
    refused = transfer_failure("Pulling image 'a:1'", "manifest unknown", 404)
    assert isinstance(refused, DockerStatusError)
    assert str(refused) == "Pulling image 'a:1' failed: manifest unknown"
    assert refused.engine_message == "manifest unknown"
    assert refused.detail == {"status_code": 404}
    assert transfer_failure("Pushing image 'a:1'", "no basic auth credentials", None).detail is None
