"""Tests for dockermap.build.context."""

from __future__ import annotations

import errno
import gzip
import io
import os
import tarfile

import pytest

from dockermap.build.buffer import FinalizedError
from dockermap.build.context import DockerContext, get_exclusions, get_filter_func, preprocess_matches
from dockermap.build.dockerfile import DockerFile
from dockermap.exceptions import ContextPathError, DockerignoreError

PROJECT = {
    "Dockerfile": "FROM scratch\n",
    "app.py": "print()\n",
    "app.pyc": "",
    "README.md": "readme",
    "CHANGES.md": "changes",
    "pkg/mod.py": "",
    "pkg/mod.pyc": "",
    "pkg/sub/deep.pyc": "",
    "build/out.bin": "",
    "docs/index.rst": "",
    "docs/keep.txt": "",
    "empty/": "",
}


def ignore_file(root, *lines):
    (root / ".dockerignore").write_text("\n".join(lines) + "\n")


# --- pattern matching ----------------------------------------------------------------------------------


def test_preprocess_matches_items():
    items = list(preprocess_matches(["# comment", "  ", "*.pyc", " !README.md ", "! spaced", "./dir/"]))
    assert [negative for _, negative in items] == [False, True, True, False]
    regexes = [regex for regex, _ in items]
    assert regexes[0].match("x.pyc") and not regexes[0].match("a/x.pyc")
    assert regexes[1].match("README.md")
    assert regexes[2].match("spaced")
    assert regexes[3].match("dir") and not regexes[3].match("dir/")


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        ("*.pyc", ["a.pyc", ".pyc"], ["a/b.pyc", "a.pyco"]),
        ("**/*.pyc", ["a.pyc", "a/b.pyc", "a/b/c.pyc"], ["a.py"]),
        ("a/**/z", ["a/z", "a/b/z", "a/b/c/z"], ["b/z", "a/z/y"]),
        ("a/**", ["a/b", "a/b/c"], ["b/a"]),
        ("?.txt", ["a.txt"], ["ab.txt", "/.txt"]),
        ("[ab].txt", ["a.txt", "b.txt"], ["c.txt"]),
        # '!' has no special meaning in a class; a negated class also matches '/'.
        ("[!a].txt", ["!.txt", "a.txt"], ["b.txt"]),
        ("[^a-c]x", ["dx", "/x"], ["bx"]),
        ("d[^x]f", ["d/f"], ["dxf"]),
        ("[\\]]", ["]"], ["a"]),
        ("\\*.txt", ["*.txt"], ["a.txt"]),
        ("file\\[1\\].txt", ["file[1].txt"], ["file1.txt"]),
        ("a\\?", ["a?"], ["ab"]),
        # A leading '**' matches any path that ends like the rest of the pattern.
        ("**.txt", ["a.txt", "x/y.txt", ".txt"], ["a.txt/b"]),
        ("**/b", ["b", "a/b", "a/c/b"], ["ab"]),
        ("**b", ["b", "ab", "a/cb"], ["ba"]),
        ("a/**", ["a/b", "a/b/c"], ["a", "ab/c"]),
        # '^' is literal in a plain pattern, a start anchor in one with wildcards (as in Docker).
        ("^a", ["^a"], ["a"]),
        ("^a*", ["a", "ab"], ["^a"]),
        ("/abs/path", ["abs/path"], ["/abs/path"]),
        ("dir/../other", ["other"], ["dir/../other"]),
        ("a.b$c", ["a.b$c"], ["axb$c"]),
    ],
)
def test_pattern_syntax(pattern, matching, not_matching):
    ((regex, negative),) = preprocess_matches([pattern])
    assert negative is False
    assert [name for name in matching if regex.match(name)] == matching
    assert [name for name in not_matching if regex.match(name)] == []


@pytest.mark.parametrize(
    "pattern",
    ["!", "! ", "!/", "[unclosed", "[]]", "[]", "a\\", "[z-a]", "[a-]", "[-a]", "\\d", "[[:alpha:]]"],
)
def test_invalid_patterns_name_the_line(pattern):
    with pytest.raises(DockerignoreError) as info:
        list(preprocess_matches(["# comment", "*.log", pattern]))
    assert str(info.value).startswith("line 3: invalid pattern")
    assert info.value.line == 3


