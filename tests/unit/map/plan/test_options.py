"""The options of a call: parsed once from the option defaults and the call's keywords."""

import pytest

from dockermap.map.input import CmdCheck, ItemType, MapConfigId
from dockermap.map.plan import PlanOptions


def test_each_key_goes_to_one_place():
    options = PlanOptions.parse(
        {"remove_attached": True, "core_image": "x", "max_workers": 2, "not_an_option": 1},
        {"core_image": "y", "check_exec_commands": False, "signal": "SIGHUP", "prepare_local": False},
    )
    # the call's keywords win over the defaults; fields of the planner, the runner and the desired records
    assert (options.remove_attached, options.core_image, options.max_workers) == (True, "y", 2)
    assert options.check_exec_commands is CmdCheck.NONE and options.prepare_local is False
    # other keywords of the call go to the engine calls; other keys of the defaults are ignored
    assert options.call_kwargs == {"signal": "SIGHUP"}
    assert PlanOptions.parse().call_kwargs == {}


def test_values_are_converted_and_checked():
    web = MapConfigId(ItemType.CONTAINER, "m", "web")
    assert PlanOptions(force_update=[web]).force_update == frozenset({web})
    assert PlanOptions(check_exec_commands="partial").check_exec_commands is CmdCheck.PARTIAL
    assert PlanOptions(check_exec_commands=True).check_exec_commands is CmdCheck.FULL
    with pytest.raises(ValueError, match="check_exec_commands: 'sometimes' is not one of"):
        PlanOptions(check_exec_commands="sometimes")
    for workers in (0, True, "2"):
        with pytest.raises(ValueError, match="max_workers: expected a whole number of at least 1"):
            PlanOptions.parse(call={"max_workers": workers})


def test_logins_are_not_shown():
    options = PlanOptions(auth_configs={"c": {"r": {"username": "u", "password": "s3cr3t"}}})
    assert "s3cr3t" not in repr(options)
