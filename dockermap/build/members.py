"""Names of build context entries: normalized, and never leaving the context.

A context is a tar archive that the engine (or anyone) unpacks; an entry named ``../x`` or ``/etc/x``, a
hard link to such a name, or an entry below a symbolic link would write outside the directory it is
unpacked into. Such entries are refused before anything is written.
"""

from __future__ import annotations

import os
import posixpath
import tarfile
from typing import Union

from dockermap.exceptions import ContextPathError


def member_name(arcname: Union[str, os.PathLike[str]]) -> str:
    """The normalized name of an entry inside the context (``''`` for its root); a leading ``/`` means the
    context root, as in ``ADD``.

    :raises ContextPathError: if the name has ``..`` components leading outside the context.
    """
    text = os.fspath(arcname)
    # Normalizing changes nothing without an empty, '.' or '..' component (a leading or trailing '/' makes
    # one): the common case, checked faster than normalized.
    padded = f"/{text}/"
    if os.sep == "/" and "//" not in padded and "/./" not in padded and "/../" not in padded:
        return text
    name = posixpath.normpath(text.replace(os.sep, "/")).lstrip("/")
    if name == ".." or name.startswith("../"):
        raise ContextPathError(text, "leads outside the build context")
    return "" if name == "." else name


class MemberGuard:
    """Checks the entries written to one archive: names and hard link targets stay inside the context,
    and nothing is written through an entry that is a symbolic link (below it, in its place unless it is
    a symbolic link again, or as a hard link to it)."""

    def __init__(self) -> None:
        self._symlinks: set[str] = set()

    def check(self, tarinfo: tarfile.TarInfo) -> None:
        """Normalize ``tarinfo.name`` (and a hard link's target) in place, or refuse the entry.

        :raises ContextPathError: if the entry would leave the context.
        """
        if tarinfo.name.startswith("/"):
            raise ContextPathError(tarinfo.name, "has an absolute name")
        name = member_name(tarinfo.name)
        if not name:
            raise ContextPathError(tarinfo.name, "has no name inside the build context")
        symlink = tarinfo.type == tarfile.SYMTYPE
        self._refuse_symlink_on_path(tarinfo.name, name, symlink)
        if tarinfo.type == tarfile.LNKTYPE:
            target = tarinfo.linkname
            try:
                tarinfo.linkname = member_name(target)
            except ContextPathError:
                tarinfo.linkname = ""
            if target.startswith("/") or not tarinfo.linkname:
                raise ContextPathError(
                    tarinfo.name, f"is a hard link to {target!r}, outside the build context"
                )
            self._refuse_symlink_on_path(tarinfo.name, tarinfo.linkname, False)
        if symlink:
            self._symlinks.add(name)
        tarinfo.name = name

    def _refuse_symlink_on_path(self, entry: str, path: str, may_replace: bool) -> None:
        if not self._symlinks:
            return
        end = path.find("/")
        while end != -1:
            if path[:end] in self._symlinks:
                raise ContextPathError(entry, f"would be written through the symbolic link {path[:end]!r}")
            end = path.find("/", end + 1)
        if path in self._symlinks and not may_replace:
            raise ContextPathError(entry, f"would be written through the symbolic link {path!r}")