def test_get_exclusions_reads_text(tmp_path):
    assert get_exclusions(tmp_path) is None
    assert get_exclusions(tmp_path / "missing") is None
    (tmp_path / ".dockerignore").write_bytes("\ufeff*.log\r\n\u00e9t\u00e9\n!keep.log\n".encode())
    patterns = get_exclusions(tmp_path)
    assert [(p.regex.match("a.log") is not None, p.exclusion, p.text) for p in patterns] == [
        (True, False, "*.log"),
        (False, False, "\u00e9t\u00e9"),
        (False, True, "keep.log"),
    ]
    assert patterns[1].regex.match("\u00e9t\u00e9")


def test_dockerignore_errors_name_file_and_line(tmp_path):
    ignore = tmp_path / ".dockerignore"
    ignore.write_bytes(b"*.log\n# caf\xc3\xa9\nbad\xe9name\n")
    with pytest.raises(DockerignoreError) as info:
        DockerContext.from_directory(tmp_path)
    assert str(info.value).startswith(f"{ignore}, line 3: not valid UTF-8")
    assert (info.value.filename, info.value.line) == (str(ignore), 3)
    ignore.write_text("*.log\n\n  [a-\n")
    with pytest.raises(DockerignoreError, match=r"\.dockerignore, line 3: invalid pattern '\[a-'"):
        DockerContext.from_directory(tmp_path)


def make_info(name, kind=tarfile.REGTYPE):
    info = tarfile.TarInfo(name)
    info.type = kind
    return info


@pytest.mark.parametrize("prefix", ["app", "/app", "app/", "./app", "/app/"])
def test_filter_func_prefixes(prefix):
    patterns = list(preprocess_matches(["*.pyc", "docs", "!docs/keep.txt"]))
    keep = get_filter_func(patterns, prefix)
    names = [
        "app",
        "app/x.pyc",
        "app/x.py",
        "app/sub/x.pyc",
        "app/docs",
        "app/docs/a",
        "app/docs/keep.txt",
        "other/x.pyc",
    ]
    kept = [name for name in names if keep(make_info(name)) is not None]
    assert kept == ["app", "app/x.py", "app/sub/x.pyc", "app/docs/keep.txt", "other/x.pyc"]


def test_filter_func_without_exceptions_at_root():
    keep = get_filter_func(preprocess_matches(["*.md"]), "")
    assert keep(make_info("a.md")) is None
    info = make_info("a.txt")
    assert keep(info) is info


def test_filter_func_with_tarfile_add(make_tree):
    root = make_tree(PROJECT)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(
            str(root), arcname="src", filter=get_filter_func(preprocess_matches(["**/*.pyc", "build"]), "src")
        )
    buffer.seek(0)
    with tarfile.open(fileobj=buffer) as archive:
        names = sorted(archive.getnames())
    assert "src/pkg/mod.py" in names
    assert [name for name in names if name.endswith(".pyc") or name.startswith("src/build")] == []


# --- context membership --------------------------------------------------------------------------------


def test_empty_context(members):
    context = DockerContext()
    assert members(context) == []


@pytest.mark.parametrize(
    ("compression", "encoding", "magic", "offset"),
    [
        ("gz", "gzip", b"\x1f\x8b", 0),
        ("bz2", "bzip2", b"BZh", 0),
        (None, None, b"ustar", 257),
        ("", None, b"ustar", 257),
        ("xz", None, b"\xfd7zXZ", 0),
    ],
)
def test_compression(compression, encoding, magic, offset, members):
    context = DockerContext(DockerFile("a"), compression=compression)
    assert context.stream_encoding == encoding
    context.finalize()
    data = context.getvalue()
    assert data[offset : offset + len(magic)] == magic
    assert members(context) == ["Dockerfile"]


def test_finalize_at_creation_requires_dockerfile():
    with pytest.raises(ValueError, match="dockerfile"):
        DockerContext(finalize=True)


