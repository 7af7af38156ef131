"""Tar headers for build context members, built directly for the common case.

:meth:`tarfile.TarInfo.tobuf` is general and costs more per member than reading a small file does. For
a member that needs no extended (PAX) header — ASCII names that fit their fields, whole-number times and
sizes within range, no device numbers — :func:`ustar_header` returns the very bytes ``tobuf`` writes in
the PAX format (the format of :mod:`tarfile` and of contexts), and ``None`` for any other member.
"""

from __future__ import annotations

import tarfile
import zlib
from functools import lru_cache
from typing import Optional

_NUL = b"\0"
_CHECKSUM_SPACES = 8 * ord(" ")  # the checksum counts its own field as spaces
# Device numbers (empty), prefix (unused: long names get an extended header) and padding of the block.
_TAIL = _NUL * (8 + 8 + 155 + 12)
_MAX_ID = 8**7  # uid and gid fields: seven octal digits
_MAX_NUMBER = 8**11  # size and mtime fields: eleven octal digits
_DEVICE_TYPES = (tarfile.CHRTYPE, tarfile.BLKTYPE)


def _field(text: str, length: int) -> Optional[bytes]:
    # A text field that fits as plain ASCII, padded with NULs; None if it needs an extended header (and
    # AttributeError if it is no text).
    if len(text) > length or not text.isascii():
        return None
    return text.encode("ascii").ljust(length, _NUL)


@lru_cache(maxsize=1024, typed=True)  # an int and an equal float are different values here
def _shared_fields(
    kind: bytes, mode: int, uid: int, gid: int, linkname: str, uname: str, gname: str
) -> Optional[tuple[bytes, bytes, int]]:
    # What members of one type, mode and owner share: the mode, uid and gid fields, the part of the block
    # after the checksum field, and the sum of their bytes with the checksum field's spaces. None if that
    # needs an extended header or device numbers (and TypeError or AttributeError for values of other types).
    if kind in _DEVICE_TYPES or len(kind) != 1 or not (type(mode) is type(uid) is type(gid) is int):
        return None
    if not (0 <= uid < _MAX_ID and 0 <= gid < _MAX_ID):
        return None
    fields = (_field(linkname, 100), _field(uname, 32), _field(gname, 32))
    if fields[0] is None or fields[1] is None or fields[2] is None:
        return None
    ids = b"%07o\0%07o\0%07o\0" % (mode & 0o7777, uid, gid)
    end = b"".join((kind, fields[0], tarfile.POSIX_MAGIC, fields[1], fields[2], _TAIL))
    return ids, end, sum(ids) + sum(end) + _CHECKSUM_SPACES


def ustar_header(info: tarfile.TarInfo) -> Optional[bytes]:
    """The 512-byte header that ``info.tobuf(tarfile.PAX_FORMAT)`` returns, or ``None`` if that would
    be more than one plain block (an extended header), the member has device numbers, or a field has a
    value of an unexpected type (for ``tobuf`` to handle or refuse)."""
    name, size, mtime = info.name, info.size, info.mtime
    if info.pax_headers or type(size) is not int or type(mtime) is not int:
        return None  # a float is stored with an extended header
    if not (0 <= size < _MAX_NUMBER and 0 <= mtime < _MAX_NUMBER):
        return None
    try:
        shared = _shared_fields(
            info.type, info.mode, info.uid, info.gid, info.linkname, info.uname, info.gname
        )
        if shared is None:
            return None
        if info.type == tarfile.DIRTYPE and not name.endswith("/"):
            name += "/"
        name_field = _field(name, 100)
    except (TypeError, AttributeError):
        return None
    if name_field is None:
        return None
    numbers = b"%011o\0%011o\0" % (size, mtime)
    # The low half of an Adler-32 checksum is 1 + the sum of the bytes modulo 65521; these 124 ASCII
    # bytes sum to less than that, and zlib adds them up faster than Python does.
    checksum = (zlib.adler32(numbers, zlib.adler32(name_field)) & 0xFFFF) - 1 + shared[2]
    # Six octal digits and a NUL; the eighth byte of the field keeps its space.
    return b"%s%s%s%06o\0 %s" % (name_field, shared[0], numbers, checksum, shared[1])
