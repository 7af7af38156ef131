"""Build contexts: tar archives (optionally compressed) with a Dockerfile and the files it needs.

:class:`DockerContext` writes the archive to a temporary file, so memory use does not grow with the context.
Directories are added with the ``.dockerignore`` rules of the Docker CLI
(:mod:`dockermap.build.dockerignore`).
No entry can leave the context (:mod:`dockermap.build.members`).
"""

from __future__ import annotations

import grp
import io
import os
import pwd
import re
import stat
import tarfile
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from operator import attrgetter
from typing import IO, TYPE_CHECKING, Any, Callable, Optional, Union, cast

from dockermap.build.buffer import DockerTempFile
from dockermap.build.dockerfile import DockerFile
from dockermap.build.dockerignore import (
    DOCKERIGNORE,
    IgnorePattern,
    compile_item,
    evaluate,
    go_clean,
    parse_patterns,
    read_dockerignore,
    searched_for_exceptions,
)
from dockermap.build.headers import ustar_header
from dockermap.build.members import MemberGuard, member_name
from dockermap.build.output import BackgroundWriter, copy_file
from dockermap.exceptions import BuildInputError

if TYPE_CHECKING:
    from _typeshed import StrOrBytesPath, SupportsRead

#: A compiled pattern and whether it is an exception (``!``).
MatchPattern = tuple[re.Pattern[str], bool]
TarFilter = Callable[[tarfile.TarInfo], Optional[tarfile.TarInfo]]
PathType = Union[str, os.PathLike[str]]

