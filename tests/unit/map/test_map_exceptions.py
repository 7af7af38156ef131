"""Map-level exceptions: carried data and messages."""

from __future__ import annotations

import pickle
import sys

import pytest

from dockermap.exceptions import DockerStatusError, PartialResultsMixin, SourceExceptionMixin
from dockermap.map.exceptions import (
    ActionException,
    ActionExceptionMixin,
    ActionRunnerException,
    ActionTypeException,
    ClientExceptionMixin,
    ConfigProblem,
    MapIntegrityError,
    ScriptActionException,
    ScriptRunException,
    describe_item,
    error_text,
)
from dockermap.map.input import ItemType, MapConfigId

CONFIG_ID = MapConfigId(ItemType.CONTAINER, "main", "web", "one")


def caught_error():
    try:
        raise ValueError("boom")
    except ValueError:
        return sys.exc_info()


def test_action_type_exception_names_action_then_type():
    error = ActionTypeException(CONFIG_ID, "explode")
    assert isinstance(error, ActionExceptionMixin)
    assert error.config_id is CONFIG_ID
    assert error.config_type is ItemType.CONTAINER
    assert error.action_type == "explode"
    assert str(error) == "There is no action explode for a container."


def test_action_exception():
    exc_info = caught_error()
    error = ActionException(exc_info, "default", CONFIG_ID, "start")
    assert isinstance(error, (SourceExceptionMixin, ClientExceptionMixin, ActionExceptionMixin))
    assert error.source_exception == exc_info
    assert error.client_name == "default"
    assert error.config_id is CONFIG_ID
    assert error.action_type == "start"
    assert str(error) == "start container main.web.one on client default failed: boom"
    with pytest.raises(ValueError, match="boom"):
        error.reraise()


def test_action_runner_exception_from_action_exception():
    action_error = ActionException(caught_error(), "default", CONFIG_ID, "create")
    error = ActionRunnerException.from_action_exception(action_error, ["done"])
    assert isinstance(error, PartialResultsMixin)
    assert error.results == ["done"]
    assert error.source_exception is action_error.source_exception
    assert (error.client_name, error.config_id, error.action_type) == ("default", CONFIG_ID, "create")
    assert str(error) == "create container main.web.one on client default failed: boom"


def test_action_runner_exception_accepts_exception_instance():
    error = ActionRunnerException(KeyError("k"), "c", CONFIG_ID, "stop", [])
    assert error.results == []
    assert str(error) == "stop container main.web.one on client c failed: 'k'"
    named = ActionRunnerException(KeyError("k"), "c", CONFIG_ID, "stop", [], "Nothing was done.", "m.w.1")
    assert str(named) == "stop container m.w.1 on client c failed: 'k'\nNothing was done."


@pytest.mark.parametrize(
    "config_id, text",
    [
        (MapConfigId(ItemType.IMAGE, "main", "nosuch/img", "2"), "image nosuch/img:2"),
        (MapConfigId(ItemType.IMAGE, "main", "img"), "image img"),
        (MapConfigId(ItemType.VOLUME, "main", "web", "data"), "volume main.web.data"),
        (MapConfigId(ItemType.NETWORK, "main", "front"), "network main.front"),
        (CONFIG_ID, "container main.web.one"),
    ],
)
def test_items_are_described_as_plans_name_them(config_id, text):
    assert describe_item(config_id) == text
    assert describe_item(config_id, "engine-name") == f"{text.split()[0]} engine-name"


def test_error_text_is_the_engine_message_alone():
    assert error_text(DockerStatusError("Pulling image 'a' failed: denied", None, "denied")) == "denied"
    assert error_text(ValueError("bad value")) == "bad value"
    assert error_text(KeyError()) == "KeyError"


def test_map_integrity_error_from_message():
    error = MapIntegrityError("Duplicated attached volumes found with name(s): a.")
    assert str(error) == "Duplicated attached volumes found with name(s): a."
    assert error.message == str(error)
    assert error.problems == [ConfigProblem("", "Duplicated attached volumes found with name(s): a.")]


def test_map_integrity_error_lists_all_problems():
    problems = [
        ConfigProblem("main.web.binds[1]", "No host share found for mapped volume(s): data."),
        ("main.app.links", "No container instance found for link(s): db."),
    ]
    error = MapIntegrityError(problems)
    assert error.problems == [
        ConfigProblem("main.web.binds[1]", "No host share found for mapped volume(s): data."),
        ConfigProblem("main.app.links", "No container instance found for link(s): db."),
    ]
    assert error.problems[1].location == "main.app.links"
    assert str(error) == (
        "2 problem(s) in container map configuration:\n"
        "  - main.web.binds[1]: No host share found for mapped volume(s): data.\n"
        "  - main.app.links: No container instance found for link(s): db."
    )
    assert error.message == str(error)


def test_map_integrity_error_pickles():
    error = pickle.loads(pickle.dumps(MapIntegrityError([ConfigProblem("m.c", "bad")])))
    assert error.problems == [ConfigProblem("m.c", "bad")]
    assert str(error) == "1 problem(s) in container map configuration:\n  - m.c: bad"


def test_config_problem_is_immutable():
    problem = ConfigProblem("m.c", "bad")
    with pytest.raises(AttributeError):
        problem.location = "x"
    assert str(problem) == "m.c: bad"
    assert str(ConfigProblem("", "bad")) == "bad"


@pytest.mark.parametrize("error_class", [ScriptRunException, ScriptActionException])
def test_script_exceptions_are_plain(error_class):
    assert str(error_class("container exists")) == "container exists"
