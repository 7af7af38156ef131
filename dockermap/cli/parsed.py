"""Parsed files kept between runs, so that a command on unchanged files does not load PyYAML.

Importing PyYAML and parsing a map of 50 containers takes about a sixth of a whole ``dockermap
update`` that changes nothing. The command keeps what it parsed from a file, together with the file's
exact bytes, in ``$XDG_CACHE_HOME/dockermap/parsed`` (default ``~/.cache/dockermap/parsed``; the
directory is made private to the user, as the files may hold secrets), and uses it again only for the
same bytes. Kept are only files without YAML tags (``!env``, ``!path`` and their kind read more than
the file) whose data is plain (dates are not). ``DOCKERMAP_NO_CACHE=1`` turns it off; a directory that
cannot be written only means nothing is kept.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from typing import Any, Optional

from dockermap import __version__

#: Stored with every entry: an entry of another dockermap or Python version is not used.
_FORMAT = ("dockermap-parsed", 1, __version__, marshal.version, sys.version_info[:2])
MISSING: Any = object()


def cache_directory() -> Optional[str]:
    """Where parsed files are kept; ``None`` when ``DOCKERMAP_NO_CACHE`` is set."""
    if os.environ.get("DOCKERMAP_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dockermap", "parsed")


def _private(directory: Any) -> bool:
    """Whether only this user can change what ``directory`` holds (else its entries are not used)."""
    try:
        status = os.stat(directory)
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


class ParsedFile:
    """One file: its bytes (``None`` if it cannot be read) and what was parsed from them before
    (:data:`MISSING` if nothing usable is kept)."""

    def __init__(self, path: str, directory: Optional[str] = None) -> None:
        self.path = os.path.abspath(path)
        self.directory = cache_directory() if directory is None else directory
        self.entry: Optional[str] = None  # the file that keeps what this one parsed to
        if self.directory is not None:
            checksum = zlib.crc32(self.path.encode("utf-8", "surrogateescape"))
            self.entry = os.path.join(self.directory, f"{os.path.basename(self.path)}-{checksum:08x}")
        try:
            with open(self.path, "rb") as stream:
                self.data: Optional[bytes] = stream.read()
        except OSError:
            self.data = None
        self.document = self._kept()

    def _kept(self) -> Any:
        if self.entry is None or self.data is None or not _private(self.directory):
            return MISSING
        try:
            with open(self.entry, "rb") as stream:
                kept = marshal.load(stream)
        except (OSError, EOFError, ValueError, TypeError):
            return MISSING
        if isinstance(kept, tuple) and len(kept) == 4 and kept[:3] == (_FORMAT, self.path, self.data):
            return kept[3]
        return MISSING

    def keep(self, document: Any) -> None:
        """Keep ``document`` as what this file's bytes parse to, if the file has no tags and the
        document is plain data."""
        entry = self.entry
        if entry is None or self.data is None or b"!" in self.data:
            return
        try:
            payload = marshal.dumps((_FORMAT, self.path, self.data, document))
        except ValueError:  # not plain data
            return
        temporary = f"{entry}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)  # type: ignore[arg-type]
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(payload)
            os.replace(temporary, entry)
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