def test_finalize_at_creation_and_rewind():
    context = DockerContext(DockerFile("a"), finalize=True)
    assert context.finalized is True
    assert context.fileobj.tell() == 0
    context.fileobj.read()
    context.finalize()
    assert context.fileobj.tell() == 0


def test_dockerfile_member_and_recorded_files(make_tree, members, member_text):
    root = make_tree({"a.txt": "A", "conf/x.ini": "X", "conf/y.ini": "Y"})
    df = DockerFile("scratch")
    df.add_file(str(root / "a.txt"), "/app/a.txt")
    df.copy(str(root / "conf"), "/etc/conf", ctx_path="conf", chown="1:1")
    df.copy("/bin/tool", "/bin/tool", from_stage="builder")
    context = DockerContext(df)
    assert df.finalized is True
    assert members(context) == ["Dockerfile", "app/a.txt", "conf", "conf/x.ini", "conf/y.ini"]
    assert member_text(context, "Dockerfile") == df.getvalue().decode()
    assert member_text(context, "app/a.txt") == "A"
    assert member_text(context, "conf/y.ini") == "Y"


def test_dockerfile_from_path(tmp_path, members, member_text):
    path = tmp_path / "my.Dockerfile"
    path.write_text("FROM scratch\n")
    context = DockerContext(str(path))
    assert members(context) == ["Dockerfile"]
    assert member_text(context, "Dockerfile") == "FROM scratch\n"


def test_missing_dockerfile_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        DockerContext(str(tmp_path / "nope"))


def test_missing_sources_name_path_and_instruction(tmp_path):
    df = DockerFile("scratch")
    df.add_file(str(tmp_path / "gone.txt"), "/gone.txt")
    df.copy(str(tmp_path / "also-gone"), "/x")
    with pytest.raises(FileNotFoundError) as info:
        DockerContext(df)
    message = str(info.value)
    assert f"{str(tmp_path / 'gone.txt')!r} (in 'ADD /gone.txt /gone.txt')" in message
    assert f"{str(tmp_path / 'also-gone')!r} (in 'COPY /x /x')" in message


def test_add_archive_is_repacked(tmp_path, members, member_text):
    archive_path = tmp_path / "bundle.tar.gz"
    with tarfile.open(archive_path, "w:gz") as archive:
        for name, data in [("bin/tool", b"TOOL"), ("etc/conf", b"CONF")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        archive.addfile(make_info("link", tarfile.SYMTYPE))
    df = DockerFile("scratch")
    assert df.add_archive(str(archive_path)) == ["bin", "etc", "link"]
    context = DockerContext(df)
    assert members(context) == ["Dockerfile", "bin/tool", "etc/conf", "link"]
    assert member_text(context, "bin/tool") == "TOOL"


def test_addarchive_directly(tmp_path, members):
    archive_path = tmp_path / "plain.tar"
    with tarfile.open(archive_path, "w") as archive:
        archive.addfile(make_info("d", tarfile.DIRTYPE))
        archive.addfile(make_info("d/f"), io.BytesIO(b""))
    context = DockerContext(compression=None)
    context.addarchive(str(archive_path))
    assert members(context) == ["d", "d/f"]


@pytest.mark.parametrize(
    ("arcname", "prefix"),
    [("app", "app"), ("/app", "app"), ("./srv/app/", "srv/app"), ("/srv/app", "srv/app")],
)
def test_add_directory_with_relative_and_absolute_arcname(make_tree, members, arcname, prefix):
    root = make_tree(PROJECT)
    ignore_file(root, "**/*.pyc", "build", "docs", "!docs/keep.txt")
    context = DockerContext()
    context.add(str(root), arcname=arcname)
    expected = [
        "",
        "/.dockerignore",
        "/CHANGES.md",
        "/Dockerfile",
        "/README.md",
        "/app.py",
        "/docs/keep.txt",
        "/empty",
        "/pkg",
        "/pkg/mod.py",
        "/pkg/sub",
    ]
    assert members(context) == sorted(prefix + suffix for suffix in expected)


def test_add_directory_default_arcname(make_tree, members):
    root = make_tree({"a": "", "b.tmp": ""})
    ignore_file(root, "*.tmp")
    context = DockerContext()
    context.add(str(root))
    base = str(root).lstrip("/")
    assert members(context) == [base, f"{base}/.dockerignore", f"{base}/a"]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["*.md", "!README.md"], ["README.md", "a.txt", "sub", "sub/CHANGES.md", "sub/b.txt"]),
        (["**/*.md", "!README.md"], ["README.md", "a.txt", "sub", "sub/b.txt"]),
        (["sub"], ["CHANGES.md", "README.md", "a.txt"]),
        (["sub/"], ["CHANGES.md", "README.md", "a.txt"]),
        (["sub/*"], ["CHANGES.md", "README.md", "a.txt", "sub"]),
        (["*", "!sub/b.txt"], ["sub/b.txt"]),
        (["*.txt", "!**/*.txt", "sub/b.txt"], ["CHANGES.md", "README.md", "a.txt", "sub", "sub/CHANGES.md"]),
        (["# *.md", "", "  "], ["CHANGES.md", "README.md", "a.txt", "sub", "sub/CHANGES.md", "sub/b.txt"]),
        (["/a.txt", "./sub/CHANGES.md"], ["CHANGES.md", "README.md", "sub", "sub/b.txt"]),
        (["[A-Z]*.md"], ["a.txt", "sub", "sub/CHANGES.md", "sub/b.txt"]),
    ],
)
def test_dockerignore_cases(make_tree, members, lines, expected):
    root = make_tree({"a.txt": "", "README.md": "", "CHANGES.md": "", "sub/b.txt": "", "sub/CHANGES.md": ""})
    ignore_file(root, *lines, ".dockerignore")
    context = DockerContext()
    context.add(str(root), arcname="/")
    assert members(context) == expected


