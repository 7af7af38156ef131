"""Build contexts: tar archives (optionally compressed) with a Dockerfile and the files it needs.

:class:`DockerContext` writes the archive to a temporary file, so memory use does not grow with the context.
Directories are added with the ``.dockerignore`` rules of the Docker CLI (:mod:`dockermap.build.dockerignore`).
No entry can leave the context (:mod:`dockermap.build.members`).
"""

from __future__ import annotations

import io
import os
import re
import tarfile
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, Callable, Optional, Union

from dockermap.build.buffer import DockerTempFile
from dockermap.build.dockerfile import DockerFile
from dockermap.build.dockerignore import (
    DOCKERIGNORE,
    IgnorePattern,
    evaluate,
    parse_patterns,
    read_dockerignore,
    searched_for_exceptions,
)
from dockermap.build.members import MemberGuard, member_name
from dockermap.exceptions import BuildInputError

if TYPE_CHECKING:
    from _typeshed import StrOrBytesPath, SupportsRead

#: A compiled pattern and whether it is an exception (``!``).
MatchPattern = tuple[re.Pattern[str], bool]
TarFilter = Callable[[tarfile.TarInfo], Optional[tarfile.TarInfo]]
PathType = Union[str, os.PathLike[str]]

_STREAM_ENCODINGS = {"gz": "gzip", "bz2": "bzip2"}
# Chunk size for copying file data into the archive (tarfile's default of 16 KiB is slow for large files).
_COPY_BUFFER_SIZE = 1 << 20


def preprocess_matches(input_items: Iterable[str]) -> Iterator[MatchPattern]:
    """Compile ``.dockerignore`` lines to ``(regex, is_exception)`` tuples, as the Docker CLI reads them
    (see :mod:`dockermap.build.dockerignore`); ``regex`` matches a whole relative path.

    :raises DockerignoreError: naming the line of an invalid pattern.
    """
    for pattern in parse_patterns(input_items):
        yield pattern.regex, pattern.exclusion


def get_exclusions(path: PathType) -> Optional[list[IgnorePattern]]:
    """Patterns of the ``.dockerignore`` file in directory ``path``; ``None`` if there is none.

    :raises DockerignoreError: naming the file and line of an invalid pattern or encoding.
    """
    return read_dockerignore(os.fspath(path)) if os.path.isdir(path) else None


def get_filter_func(patterns: Iterable[MatchPattern], prefix: PathType) -> TarFilter:
    """A ``tarfile.add`` filter that drops members excluded by ``patterns``.

    ``prefix`` is the archive name of the directory the patterns belong to (relative or absolute, as passed
    to ``tarfile.add`` as ``arcname``); members outside it are kept. Each member is judged on its own
    path and its parent directories; since ``tarfile.add`` does not descend into a dropped directory,
    exceptions inside an excluded directory have no effect here (:class:`DockerContext` handles them).
    """
    compiled = [IgnorePattern(item[0], item[1], "") for item in patterns]
    base = member_name(prefix)

    def filter_func(tarinfo: tarfile.TarInfo) -> Optional[tarfile.TarInfo]:
        name = member_name(tarinfo.name)
        if base:
            if not name.startswith(base + "/"):
                return tarinfo
            name = name[len(base) + 1 :]
        return None if name and evaluate(compiled, name)[0] else tarinfo

    return filter_func