_STREAM_ENCODINGS = {"gz": "gzip", "bz2": "bzip2"}
# Chunk size for copying file data into the archive (tarfile's default of 16 KiB is slow for large files),
# and the size of the buffer that collects small members.
_COPY_BUFFER_SIZE = 1 << 20
# From this size on, file data is copied on its own (into an uncompressed archive by the kernel) instead of
# being collected with other members.
_OWN_COPY_SIZE = 1 << 16
_NUL_BLOCK = bytes(tarfile.BLOCKSIZE)
_NUL_VIEW = memoryview(_NUL_BLOCK)
_OPEN_REGULAR = os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK


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
    entries leaving the context.

    Files from disk are written by :meth:`add_path`, which produces the bytes that ``tarfile`` would with
    less work per member: small members are collected in one buffer and written together, and the data of
    large files goes straight from file to archive (in the kernel, into an uncompressed archive).
    """

    # Set by ``tarfile.TarFile`` but missing from its type stubs.
    members: list[tarfile.TarInfo]
    inodes: dict[tuple[int, int], str]
    dereference: bool
    offset: int
    closed: bool

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = MemberGuard()
        self._owners: dict[tuple[int, int], tuple[str, str]] = {}
        self._pending = bytearray(_COPY_BUFFER_SIZE)
        self._pending_view = memoryview(self._pending)
        self._pending_size = 0
        self._writer: Optional[BackgroundWriter] = None
        #: Whether file data may be copied into the archive file by the kernel (no compression between).
        self.direct = False

    def addfile(self, tarinfo: tarfile.TarInfo, fileobj: Optional[SupportsRead[bytes]] = None) -> None:
        self.guard.check(tarinfo)
        self.flush_pending()
        super().addfile(tarinfo, fileobj)
        self.members.clear()

    def close(self) -> None:
        if not self.closed:
            self.flush_pending()
        super().close()

    def forget_inode(self, arcname: str) -> None:
        """Stop storing later hard links to the file that was to be stored as ``arcname``."""
        for inode, name in list(self.inodes.items()):
            if name == arcname:
                del self.inodes[inode]

    def gettarinfo(  # type: ignore[override]  # tarfile returns None for a socket; its stubs say TarInfo
        self,
        name: Optional[StrOrBytesPath] = None,
        arcname: Optional[str] = None,
        fileobj: Optional[IO[bytes]] = None,
    ) -> Optional[tarfile.TarInfo]:
        self._check("awx")  # type: ignore[attr-defined]  # missing from tarfile's stubs
        if fileobj is not None:
            path: str = fileobj.name
            statres = os.fstat(fileobj.fileno())
        else:
            assert name is not None  # tarfile needs a name without a file object
            path = os.fsdecode(name)
            statres = os.stat(path) if self.dereference else os.lstat(path)
        member = os.path.splitdrive(path if arcname is None else arcname)[1]
        return self.describe(path, member.replace(os.sep, "/").lstrip("/"), statres)

    def describe(self, path: str, arcname: str, statres: os.stat_result) -> Optional[tarfile.TarInfo]:
        """The member for file ``path`` with status ``statres``, as :meth:`tarfile.TarFile.gettarinfo` makes
        it (``None`` for a socket); a file with more hard links is remembered to store later links to it."""
        mode = statres.st_mode
        linkname = ""
        if stat.S_ISREG(mode):
            inode = (statres.st_ino, statres.st_dev)
            known = self.inodes.get(inode) if statres.st_nlink > 1 and not self.dereference else None
            if known is not None and known != arcname:
                kind, linkname = tarfile.LNKTYPE, known
            else:
                kind = tarfile.REGTYPE
                # An inode is only remembered to store later hard links to it as links.
                if statres.st_nlink == 1:
                    self.inodes.pop(inode, None)
                elif inode[0]:
                    self.inodes[inode] = arcname
        elif stat.S_ISDIR(mode):
            kind = tarfile.DIRTYPE
        elif stat.S_ISFIFO(mode):
            kind = tarfile.FIFOTYPE
        elif stat.S_ISLNK(mode):
            kind, linkname = tarfile.SYMTYPE, os.readlink(path)
        elif stat.S_ISCHR(mode):
            kind = tarfile.CHRTYPE
        elif stat.S_ISBLK(mode):
            kind = tarfile.BLKTYPE
        else:
            return None
        tarinfo = self.tarinfo(arcname)
        tarinfo.mode = mode
        tarinfo.uid, tarinfo.gid = statres.st_uid, statres.st_gid
        tarinfo.size = statres.st_size if kind == tarfile.REGTYPE else 0
        tarinfo.mtime = statres.st_mtime
        tarinfo.type = kind
        tarinfo.linkname = linkname
        owner = self._owners.get((statres.st_uid, statres.st_gid))
        tarinfo.uname, tarinfo.gname = owner or self._owner_names(statres.st_uid, statres.st_gid)
        if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
            tarinfo.devmajor, tarinfo.devminor = os.major(statres.st_rdev), os.minor(statres.st_rdev)
        return tarinfo

    def _owner_names(self, uid: int, gid: int) -> tuple[str, str]:
        # User and group names as tarfile looks them up (empty if unknown), remembered per owner.
        try:
            uname = pwd.getpwuid(uid).pw_name
        except KeyError:
            uname = ""
        try:
            gname = grp.getgrgid(gid).gr_name
        except KeyError:
            gname = ""
        names = self._owners[(uid, gid)] = (uname, gname)
        return names

    @property
    def output(self) -> IO[bytes]:
        """The file object the archive is written to (compressing or not)."""
        return cast(IO[bytes], self.fileobj)

    def add_path(self, tarinfo: tarfile.TarInfo, path: str, source: int = -1) -> None:
        """Add member ``tarinfo``; a regular file's ``tarinfo.size`` bytes of data are read from ``path``
        (or from ``source``, the file already open, which stays open).

        :raises ContextPathError: if the member would leave the context.
        :raises OSError: if the file cannot be read or is shorter than ``tarinfo.size``.
        """
        opened = source < 0 and tarinfo.isreg()
        if opened:
            source = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        try:
            self.guard.check(tarinfo)
            header = ustar_header(tarinfo) if self.format == tarfile.PAX_FORMAT else None
            if header is None:
                header = tarinfo.tobuf(self.format, self.encoding, self.errors)
            size = tarinfo.size if tarinfo.isreg() else 0
            if size < _OWN_COPY_SIZE:
                self._collect(header, source, size)
            else:
                self._put(header)
                self._copy(source, size)
                self._put(_NUL_BLOCK[: -size % tarfile.BLOCKSIZE])
        finally:
            if opened:
                os.close(source)

    @contextmanager
    def writing_in_background(self) -> Iterator[None]:
        """Within this block, members added by :meth:`add_path` are written by a
        :class:`~dockermap.build.output.BackgroundWriter`; all is written when it ends."""
        self.flush_pending()
        writer = self._writer = BackgroundWriter(self.output, len(self._pending), self.direct)
        try:
            yield
        finally:
            try:
                self.flush_pending()
            finally:
                self._writer = None
                writer.close()

    def flush_pending(self) -> None:
        """Write the collected members to the archive (or hand them to the background writer)."""
        if not self._pending_size:
            return
        size, self._pending_size = self._pending_size, 0
        if self._writer is None:
            self.output.write(self._pending_view[:size])
        else:
            free = self._writer.buffer()
            self._writer.write(self._pending, size)
            self._pending, self._pending_view = free, memoryview(free)

    def _put(self, data: bytes) -> None:
        # Collect ``data`` for the archive.
        view = memoryview(data)
        while view:
            if self._pending_size == len(self._pending):
                self.flush_pending()
            start = self._pending_size
            count = min(len(view), len(self._pending) - start)
            self._pending[start : start + count] = view[:count]
            self._pending_size += count
            view = view[count:]
        self.offset += len(data)

    def _collect(self, header: bytes, source: int, size: int) -> None:
        # Collect a member with ``header`` and ``size`` bytes (less than a buffer) of the file open as
        # ``source`` (none: -1), with the padding of its last block: at once, where everything fits into
        # one buffer.
        end = len(header) + size + -size % tarfile.BLOCKSIZE
        if self._pending_size + end > len(self._pending):
            self.flush_pending()
            if end > len(self._pending):  # a header of many blocks
                self._put(header)
                self._collect(b"", source, size)
                return
        start = self._pending_size
        position, data_end, end = start + len(header), start + len(header) + size, start + end
        view = self._pending_view
        view[start:position] = header
        while position < data_end:
            count = os.readv(source, [view[position:data_end]])
            if not count:
                raise OSError("unexpected end of data")
            position += count
        view[data_end:end] = _NUL_VIEW[: end - data_end]
        self._pending_size = end
        self.offset += end - start

    def _copy(self, source: int, size: int) -> None:
        # Copy ``size`` bytes of the file open as ``source`` into the archive on their own.
        self.offset += size
        self.flush_pending()
        if self._writer is None:
            copy_file(source, self.output, size, self._pending, self.direct)
        else:
            self._writer.copy(os.dup(source), size)


def _in_name_order(entries: Iterable[os.DirEntry[str]]) -> list[os.DirEntry[str]]:
    # Directory entries in the byte order of their names (for ASCII names, the order of the text).
    children = list(entries)
    if all(entry.name.isascii() for entry in children):
        children.sort(key=attrgetter("name"))
    else:
        children.sort(key=lambda entry: os.fsencode(entry.name))
    return children


@contextmanager
def _directory_descriptor(path: str) -> Iterator[int]:
    # The directory ``path`` open as a descriptor to open its files relative to; -1 where it cannot be
    # opened (for instance at the limit of open files in a deep tree).
    try:
        directory = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        directory = -1
    try:
        yield directory
    finally:
        if directory >= 0:
            os.close(directory)


def _open_regular(directory: int, entry: os.DirEntry[str]) -> int:
    # The file of ``entry`` open for reading if it is a regular file (never following a symbolic link, never
    # waiting for a FIFO that took its place); -1 if it is not, or where it cannot be opened.
    if directory < 0:
        return -1
    try:
        if not entry.is_file(follow_symlinks=False):
            return -1
        return os.open(entry.name, _OPEN_REGULAR, dir_fd=directory)
    except OSError:
        return -1


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
            self._tar.direct = self._tar.fileobj is self.fileobj
            own = os.fstat(self.fileobj.fileno())
            self._own_inode = (own.st_ino, own.st_dev)
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
        dockerfile_name: str = "Dockerfile",
        **kwargs: Any,
    ) -> DockerContext:
        """A context with the content of directory ``path`` at its root, filtered by the directory's
        ``.dockerignore`` — like ``docker build <path>``.

        Its Dockerfile (``dockerfile_name``, a path inside the directory, as ``docker build -f``) and
        ``.dockerignore`` are always included, as by the Docker CLI; pass the same name to the build
        as ``dockerfile``. If ``dockerfile`` is given, that one is used instead, as ``Dockerfile``.

        :param kwargs: Further arguments for :class:`DockerContext` (``compression``, ``encoding``, ...).
        """
        if not os.path.isdir(path):
            raise NotADirectoryError(f"Build context directory {os.fspath(path)!r} does not exist.")
        context = cls(**kwargs)
        try:
            root_rules = {DOCKERIGNORE: True}
            patterns = get_exclusions(path) or []
            if dockerfile is None:
                name = go_clean(dockerfile_name.replace(os.sep, "/"))
                if "/" not in name:
                    root_rules[name] = True
                elif evaluate(patterns, name)[0]:
                    # As the Docker CLI does: an exception for the Dockerfile it would exclude.
                    patterns = [*patterns, compile_item("!" + name)]
            else:
                root_rules["Dockerfile"] = False
                context.add_dockerfile(dockerfile)
            context._add_tree(path, "", patterns, None, root_rules)
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

    def _add_entry(
        self,
        path: str,
        arcname: str,
        filter_func: Optional[TarFilter],
        statres: Optional[os.stat_result] = None,
        source: int = -1,
    ) -> bool:
        # Add one file system entry (not its children); False if skipped. ``statres`` is the entry's status
        # if known (following symbolic links only if the archive dereferences them), ``source`` the file
        # if it is open already.
        if statres is None:
            statres = os.stat(path) if self._tar.dereference else os.lstat(path)
        if (statres.st_ino, statres.st_dev) == self._own_inode:
            return False  # the archive itself
        tarinfo = self._tar.describe(path, arcname, statres)
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
        self._tar.add_path(tarinfo, path, source)
        return True

    def _add_file(
        self, directory: int, entry: os.DirEntry[str], arcname: str, filter_func: Optional[TarFilter]
    ) -> None:
        # Add a directory entry that is no directory. A regular file is opened relative to ``directory`` (the
        # open descriptor of its directory) and its status read from the open file: fewer and cheaper
        # calls than by path. Where that fails, the entry is added by path, failing as it would have.
        source = _open_regular(directory, entry)
        if source < 0:
            self._add_entry(
                entry.path, arcname, filter_func, entry.stat(follow_symlinks=self._tar.dereference)
            )
            return
        try:
            self._add_entry(entry.path, arcname, filter_func, os.fstat(source), source)
        finally:
            os.close(source)

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
        follow = self._tar.dereference
        prefix = f"{base}/" if base else ""

        def walk(path: str, rel: str, parent: Optional[list[bool]]) -> None:
            with os.scandir(path) as entries:
                children = _in_name_order(entries)
            with _directory_descriptor(path) as directory:
                for entry in children:
                    child_rel = f"{rel}/{entry.name}" if rel else entry.name
                    excluded, applied = evaluate(patterns, child_rel, parent) if patterns else (False, [])
                    if not rel and entry.name in root_rules:
                        excluded = not root_rules[entry.name]
                    is_dir = entry.is_dir(follow_symlinks=False)
                    if excluded:
                        if is_dir and has_exceptions and searched_for_exceptions(patterns, child_rel):
                            walk(entry.path, child_rel, applied)
                    elif not is_dir:
                        self._add_file(directory, entry, prefix + child_rel, filter_func)
                    elif self._add_entry(
                        entry.path, prefix + child_rel, filter_func, entry.stat(follow_symlinks=follow)
                    ):
                        walk(entry.path, child_rel, applied)

        with self._tar.writing_in_background():
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
        try:
            if base:
                if not self._add_entry(path, base, filter):
                    return
            elif not os.path.isdir(path):
                raise BuildInputError(f"Only a directory can be added as archive root, not {path!r}.")
            if recursive and os.path.isdir(path) and not os.path.islink(path):
                self._add_tree(path, base, get_exclusions(path) or [], filter, {})
        finally:
            self._tar.flush_pending()

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