def test_dockerignore_escaped_characters(make_tree, members):
    root = make_tree({"*.txt": "", "a.txt": "", "f[1].log": "", "f1.log": "", "q?": "", "qq": ""})
    ignore_file(root, "\\*.txt", "f\\[1\\].log", "q\\?", ".dockerignore")
    context = DockerContext()
    context.add(str(root), arcname="ctx")
    assert members(context) == ["ctx", "ctx/a.txt", "ctx/f1.log", "ctx/qq"]


def test_add_applies_user_filter_after_exclusions(make_tree, members):
    root = make_tree(PROJECT)
    ignore_file(root, "*.md")

    def no_pkg(info):
        return None if info.name == "p/pkg" else info

    context = DockerContext()
    context.add(str(root), arcname="p", filter=no_pkg)
    assert members(context) == [
        "p",
        "p/.dockerignore",
        "p/Dockerfile",
        "p/app.py",
        "p/app.pyc",
        "p/build",
        "p/build/out.bin",
        "p/docs",
        "p/docs/index.rst",
        "p/docs/keep.txt",
        "p/empty",
    ]


def test_add_single_file_and_non_recursive(make_tree, members):
    root = make_tree({"d/f": "", "g": ""})
    context = DockerContext()
    context.add(str(root / "g"), arcname="/x/g")
    context.add(str(root / "d"), arcname="d", recursive=False)
    assert members(context) == ["d", "x/g"]


def test_add_file_as_root_is_rejected(make_tree):
    root = make_tree({"g": ""})
    with pytest.raises(ValueError, match="root"):
        DockerContext().add(str(root / "g"), arcname="/")


def test_symlinks_are_stored_as_links(make_tree, members):
    root = make_tree({"target/f": ""})
    os.symlink("target", root / "link")
    context = DockerContext(compression=None)
    context.add(str(root), arcname="r")
    assert members(context) == ["r", "r/link", "r/target", "r/target/f"]
    with tarfile.open(context.name) as archive:
        assert archive.getmember("r/link").issym()


def test_members_are_written_depth_first_in_name_order(make_tree):
    root = make_tree({"b": "", "a/y": "", "a/x/z": "", "c/": ""})
    context = DockerContext(compression=None)
    context.add(str(root), arcname="r")
    context.finalize()
    with tarfile.open(context.name) as archive:
        assert archive.getnames() == ["r", "r/a", "r/a/x", "r/a/x/z", "r/a/y", "r/b", "r/c"]