class _StreamingTarFile(tarfile.TarFile):
    """A writing TarFile that forgets what it wrote (``tarfile`` keeps every member and the inode of every
    regular file, which would make memory grow with the number of files in a context), and that refuses
    entries leaving the context."""

    # Set by ``tarfile.TarFile`` but missing from its type stubs.
    members: list[tarfile.TarInfo]
    inodes: dict[tuple[int, int], str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = MemberGuard()

    def addfile(self, tarinfo: tarfile.TarInfo, fileobj: Optional[SupportsRead[bytes]] = None) -> None:
        self.guard.check(tarinfo)
        super().addfile(tarinfo, fileobj)
        self.members.clear()

    def forget_inode(self, arcname: str) -> None:
        """Stop storing later hard links to the file that was to be stored as ``arcname``."""
        for inode, name in list(self.inodes.items()):
            if name == arcname:
                del self.inodes[inode]

    def gettarinfo(  # type: ignore[override]  # tarfile returns None for a socket; its stubs say TarInfo
        self, name: Optional[StrOrBytesPath] = None, arcname: Optional[str] = None, fileobj: Optional[IO[bytes]] = None
    ) -> Optional[tarfile.TarInfo]:
        tarinfo: Optional[tarfile.TarInfo] = super().gettarinfo(name, arcname, fileobj)
        if tarinfo is not None and tarinfo.isreg():
            # An inode is only remembered to store later hard links to it as links.
            if fileobj is not None:
                stat = os.fstat(fileobj.fileno())
            else:
                assert name is not None  # tarfile needs a name without a file object
                stat = os.lstat(name)
            if stat.st_nlink == 1:
                self.inodes.pop((stat.st_ino, stat.st_dev), None)
        return tarinfo


class DockerContext(DockerTempFile):
    """A build context: a tar archive in a temporary file.

    :param dockerfile: A :class:`~dockermap.build.dockerfile.DockerFile` or the path of a Dockerfile,
      added with :meth:`add_dockerfile`.
    :param compression: ``'gz'``, ``'bz2'``, ``'xz'`` or ``None``/``''`` for an uncompressed archive.
    :param encoding: Encoding of the member names.
    :param finalize: Finalize immediately (requires ``dockerfile``).
    :param kwargs: Passed on to :func:`tarfile.open` (e.g. ``compresslevel``).
    """

    def __init__(
        self,
        dockerfile: Union[DockerFile, PathType, None] = None,
        compression: Optional[str] = "gz",
        encoding: str = "utf-8",
        finalize: bool = False,
        **kwargs: Any,
    ) -> None:
        if finalize and dockerfile is None:
            raise BuildInputError(
                "A DockerContext can only be finalized at creation if a dockerfile is given."
            )
        super().__init__()
        self._stream_encoding = _STREAM_ENCODINGS.get(compression or "")
        kwargs.setdefault("copybufsize", _COPY_BUFFER_SIZE)
        try:
            # The mode is computed; tarfile's stubs only accept a literal one.
            self._tar: _StreamingTarFile = _StreamingTarFile.open(  # type: ignore[call-overload]
                mode=f"w:{compression or ''}", fileobj=self.fileobj, encoding=encoding, **kwargs
            )
            if dockerfile is not None:
                self.add_dockerfile(dockerfile)
                if finalize:
                    self.finalize()
        except BaseException:
            self.close()
            raise

    @classmethod
    def from_directory(
        cls,
        path: PathType,
        dockerfile: Union[DockerFile, PathType, None] = None,
        finalize: bool = False,
        **kwargs: Any,
    ) -> DockerContext:
        """A context with the content of directory ``path`` at its root, filtered by the directory's
        ``.dockerignore`` — like ``docker build <path>``.

        Its ``Dockerfile`` and ``.dockerignore`` are always included, as by the Docker CLI. If
        ``dockerfile`` is given, that one is used instead of the directory's ``Dockerfile``.

        :param kwargs: Further arguments for :class:`DockerContext` (``compression``, ``encoding``, ...).
        """
        if not os.path.isdir(path):
            raise NotADirectoryError(f"Build context directory {os.fspath(path)!r} does not exist.")
        context = cls(**kwargs)
        try:
            root_rules = {DOCKERIGNORE: True}
            if dockerfile is None:
                root_rules["Dockerfile"] = True
            else:
                root_rules["Dockerfile"] = False
                context.add_dockerfile(dockerfile)
            context._add_tree(path, "", get_exclusions(path) or [], None, root_rules)
            if finalize:
                context.finalize()
        except BaseException:
            context.close()
            raise
        return context

    @property
    def name(self) -> str:
        """Path of the temporary file holding the archive."""
        return self.fileobj.name

    @property
    def stream_encoding(self) -> Optional[str]:
        """Content encoding for the build request: ``'gzip'``, ``'bzip2'`` or ``None``."""
        return self._stream_encoding

    def _add_entry(self, path: str, arcname: str, filter_func: Optional[TarFilter]) -> bool:
        # Add one file system entry (not its children); False if skipped.
        if os.path.abspath(path) == self.name:
            return False
        tarinfo = self._tar.gettarinfo(path, arcname)
        if tarinfo is None:
            return False
        # Whole seconds, as the Docker CLI sends them; a fractional mtime costs an extra PAX header per file.
        tarinfo.mtime = int(tarinfo.mtime)
        if filter_func is not None:
            kept = filter_func(tarinfo)
            if kept is None:
                # A later hard link must not point to a file that is not in the archive.
                self._tar.forget_inode(tarinfo.name)
                return False
            tarinfo = kept
        if tarinfo.isreg():
            with open(path, "rb") as f:
                self._tar.addfile(tarinfo, f)
        else:
            self._tar.addfile(tarinfo)
        return True

    def _add_tree(
        self,
        directory: PathType,
        base: str,
        patterns: list[IgnorePattern],
        filter_func: Optional[TarFilter],
        root_rules: Mapping[str, bool],
    ) -> None:
        # Add the children of ``directory`` below archive name ``base``, depth-first in name order, with
        # the Docker CLI's rules for excluded directories. ``root_rules`` forces the inclusion (True) or
        # omission (False) of top-level names.
        has_exceptions = any(pattern.exclusion for pattern in patterns)

        def walk(path: str, rel: str, parent: Optional[list[bool]]) -> None:
            with os.scandir(path) as entries:
                children = sorted(entries, key=lambda entry: os.fsencode(entry.name))
            for entry in children:
                child_rel = f"{rel}/{entry.name}" if rel else entry.name
                excluded, applied = evaluate(patterns, child_rel, parent)
                if not rel and entry.name in root_rules:
                    excluded = not root_rules[entry.name]
                is_dir = entry.is_dir(follow_symlinks=False)
                if excluded:
                    if is_dir and has_exceptions and searched_for_exceptions(patterns, child_rel):
                        walk(entry.path, child_rel, applied)
                elif self._add_entry(entry.path, f"{base}/{child_rel}" if base else child_rel, filter_func):
                    if is_dir:
                        walk(entry.path, child_rel, applied)

        walk(os.fspath(directory), "", None)

    def add(
        self,
        name: PathType,
        arcname: Optional[PathType] = None,
        recursive: bool = True,
        filter: Optional[TarFilter] = None,
    ) -> None:
        """Add a file or directory (recursively) as ``arcname`` (default: ``name``).

        A directory's ``.dockerignore`` is applied to its content; ``filter`` is applied to each member
        afterwards, as in :meth:`tarfile.TarFile.add`.

        :raises ContextPathError: if ``arcname`` (or ``name``, without it) leads outside the context.
        :raises DockerignoreError: for an invalid ``.dockerignore`` in the directory.
        """
        self.check_not_finalized()
        path = os.fspath(name)
        base = member_name(path if arcname is None else arcname)
        if base:
            if not self._add_entry(path, base, filter):
                return
        elif not os.path.isdir(path):
            raise BuildInputError(f"Only a directory can be added as archive root, not {path!r}.")
        if recursive and os.path.isdir(path) and not os.path.islink(path):
            self._add_tree(path, base, get_exclusions(path) or [], filter, {})

    def addfile(self, *args: Any, **kwargs: Any) -> None:
        """Add a member from a TarInfo and a file object, as :meth:`tarfile.TarFile.addfile`.

        :raises ContextPathError: if the member would leave the context.
        """
        self.check_not_finalized()
        self._tar.addfile(*args, **kwargs)

    def gettarinfo(self, *args: Any, **kwargs: Any) -> Optional[tarfile.TarInfo]:
        """A :class:`tarfile.TarInfo` for a file (see :meth:`tarfile.TarFile.gettarinfo`)."""
        return self._tar.gettarinfo(*args, **kwargs)

    def addarchive(self, name: PathType) -> None:
        """Copy all members of the tar archive ``name`` (any compression) into the context.

        :raises ContextPathError: for a member that would leave the context (``..``, an absolute name, a
          hard link to such a name, or a name below a symbolic link of the archive).
        """
        self.check_not_finalized()
        with tarfile.open(name) as archive:
            member = archive.next()
            while member is not None:
                self._tar.addfile(member, archive.extractfile(member) if member.isreg() else None)
                # Read members are not needed again (``members`` is missing from tarfile's stubs).
                archive.members.clear()  # type: ignore[attr-defined]
                member = archive.next()

    def add_dockerfile(self, dockerfile: Union[DockerFile, PathType]) -> None:
        """Add a Dockerfile as member ``Dockerfile``.

        A :class:`~dockermap.build.dockerfile.DockerFile` is finalized, and the files and archives it refers
        to are added as well; anything else is the path of a Dockerfile.

        :raises FileNotFoundError: if the Dockerfile or a file it refers to does not exist; the message
          names each missing path and the instruction that refers to it.
        """
        self.check_not_finalized()
        if not isinstance(dockerfile, DockerFile):
            path = os.fspath(dockerfile)
            if not os.path.isfile(path):
                raise FileNotFoundError(f"Dockerfile {path!r} does not exist.")
            self.add(path, arcname="Dockerfile")
            return
        dockerfile.finalize()
        missing = [item for item in dockerfile.context_files if not os.path.lexists(item.source)]
        if missing:
            details = "; ".join(f"{item.source!r} (in {item.instruction!r})" for item in missing)
            raise FileNotFoundError(f"Build context source not found: {details}.")
        for item in dockerfile.context_files:
            self.add(item.source, arcname=item.arcname)
        for archive in dockerfile.context_archives:
            self.addarchive(archive)
        content = dockerfile.getvalue()
        tarinfo = tarfile.TarInfo("Dockerfile")
        tarinfo.size = len(content)
        tarinfo.mtime = int(time.time())
        tarinfo.mode = 0o644
        self._tar.addfile(tarinfo, io.BytesIO(content))

    def finalize(self) -> None:
        """Complete the archive (once) and rewind the temporary file, ready to be read or sent."""
        if not self.finalized:
            self._tar.close()
            super().finalize()
        self.fileobj.flush()
        self.fileobj.seek(0)

    def close(self) -> None:
        """Close the archive and delete the temporary file."""
        tar = getattr(self, "_tar", None)
        if tar is not None and not tar.closed:
            tar.close()
        super().close()
