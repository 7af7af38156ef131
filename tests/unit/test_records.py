"""Records behave as the standard dataclasses they replace, for every feature dockermap uses."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import ClassVar, Dict, List, Optional

import pytest

from dockermap.exceptions import DockerMapError, FrozenRecordError
from dockermap.records import asdict, field, fields, is_record, record, replace


@record
class Mutable:
    name: str
    count: int = 0
    tags: List[str] = field(default_factory=list)
    note: Optional[str] = field(default=None, repr=False, compare=False)
    KIND: ClassVar[str] = "mutable"


@dataclasses.dataclass
class MutableDataclass:
    name: str
    count: int = 0
    tags: List[str] = dataclasses.field(default_factory=list)
    note: Optional[str] = dataclasses.field(default=None, repr=False, compare=False)
    KIND: ClassVar[str] = "mutable"


@record(frozen=True)
class Frozen:
    name: str
    labels: Dict[str, str] = field(default_factory=dict, hash=False)
    level: int = 1


@record(frozen=True)
class Checked:
    values: List[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if any(value < 0 for value in self.values):
            raise ValueError("negative")
        object.__setattr__(self, "values", tuple(self.values))


@record
class Child(Mutable):
    extra: str = "x"


ARGUMENTS = [
    ((), {"name": "a"}),
    (("a",), {}),
    (("a", 2), {"tags": ["t"]}),
    (("a", 2, ["t"], "n"), {}),
    ((), {"name": "a", "note": "n", "count": 3}),
]


@pytest.mark.parametrize(("args", "kwargs"), ARGUMENTS)
def test_same_values_repr_and_equality_as_a_dataclass(args, kwargs):
    ours, theirs = Mutable(*args, **kwargs), MutableDataclass(*args, **kwargs)
    assert asdict(ours) == dataclasses.asdict(theirs)
    assert repr(ours) == repr(theirs).replace("MutableDataclass", "Mutable")
    assert ours == Mutable(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (("a", 1, [], None, "extra"), {}), (("a",), {"name": "b"}), ((), {"name": "a", "size": 1})],
)
def test_wrong_arguments_are_type_errors_as_for_a_dataclass(args, kwargs):
    with pytest.raises(TypeError):
        MutableDataclass(*args, **kwargs)
    with pytest.raises(TypeError):
        Mutable(*args, **kwargs)


def test_defaults_are_class_attributes_and_factories_give_each_record_its_own_value():
    first, second = Mutable("a"), Mutable("b")
    first.tags.append("x")
    assert second.tags == []
    assert Mutable.count == 0
    assert not hasattr(Mutable, "name")  # a field without default is no class attribute
    assert fields(Mutable) == ("name", "count", "tags", "note")  # the ClassVar is not a field


def test_equality_leaves_out_compare_false_fields_and_needs_the_same_class():
    assert Mutable("a", note="one") == Mutable("a", note="two")
    assert Mutable("a") != Mutable("b")
    assert Mutable("a") != Child("a")
    assert Mutable("a") != ("a", 0, [], None)


def test_mutable_records_are_unhashable_and_assignable():
    item = Mutable("a")
    item.count = 5
    assert item.count == 5
    with pytest.raises(TypeError):
        hash(item)


def test_frozen_records_refuse_assignment_and_hash_by_their_hashed_fields():
    item = Frozen("a", {"k": "v"})
    with pytest.raises(FrozenRecordError) as raised:
        item.name = "b"
    assert isinstance(raised.value, AttributeError) and isinstance(raised.value, DockerMapError)
    with pytest.raises(FrozenRecordError):
        del item.level
    assert hash(item) == hash(Frozen("a", {"other": "labels"}))  # labels are not hashed
    assert item != Frozen("a", {"other": "labels"})  # but compared
    assert {item: 1}[Frozen("a", {"k": "v"})] == 1


def test_post_init_runs_after_the_fields_are_set_and_may_set_them_on_a_frozen_record():
    assert Checked([1, 2]).values == (1, 2)
    with pytest.raises(ValueError, match="negative"):
        Checked([-1])


def test_inherited_fields_come_first():
    child = Child("a", 1, ["t"], None, "y")
    assert fields(child) == ("name", "count", "tags", "note", "extra")
    assert repr(child) == "Child(name='a', count=1, tags=['t'], extra='y')"


def test_replace_copies_with_changes_and_runs_the_checks_again():
    item = Frozen("a", {"k": "v"})
    changed = replace(item, level=2)
    assert (changed.name, changed.labels, changed.level, item.level) == ("a", {"k": "v"}, 2, 1)
    with pytest.raises(ValueError, match="negative"):
        replace(Checked([1]), values=[-1])
    with pytest.raises(TypeError):
        replace(item, size=1)


def test_is_record_tells_records_from_their_classes_and_other_values():
    assert is_record(Mutable("a")) and is_record(Frozen("a"))
    assert not is_record(Mutable) and not is_record(MutableDataclass("a")) and not is_record({"name": "a"})


@pytest.mark.parametrize(
    "item", [Mutable("a", 2, ["t"], "n"), Frozen("a", {"k": "v"}), Checked([3]), Child("c")]
)
def test_records_copy_and_pickle(item):
    for copied in (copy.copy(item), copy.deepcopy(item), pickle.loads(pickle.dumps(item))):
        assert copied == item and type(copied) is type(item)


def test_the_functions_of_dataclasses_work_on_records():
    item = Child("a", 2, ["t"], "n", "y")
    assert dataclasses.is_dataclass(item) and dataclasses.is_dataclass(Frozen)
    assert [f.name for f in dataclasses.fields(item)] == list(fields(item))
    assert dataclasses.asdict(item) == {"name": "a", "count": 2, "tags": ["t"], "note": "n", "extra": "y"}
    assert dataclasses.replace(item, count=3) == Child("a", 3, ["t"], "n", "y")
    assert dataclasses.replace(Frozen("a"), level=2).level == 2
    with pytest.raises(ValueError, match="negative"):
        dataclasses.replace(Checked([1]), values=[-1])
    assert "name" in Mutable.__dataclass_fields__ and "KIND" not in Mutable.__dataclass_fields__
    assert dataclasses.fields(Mutable)[2].default_factory is list