def test_hard_links_are_stored_as_links(make_tree, members):
    root = make_tree({"a": "data", "b": "single"})
    os.link(root / "a", root / "c")
    context = DockerContext(compression=None)
    context.add(str(root), arcname="r")
    assert members(context) == ["r", "r/a", "r/b", "r/c"]
    with tarfile.open(context.name) as archive:
        link = archive.getmember("r/c")
        assert (link.islnk(), link.linkname) == (True, "r/a")
        assert archive.getmember("r/b").isreg()


def test_writer_does_not_accumulate_members(make_tree):
    # Keeps memory flat for large contexts: neither written members nor unlinked inodes are remembered.
    root = make_tree({f"d/f{index}": "x" for index in range(50)})
    os.link(root / "d" / "f0", root / "hard")
    context = DockerContext()
    context.add(str(root), arcname="r")
    assert context._tar.members == []
    assert list(context._tar.inodes.values()) == ["r/d/f0"]
    context.close()


def test_mtime_is_whole_seconds(make_tree):
    root = make_tree({"f": ""})
    os.utime(root / "f", (1000.75, 1000.75))
    context = DockerContext(compression=None)
    context.add(str(root / "f"), arcname="f")
    context.finalize()
    with tarfile.open(context.name) as archive:
        member = archive.getmember("f")
        assert (member.mtime, member.pax_headers) == (1000, {})


def test_non_ascii_names(make_tree, members):
    root = make_tree({"\u00e9t\u00e9.txt": ""})
    context = DockerContext()
    context.add(str(root), arcname="u")
    assert members(context) == ["u", "u/\u00e9t\u00e9.txt"]


# --- whole directory as context ------------------------------------------------------------------------


def test_from_directory(make_tree, members, member_text):
    root = make_tree(PROJECT)
    ignore_file(root, "**/*.pyc", "build", "Dockerfile", ".dockerignore", "docs", "!docs/keep.txt")
    context = DockerContext.from_directory(str(root), compression=None)
    assert context.stream_encoding is None
    assert members(context) == [
        ".dockerignore",
        "CHANGES.md",
        "Dockerfile",
        "README.md",
        "app.py",
        "docs/keep.txt",
        "empty",
        "pkg",
        "pkg/mod.py",
        "pkg/sub",
    ]
    assert member_text(context, "Dockerfile") == "FROM scratch\n"


def test_from_directory_with_dockerfile_object(make_tree, members, member_text):
    root = make_tree({"Dockerfile": "ignored", "app.py": ""})
    df = DockerFile("python:3", command="python app.py")
    context = DockerContext.from_directory(root, df, finalize=True)
    assert context.finalized is True
    assert members(context) == ["Dockerfile", "app.py"]
    assert member_text(context, "Dockerfile") == df.getvalue().decode()


@pytest.mark.parametrize(
    ("name", "ignored", "expected"),
    [
        # A Dockerfile the .dockerignore excludes is sent all the same, as by ``docker build -f``; only
        # the default name is forced, so the root Dockerfile follows the patterns then.
        ("Dockerfile.dev", ["Dockerfile*"], ["Dockerfile.dev", "app.py", "ci", "ci/Dockerfile", "ci/x"]),
        ("ci/Dockerfile", ["ci", "Dockerfile"], ["Dockerfile.dev", "app.py", "ci/Dockerfile"]),
        ("./ci//Dockerfile", ["ci/*"], ["Dockerfile", "Dockerfile.dev", "app.py", "ci", "ci/Dockerfile"]),
        # Not excluded: nothing changes.
        ("ci/Dockerfile", ["app.py"], ["Dockerfile", "Dockerfile.dev", "ci", "ci/Dockerfile", "ci/x"]),
    ],
)
def test_from_directory_keeps_the_named_dockerfile(make_tree, members, name, ignored, expected):
    root = make_tree({"Dockerfile": "", "Dockerfile.dev": "", "app.py": "", "ci/Dockerfile": "", "ci/x": ""})
    ignore_file(root, *ignored)
    context = DockerContext.from_directory(root, dockerfile_name=name)
    assert members(context) == [".dockerignore", *expected]


