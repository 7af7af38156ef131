"""The runner's verbs: one for every action kind a plan produces, none for a kind no plan produces."""

from dockermap.map.items import ActionKind
from dockermap.map.runner.base import VERBS


def test_every_kind_has_a_verb_and_every_verb_a_kind():
    kinds = {kind for verbs in VERBS.values() for kind in verbs}
    assert all(isinstance(kind, ActionKind) for kind in kinds)
    assert kinds == set(ActionKind)
