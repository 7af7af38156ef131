"""``.dockerignore``: a context from ``DockerContext.from_directory`` holds exactly what ``docker build``
sends. The same tree is built with the Docker CLI (classic builder, which filters the context on the
client side) and through dockermap, both with ``COPY . /ctx``, and the images' file lists are compared."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile

import pytest

from dockermap.build.context import DockerContext

# Directories get mode 0750: a directory entry that one side sends and the other does not (the builder
# then creates it with 0755) shows up as a difference.
TREE = {
    ".dockerignore": None,
    ".git/config": "",
    ".hidden": "",
    ".include": "",
    ".env": "",
    ".env.example": "",
    "Dockerfile": "FROM scratch\nCOPY . /ctx\n",
    "README.md": "",
    "a.txt": "",
    "a/b/c/d/deep.txt": "",
    "a/b/c/other.txt": "",
    "a/b/testfile": "",
    "a/x.pyc": "",
    "app/__pycache__/m.pyc": "",
    "app/main.py": "",
    "app/main.pyc": "",
    "app/node_modules/lib/index.js": "",
    "build/out.bin": "",
    "dir3/a": "",
    "dir3/drop/x": "",
    "dir3/keep/testfile": "",
    "dir3/sub/c": "",
    "dir3/testfile": "",
    "dir3/unrelated/file": "",
    "docs/guide.md": "",
    "docs/keep.txt": "",
    "docs/sub/keep.txt": "",
    "file1.log": "",
    "file9.log": "",
    "fileA.log": "",
    "logs": "a file named like a directory pattern",
    "sub/logs/today.log": "",
    "src/keep.pyc": "",
    "src/mod.py": "",
    "src/pkg/mod.pyc": "",
    "star*": "",
    "q?": "",
    "br[a]ck": "",
    "brack": "",
    "!bang.txt": "",
    "test/.root": "",
    "test/.other": "",
}
SYMLINKS = {"lnk": "dir3", "lnk-file": "a.txt"}

# Pattern sets, blank-separated (no pattern here contains a blank).
PATTERN_SETS = {
    "issue": ".* !.include !test/.root dir3/** !dir3 */*/testfile !dir3/*/testfile dir3/drop/*".split(),
    "double-star": "**/*.pyc **/keep.txt a/**/deep.txt **.md !docs/**".split(),
    "typical-app": ".git **/node_modules **/__pycache__ *.pyc .env* !.env.example build/ *.log".split(),
    "exception-inside-exclusion": "docs !docs/keep.txt !*/sub/keep.txt dir3 !dir3/*/testfile".split(),
    "all-but": "* !src src/**/*.pyc !src/keep.pyc !a/b/c".split(),
    "negation-depths": "a !a/b a/b/c !a/b/c/d a/b/c/d/deep.txt !a/b/c/d/deep.txt".split(),
    "directory-only": "logs/ sub/logs/ dir3/keep/ build/*/".split(),
    "leading-slash-and-dot": "/a.txt ./docs/guide.md /dir3/ !/dir3/keep ./test/./.root //README.md".split(),
    "character-classes": "file[0-9].log [!.]bang.txt dir3[^x]a d[a-z]cs/[gk]* [st]*/[m]*.py".split(),
    "escaped-characters": "star\\* q\\? br\\[a\\]ck \\!bang.txt a\\.txt".split(),
    "excluded-dockerfile-and-ignore-file": "Dockerfile .dockerignore lnk **/testfile".split(),
}
# A byte order mark, blanks around patterns and after '!', comments only at the start of a line.
PATTERN_SETS["blanks-comments-bom"] = [
    "\ufeffa.txt",
    "  *.log\t",
    "#*.md",
    " #README.md",
    "!  file1.log ",
    "\r",
]


def _make_tree(root, lines):
    for rel, content in TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n" if content is None else content)
    for rel, target in SYMLINKS.items():
        (root / rel).symlink_to(target)
    for directory, _, _ in os.walk(root):
        os.chmod(directory, 0o750)


def _image_entries(api, image):
    # The image (docker save) has one layer: COPY . /ctx. Its entries as (name, type, mode).
    saved = io.BytesIO(b"".join(api.get_image(image)))
    with tarfile.open(fileobj=saved) as archive:
        (manifest,) = json.load(archive.extractfile("manifest.json"))
        layer = io.BytesIO(archive.extractfile(manifest["Layers"][-1]).read())
    with tarfile.open(fileobj=layer) as archive:
        return sorted((m.name, m.type.decode(), m.mode) for m in archive.getmembers())


def _cli_build(engine, directory, tag, labels, *options):
    docker = shutil.which("docker")
    assert docker, "the docker CLI is needed as reference (scripts/engine.sh install brings it)"
    label_args = [arg for key, value in labels.items() for arg in ("--label", f"{key}={value}")]
    # DOCKER_BUILDKIT=0: the classic builder, where the CLI filters the context, as dockermap does.
    env = {**os.environ, "DOCKER_BUILDKIT": "0"}
    command = [
        docker,
        "-H",
        engine.base_url,
        "build",
        "-q",
        "--no-cache",
        "-t",
        tag,
        *label_args,
        *options,
        str(directory),
    ]
    proc = subprocess.run(command, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("name", sorted(PATTERN_SETS))
def test_context_matches_docker_build(name, engine, client, cleanup, tmp_path):
    root = tmp_path / "tree"
    _make_tree(root, PATTERN_SETS[name])
    cli_tag, dm_tag = cleanup.name(f"ignore-{name}-cli"), cleanup.name(f"ignore-{name}-dm")

    _cli_build(engine, root, cli_tag, cleanup.labels)
    with DockerContext.from_directory(root, finalize=True) as context:
        client.build_from_context(context, dm_tag, labels=cleanup.labels, nocache=True)

    expected = _image_entries(engine.api, cli_tag)
    assert _image_entries(engine.api, dm_tag) == expected
    # The comparison means something only if the patterns left something out.
    assert {f"ctx/{rel}" for rel in [*TREE, *SYMLINKS]} - {entry[0] for entry in expected}


# The Dockerfile named as with ``docker build -f``, and patterns that exclude it or its directory.
NAMED_DOCKERFILES = {
    "excluded-directory": ("ci/Dockerfile", "ci Dockerfile*"),
    "excluded-inside-directory": ("ci/Dockerfile", "ci/* !ci/keep"),
    "excluded-at-the-top": ("Dockerfile.dev", "Dockerfile* docs"),
    "not-excluded": ("ci/Dockerfile", "a.txt docs/**"),
}


@pytest.mark.parametrize("name", sorted(NAMED_DOCKERFILES))
def test_named_dockerfile_matches_docker_build_f(name, engine, client, cleanup, tmp_path):
    dockerfile, patterns = NAMED_DOCKERFILES[name]
    root = tmp_path / "tree"
    files = {
        "Dockerfile": "",
        "Dockerfile.dev": "",
        "ci/Dockerfile": "",
        "ci/keep": "",
        "ci/x": "",
        "a.txt": "",
    }
    files.update({"docs/guide.md": "", ".dockerignore": "\n".join(patterns.split()) + "\n"})
    files[dockerfile] = "FROM scratch\nCOPY . /ctx\n"
    for rel, content in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(content)
    for directory, _, _ in os.walk(root):
        os.chmod(directory, 0o750)
    cli_tag, dm_tag = cleanup.name(f"named-{name}-cli"), cleanup.name(f"named-{name}-dm")

    _cli_build(engine, root, cli_tag, cleanup.labels, "-f", str(root / dockerfile))
    with DockerContext.from_directory(root, dockerfile_name=dockerfile, finalize=True) as context:
        client.build_from_context(context, dm_tag, labels=cleanup.labels, nocache=True, dockerfile=dockerfile)

    assert _image_entries(engine.api, dm_tag) == _image_entries(engine.api, cli_tag)