def test_from_directory_missing(tmp_path):
    with pytest.raises(NotADirectoryError, match="missing"):
        DockerContext.from_directory(tmp_path / "missing")


# --- buffer behaviour ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda context, path: context.add(path),
        lambda context, path: context.addfile(tarfile.TarInfo("x")),
        lambda context, path: context.addarchive(path),
        lambda context, path: context.add_dockerfile(DockerFile("a")),
    ],
)
def test_changes_after_finalize_raise(tmp_path, call):
    context = DockerContext()
    context.finalize()
    with pytest.raises(FinalizedError):
        call(context, str(tmp_path))


def test_save_writes_complete_archive(tmp_path, make_tree):
    root = make_tree({"f": "data"})
    context = DockerContext(compression="gz")
    context.add(str(root / "f"), arcname="f")
    target = tmp_path / "ctx.tar.gz"
    context.save(str(target))
    assert context.finalized is True
    with tarfile.open(target) as archive:
        assert archive.getnames() == ["f"]
        assert archive.extractfile("f").read() == b"data"


def test_gettarinfo_and_addfile(tmp_path, members):
    path = tmp_path / "f"
    path.write_bytes(b"xyz")
    context = DockerContext()
    info = context.gettarinfo(str(path), arcname="renamed")
    assert info.size == 3
    with open(path, "rb") as f:
        context.addfile(info, f)
    assert members(context) == ["renamed"]


def test_close_deletes_temp_file_without_finalizing():
    with DockerContext(DockerFile("a")) as context:
        name = context.name
        assert os.path.exists(name)
    assert not os.path.exists(name)


# --- entries never leave the context -------------------------------------------------------------------


def _archive(path, *infos):
    with tarfile.open(path, "w") as archive:
        for name, kind, linkname in infos:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, linkname
            archive.addfile(info, io.BytesIO(b""))
    return path


@pytest.mark.parametrize(
    "infos",
    [
        [("../escape", tarfile.REGTYPE, "")],
        [("/etc/escape", tarfile.REGTYPE, "")],
        [("a/../../escape", tarfile.DIRTYPE, "")],
        [("link", tarfile.LNKTYPE, "../../etc/passwd")],
        [("link", tarfile.LNKTYPE, "/etc/passwd")],
        [("sym", tarfile.SYMTYPE, "/etc"), ("sym/passwd", tarfile.REGTYPE, "")],
        [("d", tarfile.DIRTYPE, ""), ("d/sym", tarfile.SYMTYPE, ".."), ("d/sym/x", tarfile.REGTYPE, "")],
        [("sym", tarfile.SYMTYPE, "/etc/passwd"), ("sym", tarfile.REGTYPE, "")],
        [("sym", tarfile.SYMTYPE, "/etc"), ("sym", tarfile.DIRTYPE, ""), ("sym/passwd", tarfile.REGTYPE, "")],
        [("sym", tarfile.SYMTYPE, "/etc/passwd"), ("hard", tarfile.LNKTYPE, "sym")],
    ],
)
def test_addarchive_refuses_members_leaving_the_context(tmp_path, infos):
    archive = _archive(tmp_path / "bad.tar", ("ok", tarfile.REGTYPE, ""), *infos)
    context = DockerContext()
    with pytest.raises(ContextPathError):
        context.addarchive(archive)


def test_addarchive_keeps_safe_links_and_normalizes_names(tmp_path, members):
    archive = _archive(
        tmp_path / "ok.tar",
        ("./a/b", tarfile.REGTYPE, ""),
        ("a/hard", tarfile.LNKTYPE, "./a/b"),
        ("a/sym", tarfile.SYMTYPE, "/etc"),
        ("a/sym", tarfile.SYMTYPE, "../b"),  # a link may replace a link
    )
    context = DockerContext(compression=None)
    context.addarchive(archive)
    assert members(context) == ["a/b", "a/hard", "a/sym", "a/sym"]
    with tarfile.open(context.name) as result:
        assert result.getmember("a/hard").linkname == "a/b"


