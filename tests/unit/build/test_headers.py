"""Tests for dockermap.build.headers: the same header bytes as tarfile writes."""

from __future__ import annotations

import tarfile

from hypothesis import given
from hypothesis import strategies as st

from dockermap.build.headers import ustar_header

TYPES = [
    tarfile.REGTYPE,
    tarfile.DIRTYPE,
    tarfile.SYMTYPE,
    tarfile.LNKTYPE,
    tarfile.FIFOTYPE,
    tarfile.CHRTYPE,
]
# Texts around the field lengths, with non-ASCII characters now and then.
TEXT = st.text(st.sampled_from("ab/._-\u00e9"), max_size=110)
ID = st.one_of(st.integers(0, 8**7 + 5), st.just(8**7 - 1), st.just(8**7))
NUMBER = st.one_of(st.integers(0, 8**11 + 5), st.just(8**11), st.floats(0, 2**33, allow_nan=False))


def tarinfo(name="dir/file.txt", kind=tarfile.REGTYPE, **fields) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in {
        "mode": 0o100644,
        "uid": 1000,
        "gid": 1000,
        "size": 1234,
        "mtime": 1700000000,
        **fields,
    }.items():
        setattr(info, key, value)
    return info


@given(
    name=TEXT,
    kind=st.sampled_from(TYPES),
    linkname=TEXT,
    uname=st.text(st.sampled_from("ab\u00e9"), max_size=34),
    gname=st.text(st.sampled_from("ab\u00e9"), max_size=34),
    mode=st.integers(0, 0o177777),
    uid=ID,
    gid=ID,
    size=NUMBER,
    mtime=NUMBER,
)
def test_header_is_the_one_tarfile_writes_or_none(
    name, kind, linkname, uname, gname, mode, uid, gid, size, mtime
):
    info = tarinfo(name, kind, linkname=linkname, uname=uname, gname=gname, mode=mode, uid=uid, gid=gid)
    info.size, info.mtime = size, mtime
    expected = info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")
    header = ustar_header(info)
    if header is not None:
        assert header == expected
    # Everything that tarfile writes as one plain block, except device entries, is built directly.
    assert (header is None) == (len(expected) > tarfile.BLOCKSIZE or kind == tarfile.CHRTYPE)


def test_common_members_are_built_directly():
    for info in [
        tarinfo(),
        tarinfo("d" * 99, tarfile.DIRTYPE, mode=0o40755, size=0),
        tarinfo("link", tarfile.SYMTYPE, linkname="../target", size=0),
        tarinfo("exe", uname="root", gname="root", mode=0o100755, size=8**11 - 1),
    ]:
        assert ustar_header(info) == info.tobuf(tarfile.PAX_FORMAT), info.name


def test_members_needing_more_than_one_block_are_left_to_tarfile():
    info = tarinfo("with pax header")
    info.pax_headers = {"comment": "x"}
    assert ustar_header(info) is None
    assert ustar_header(tarinfo("d" * 100, tarfile.DIRTYPE)) is None  # 101 with the slash
    assert ustar_header(tarinfo("caf\u00e9")) is None
    assert ustar_header(tarinfo(mtime=1.5)) is None
    assert ustar_header(tarinfo(size=8**11)) is None
    assert ustar_header(tarinfo(uid=-1)) is None


def test_values_of_wrong_types_are_left_to_tarfile():
    for info in [tarinfo(mtime=None), tarinfo(uname=None), tarinfo(mode=None), tarinfo(b"bytes")]:
        assert ustar_header(info) is None


def test_numbers_of_other_types_are_not_taken_for_equal_integers():
    # A member with the same fields as one built before, except for a float mode: tarfile refuses it.
    assert ustar_header(tarinfo(mode=0o100644)) is not None
    assert ustar_header(tarinfo(mode=float(0o100644))) is None
