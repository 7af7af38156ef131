"""Tests for dockermap.build.members: normalized names that stay inside the context."""

from __future__ import annotations

import itertools
import posixpath
import tarfile

import pytest

from dockermap.build.members import MemberGuard, member_name
from dockermap.exceptions import ContextPathError


def normalized(text: str) -> str:
    # What member_name is defined as: the path normalized, without leading '/', never leaving the context.
    name = posixpath.normpath(text).lstrip("/")
    if name == ".." or name.startswith("../"):
        return "outside"
    return "" if name == "." else name


def test_member_name_is_the_normalized_path_for_every_short_name():
    for length in range(8):
        for chars in itertools.product("a./", repeat=length):
            text = "".join(chars)
            try:
                result = member_name(text)
            except ContextPathError:
                result = "outside"
            assert result == normalized(text), text


def guard_with_symlinks(*names: str) -> MemberGuard:
    guard = MemberGuard()
    for name in names:
        info = tarfile.TarInfo(name)
        info.type = tarfile.SYMTYPE
        guard.check(info)
    return guard


@pytest.mark.parametrize(("name", "symlink"), [("a/b/c", "a"), ("a/b/c", "a/b"), ("a/b", "a/b")])
def test_guard_refuses_members_below_or_in_place_of_a_symlink(name, symlink):
    with pytest.raises(ContextPathError, match=f"through the symbolic link '{symlink}'"):
        guard_with_symlinks(symlink).check(tarfile.TarInfo(name))


def test_guard_accepts_members_beside_symlinks():
    info = tarfile.TarInfo("ab/c")
    guard_with_symlinks("a", "ab/c/d", "b").check(info)
    assert info.name == "ab/c"