def test_add_refuses_names_outside_the_context(make_tree):
    root = make_tree({"a": "", "link/": ""})
    context = DockerContext()
    with pytest.raises(ContextPathError, match="'../a' leads outside"):
        context.add(str(root / "a"), arcname="../a")
    with pytest.raises(ContextPathError):
        context.add(os.path.relpath(root / "a", root / "link"))  # no arcname: the relative path itself
    info = tarfile.TarInfo("/abs")
    with pytest.raises(ContextPathError, match="absolute"):
        context.addfile(info, io.BytesIO(b""))


def test_add_refuses_a_file_below_an_added_symlink(make_tree):
    root = make_tree({"secret": ""})
    (root / "etc").symlink_to("/etc")
    context = DockerContext()
    context.add(str(root / "etc"), arcname="conf")
    with pytest.raises(ContextPathError, match="through the symbolic link 'conf'"):
        context.add(str(root / "secret"), arcname="conf/passwd")


def test_hard_link_to_a_filtered_file_is_stored_as_file(make_tree, members):
    root = make_tree({"a": "data"})
    os.link(root / "a", root / "b")
    context = DockerContext(compression=None)
    context.add(str(root), arcname="r", filter=lambda info: None if info.name == "r/a" else info)
    assert members(context) == ["r", "r/b"]
    with tarfile.open(context.name) as archive:
        assert archive.getmember("r/b").isreg()
        assert archive.extractfile("r/b").read() == b"data"


def test_negated_directory_does_not_reinclude_its_excluded_subdirectories(make_tree, members):
    # As docker build: dir3 itself is included again, but dir3/keep is excluded by dir3/** and not
    # searched, since no exception's text starts with "dir3/keep/".
    files = [
        "a/b/testfile",
        "a/x",
        "dir3/a",
        "dir3/keep/testfile",
        "dir3/sub/c",
        "dir3/drop/x",
        "dir3/testfile",
    ]
    root = make_tree(
        {name: "" for name in [".git/config", ".hidden", ".include", "test/.root", "test/.other", *files]}
    )
    ignore_file(
        root, ".*", "!.include", "!test/.root", "dir3/**", "!dir3", "*/*/testfile", "!dir3/*/testfile"
    )
    context = DockerContext.from_directory(root)
    assert members(context) == [
        ".dockerignore",
        ".include",
        "a",
        "a/b",
        "a/x",
        "dir3",
        "test",
        "test/.other",
        "test/.root",
    ]


def test_excluded_directory_is_searched_only_for_exceptions_starting_with_its_path(make_tree, members):
    root = make_tree({"docs/keep.txt": "", "docs/sub/keep.txt": "", "docs/x": ""})
    ignore_file(root, "docs", "!*/keep.txt")
    assert members(DockerContext.from_directory(root)) == [".dockerignore"]
    # Once searched, every exception applies inside.
    ignore_file(root, "docs", "!*/keep.txt", "!docs/sub/keep.txt")
    assert members(DockerContext.from_directory(root)) == [
        ".dockerignore",
        "docs/keep.txt",
        "docs/sub/keep.txt",
    ]


# --- the archive is the one tarfile writes ---------------------------------------------------------------


def _varied_tree(make_tree):
    # Symbolic and hard links, empty directories, executable, empty, large and oddly named files, a FIFO,
    # and paths that the .dockerignore excludes.
    root = make_tree(
        {
            "a/b/c/f.txt": "f",
            "empty/": "",
            "deep/empty/": "",
            "zero": "",
            f"{'l' * 90}/{'n' * 40}": "long name",
            "d\u00e9j\u00e0/\u00fc.txt": "non-ASCII",
            "build/out.bin": "excluded",
            "x.log": "excluded",
            "keep/a.log": "included again",
        }
    )
    ignore_file(root, "build", "*.log", "!keep/*.log")
    for name, size in [("large.bin", 5_000_123), ("buffer.bin", 1 << 20), ("medium.bin", 70_000)]:
        (root / name).write_bytes(os.urandom(size))
    (root / "exe.sh").write_text("#!/bin/sh\n")
    (root / "exe.sh").chmod(0o755)
    (root / "private").write_text("p")
    (root / "private").chmod(0o600)
    os.link(root / "large.bin", root / "same.bin")
    os.symlink("a/b", root / "link")
    os.symlink("/etc", root / "absolute")
    os.mkfifo(root / "fifo")
    return root, {"ctx/build", "ctx/x.log"}


