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


@lru_cache(maxsize=1024)
def _block_end(kind: bytes, linkname: str, uname: str, gname: str) -> Optional[tuple[bytes, int]]:
    # The part of a header block after the checksum field, and the sum of its bytes (members of one
    # owner and type share it); None if it needs an extended header.
    fields = (_field(linkname, 100), _field(uname, 32), _field(gname, 32))
    if fields[0] is None or fields[1] is None or fields[2] is None:
        return None
    end = b"".join((kind, fields[0], tarfile.POSIX_MAGIC, fields[1], fields[2], _TAIL))
    return end, sum(end)


def ustar_header(info: tarfile.TarInfo) -> Optional[bytes]:
    """The 512-byte header that ``info.tobuf(tarfile.PAX_FORMAT)`` returns, or ``None`` if that would
    be more than one plain block (an extended header), the member has device numbers, or a field has a
    value of an unexpected type (for ``tobuf`` to handle or refuse)."""
    kind, name, uid, gid, size, mtime = info.type, info.name, info.uid, info.gid, info.size, info.mtime
    if info.pax_headers or kind in _DEVICE_TYPES or len(kind) != 1:
        return None
    if type(size) is not int or type(mtime) is not int:
        return None  # a float is stored with an extended header
    try:
        if not (
            0 <= uid < _MAX_ID and 0 <= gid < _MAX_ID and 0 <= size < _MAX_NUMBER and 0 <= mtime < _MAX_NUMBER
        ):
            return None
        if kind == tarfile.DIRTYPE and not name.endswith("/"):
            name += "/"
        name_field = _field(name, 100)
        end = _block_end(kind, info.linkname, info.uname, info.gname)
        if name_field is None or end is None:
            return None
        start = name_field + b"%07o\0%07o\0%07o\0%011o\0%011o\0" % (info.mode & 0o7777, uid, gid, size, mtime)
    except (TypeError, AttributeError):
        return None
    # The low half of an Adler-32 checksum is 1 + the sum of the bytes modulo 65521; these 148 ASCII
    # bytes sum to less than that, and zlib adds them up faster than Python does.
    start_sum = (zlib.adler32(start) & 0xFFFF) - 1
    # Six octal digits and a NUL; the eighth byte of the field keeps its space.
    return start + b"%06o\0 " % (start_sum + _CHECKSUM_SPACES + end[1]) + end[0]