def _tarfile_archive(root, arcname, excluded) -> bytes:
    # The archive as tarfile writes it (members in name order, mtimes in whole seconds).
    def keep(info):
        if info.name in excluded:
            return None
        info.mtime = int(info.mtime)
        return info

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(str(root), arcname=arcname, filter=keep)
    return buffer.getvalue()


def test_archive_is_byte_for_byte_what_tarfile_writes(make_tree):
    root, excluded = _varied_tree(make_tree)
    expected = _tarfile_archive(root, "ctx", excluded)
    for compression in (None, "gz"):
        context = DockerContext(compression=compression)
        context.add(str(root), arcname="ctx")
        context.finalize()
        data = context.getvalue()
        assert (gzip.decompress(data) if compression else data) == expected
    with tarfile.open(fileobj=io.BytesIO(expected)) as archive:
        members = {member.name: member for member in archive.getmembers()}
        assert archive.extractfile("ctx/large.bin").read() == (root / "large.bin").read_bytes()
    assert (members["ctx/same.bin"].type, members["ctx/same.bin"].linkname) == (
        tarfile.LNKTYPE,
        "ctx/large.bin",
    )
    assert (members["ctx/link"].linkname, members["ctx/exe.sh"].mode) == ("a/b", 0o755)
    assert members["ctx/fifo"].isfifo() and members["ctx/deep/empty"].isdir()
    assert "ctx/keep/a.log" in members and not excluded & members.keys()


@pytest.mark.parametrize("refused", ["files", "directories"])
def test_entries_that_cannot_be_opened_relative_to_their_directory_are_added_by_path(
    make_tree, monkeypatch, refused
):
    # Files are opened relative to their open directory; where that fails (here: at the limit of open
    # files), they are added by path, giving the same archive.
    root, excluded = _varied_tree(make_tree)
    expected = _tarfile_archive(root, "ctx", excluded)
    real_open = os.open

    def limited(path, flags, *args, dir_fd=None, **kwargs):
        if (dir_fd is not None) if refused == "files" else bool(flags & os.O_DIRECTORY):
            raise OSError(errno.EMFILE, "Too many open files", path)
        return real_open(path, flags, *args, dir_fd=dir_fd, **kwargs)

    monkeypatch.setattr(os, "open", limited)
    context = DockerContext(compression=None)
    context.add(str(root), arcname="ctx")
    context.finalize()
    assert context.getvalue() == expected


def test_a_file_that_cannot_be_read_fails_with_its_path(make_tree, monkeypatch):
    root = make_tree({"a/b/secret": "s", "a/b/z": "z"})
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if os.path.basename(path) == "secret":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(PermissionError) as raised:
        DockerContext.from_directory(root)
    assert raised.value.filename == str(root / "a" / "b" / "secret")


def test_a_file_shorter_than_its_status_fails_the_build(make_tree, monkeypatch):
    root = make_tree({"f": "data"})
    real_lstat = os.lstat

    def larger(path, *args, **kwargs):
        result = real_lstat(path, *args, **kwargs)
        if os.fspath(path).endswith("/f"):
            return os.stat_result((*result[:6], 1 << 20, *result[7:]))
        return result

    monkeypatch.setattr(os, "lstat", larger)
    with pytest.raises(OSError, match="unexpected end of data"):
        DockerContext().add(str(root / "f"), arcname="f")


def test_members_with_headers_larger_than_the_buffer(make_tree):
    # An extended header of several MiB (set by a filter) is written whole, before the file's data.
    root = make_tree({"a": "first", "b": "second"})

    def comment(info):
        info.mtime = int(info.mtime)
        if info.name == "r/a":
            info.pax_headers = {"comment": "x" * (3 << 20)}
        return info

    context = DockerContext(compression=None)
    context.add(str(root), arcname="r", filter=comment)
    context.finalize()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        archive.add(str(root), arcname="r", filter=comment)
    assert context.getvalue() == buffer.getvalue()
