"""Tests for dockermap.build.dockerfile."""

from __future__ import annotations

import io
import os
import tarfile

import pytest

from dockermap import DEFAULT_BASEIMAGE
from dockermap.build.buffer import FinalizedError
from dockermap.build.dockerfile import (
    ContextFile,
    DockerFile,
    format_command,
    format_expose,
    format_labels,
    prepare_path,
    quote_value,
)
from dockermap.exceptions import ContextPathError, DockerfileValueError


def text(df: DockerFile) -> str:
    return df.getvalue().decode()


def body(df: DockerFile) -> str:
    """Output after the constructor's header (``FROM`` line and blank line)."""
    return text(df).split("\n", 2)[2]


# --- helpers -------------------------------------------------------------------------------------------


def test_prepare_path(monkeypatch):
    monkeypatch.setenv("DM_DIR", "my dir")
    monkeypatch.setenv("HOME", "/home/u")
    assert prepare_path("$DM_DIR/a", False, True, True, False) == "my dir/a"
    assert prepare_path("$DM_DIR/a", True, True, True, False) == "my\\ dir/a"
    assert prepare_path("~/x y", True, True, False, True) == "/home/u/x\\ y"
    assert prepare_path("~/$DM_DIR", False, True, False, False) == "~/$DM_DIR"


@pytest.mark.parametrize(
    ("cmd", "shell", "expected"),
    [
        ([], False, "[]"),
        ("", False, "[]"),
        ([], True, "[]"),
        (["/bin/sh", "-c"], False, '["/bin/sh", "-c"]'),
        (("a", 1), False, '["a", "1"]'),
        ("run it", False, '["run", "it"]'),
        ("a b\\ c d", False, '["a", "b\\\\ c", "d"]'),
        ("a  b", False, '["a", "b"]'),
        (["run", "it"], True, "run it"),
        ("run it &", True, "run it &"),
    ],
)
def test_format_command(cmd, shell, expected):
    assert format_command(cmd, shell) == expected


def test_format_command_rejects_other_types():
    with pytest.raises(ValueError, match="42"):
        format_command(42)


def test_format_expose():
    assert tuple(format_expose("80 443")) == ("80", "443")
    assert tuple(format_expose([80, "443/udp"])) == ("80", "443/udp")
    assert tuple(format_expose(8080)) == ("8080",)


def test_quote_value():
    assert quote_value("plain") == '"plain"'
    assert quote_value('say "hi"') == '"say \\"hi\\""'
    assert quote_value("C:\\dir\\") == '"C:\\\\dir\\\\"'
    assert quote_value("$HOME/bin") == '"$HOME/bin"'
    assert quote_value("\\$HOME") == '"\\$HOME"'


def test_format_labels():
    assert tuple(format_labels('"x"="y"')) == ('"x"="y"',)
    assert list(format_labels({"a": "b", "c.d": 1})) == ['"a"="b"', '"c.d"="1"']
    with pytest.raises(DockerfileValueError, match="LABEL: 'line1\\\\nline2'"):
        format_labels([("a", "line1\nline2")])
    with pytest.raises(ValueError, match="Labels"):
        format_labels(5)


# --- constructor and header ----------------------------------------------------------------------------


def test_verified_example():
    df = DockerFile(
        "ubuntu",
        maintainer="me",
        volumes=["/a"],
        command="run it",
        entrypoint=["/bin/sh", "-c"],
        expose=[80, "443"],
        labels={"a": "b"},
        cmd_user="u",
        cmd_workdir="/w",
    )
    df.run("x")
    assert df.add_file("/src/file.txt", remove_final=True) == "file.txt"
    df.finalize()
    assert df.getvalue() == (
        b"FROM ubuntu\n"
        b"\n"
        b"MAINTAINER me\n"
        b"\n"
        b"RUN x\n"
        b"ADD file.txt file.txt\n"
        b"RUN rm -Rf file.txt\n"
        b"\n"
        b'VOLUME ["/a"]\n'
        b"USER u\n"
        b"WORKDIR /w\n"
        b'ENTRYPOINT ["/bin/sh", "-c"]\n'
        b'CMD ["run", "it"]\n'
        b"EXPOSE 80 443\n"
        b'LABEL "a"="b"\n'
    )


def test_default_header():
    assert text(DockerFile()) == f"FROM {DEFAULT_BASEIMAGE}\n\n"


def test_no_baseimage_writes_only_blank_line():
    assert text(DockerFile(None)) == "\n"


def test_initial_string_and_lines():
    assert text(DockerFile("a", initial="RUN x")) == "FROM a\n\nRUN x\n"
    assert text(DockerFile("a", initial=["RUN x", "RUN y"])) == "FROM a\n\nRUN x\nRUN y\n"


def test_unknown_keyword_is_rejected():
    with pytest.raises(TypeError, match="comand"):
        DockerFile("a", comand="x")


def test_kwargs_set_properties():
    df = DockerFile("a", cmd_user="u", cmd_workdir="/w", command_shell=True, stopsignal="SIGINT")
    assert (df.command_user, df.command_workdir, df.command_shell, df.stopsignal) == (
        "u",
        "/w",
        True,
        "SIGINT",
    )
    assert (df.volumes, df.entrypoint, df.command, df.expose, df.labels) == (None,) * 5
    assert (df.shell, df.healthcheck) == (None, None)


# --- immediate instructions ----------------------------------------------------------------------------


def test_prefix_without_args_continues_line():
    df = DockerFile("a")
    df.prefix("#")
    df.writeline("X")
    df.prefix("RUN", "a", 1)
    assert body(df) == "#X\nRUN a 1\n"


def test_prefix_all_run_all_and_blank_lines():
    df = DockerFile("a")
    df.prefix_all("#", "one", ("two", 2), "", None)
    df.run_all("a", ["b", "c"])
    assert body(df) == "# one\n# two 2\n\n\nRUN a\nRUN b c\n"


def test_run_and_run_join():
    df = DockerFile("a")
    df.run("apt-get", "update")
    df.run_join("cd /x", "make", "make install")
    assert body(df) == "RUN apt-get update\nRUN cd /x && make && make install\n"
    with pytest.raises(ValueError):
        df.run_join()


def test_comment_blank_write():
    df = DockerFile("a")
    df.comment("hello")
    df.comment()
    df.blank()
    df.write(b"raw bytes ")
    df.writeline("\u00e9")
    df.writelines(["l1", b"l2"])
    assert df.getvalue().split(b"\n", 2)[2] == "# hello\n#\n\nraw bytes \u00e9\nl1\nl2\n".encode()


def test_arg():
    df = DockerFile("a")
    df.arg("VERSION", "1.0")
    df.arg("PLAIN")
    df.arg("SPACED", "a b")
    df.arg("EMPTY", "")
    df.arg("NUM", 3)
    assert body(df) == 'ARG VERSION=1.0\nARG PLAIN\nARG SPACED="a b"\nARG EMPTY=""\nARG NUM=3\n'


@pytest.mark.parametrize("name", ["", "A B", "A=B", 'A"'])
def test_arg_and_env_reject_bad_names(name):
    df = DockerFile("a")
    with pytest.raises(ValueError, match="variable name"):
        df.arg(name)
    with pytest.raises(ValueError, match="variable name"):
        df.env({name: "x"})


def test_arg_before_first_stage():
    df = DockerFile(None)
    df.arg("BASE", "alpine")
    df.from_("${BASE}")
    assert text(df) == "\nARG BASE=alpine\n\nFROM ${BASE}\n\n"


def test_env():
    df = DockerFile("a")
    df.env(KEY="v")
    df.env({"A": "1 2", "B": 'q"uote'}, C=3)
    df.env([("PATH", "/app/bin:$PATH")])
    assert body(df) == 'ENV KEY="v"\nENV A="1 2" B="q\\"uote" C="3"\nENV PATH="/app/bin:$PATH"\n'


def test_env_errors():
    df = DockerFile("a")
    with pytest.raises(ValueError, match="at least one"):
        df.env()
    with pytest.raises(ValueError, match="newline"):
        df.env(A="x\ny")
    with pytest.raises(ValueError, match="no value"):
        df.env(A=None)
    with pytest.raises(ValueError, match="newline"):
        df.arg("A", "x\ny")


def test_multi_stage():
    df = DockerFile("golang:1", stage="build")
    df.run("go build -o /out/app")
    df.from_("alpine", "final")
    assert df.copy("/out/app", "/usr/bin/app", from_stage="build") == "/out/app"
    df.from_("scratch")
    df.copy("/usr/bin/app", from_stage=1, chown="1000:1000")
    assert text(df) == (
        "FROM golang:1 AS build\n\n"
        "RUN go build -o /out/app\n\n"
        "FROM alpine AS final\n\n"
        "COPY --from=build /out/app /usr/bin/app\n\n"
        "FROM scratch\n\n"
        "COPY --from=1 --chown=1000:1000 /usr/bin/app app\n"
    )
    assert df.context_files == ()


def test_copy_from_context_is_recorded():
    df = DockerFile("a")
    assert df.copy("src/app.py", "/app/app.py", chown="app:app") == "/app/app.py"
    assert df.copy("conf dir/", ctx_path="conf") == "conf"
    assert body(df) == 'COPY --chown=app:app /app/app.py /app/app.py\nCOPY ["conf", "conf dir"]\n'
    assert df.context_files == (
        ContextFile("src/app.py", "/app/app.py", "COPY --chown=app:app /app/app.py /app/app.py"),
        ContextFile("conf dir/", "conf", 'COPY ["conf", "conf dir"]'),
    )


def test_add_file_paths():
    df = DockerFile("a")
    assert df.add_file("/src/dir/") == "dir"
    assert df.add_file("x.txt", "/opt/my file.txt", remove_final=True) == "/opt/my file.txt"
    assert df.add_file("x.txt", "/opt/y.txt", ctx_path="ctx/x.txt", chown="u:g") == "ctx/x.txt"
    with pytest.raises(DockerfileValueError, match="whitespace"):
        df.add_file("my file", replace_space=False)
    df.finalize()
    # Docker only accepts paths with whitespace in the JSON form; the shell command quotes the path.
    assert body(df) == (
        "ADD dir dir\n"
        'ADD ["/opt/my file.txt", "/opt/my file.txt"]\n'
        "ADD --chown=u:g ctx/x.txt /opt/y.txt\n"
        "RUN rm -Rf '/opt/my file.txt'\n\n"
    )
    assert [(f.source, f.arcname) for f in df.context_files] == [
        ("/src/dir/", "dir"),
        ("x.txt", "/opt/my file.txt"),
        ("x.txt", "ctx/x.txt"),
    ]


def test_json_form_keeps_flags_in_front():
    df = DockerFile("a")
    df.copy("/build/my app", "/opt/app", from_stage="build", chown="u")
    assert body(df) == 'COPY --from=build --chown=u ["/build/my app", "/opt/app"]\n'


def test_add_file_expansion(monkeypatch):
    monkeypatch.setenv("DM_SRC", "/data")
    monkeypatch.setenv("HOME", "/home/u")
    df = DockerFile("a")
    df.add_file("$DM_SRC/f.txt", "~/f.txt", expandvars=True, expanduser=True)
    df.add_file("$DM_SRC/g.txt")
    assert body(df) == "ADD /home/u/f.txt /home/u/f.txt\nADD g.txt g.txt\n"
    assert [f.source for f in df.context_files] == ["/data/f.txt", "$DM_SRC/g.txt"]


@pytest.mark.parametrize("src", ["", "/", "//"])
def test_add_file_without_derivable_target_raises(src):
    df = DockerFile("a")
    with pytest.raises(ValueError, match="dst_path"):
        df.add_file(src)
    assert df.context_files == ()


def test_remove_final_keeps_order_and_deduplicates():
    df = DockerFile("a")
    df.add_file("/s/b.txt", remove_final=True)
    df.copy("/s/a.txt", "/tmp/a.txt", remove_final=True)
    df.add_file("/t/b.txt", remove_final=True)
    df.finalize()
    assert body(df).endswith("RUN rm -Rf b.txt\nRUN rm -Rf /tmp/a.txt\n\n")


def test_add_archive(tmp_path):
    archive_path = tmp_path / "a.tar"
    with tarfile.open(archive_path, "w") as archive:
        for name in ["top.txt", "dir", "dir/inner.txt", "./dot/x", "my file"]:
            info = tarfile.TarInfo(name)
            archive.addfile(info, io.BytesIO(b""))
    df = DockerFile("a")
    assert df.add_archive(str(archive_path), remove_final=True) == ["top.txt", "dir", "dot", "my file"]
    assert df.context_archives == (str(archive_path),)
    df.finalize()
    assert body(df) == (
        'ADD top.txt top.txt\nADD dir dir\nADD dot dot\nADD ["my file", "my file"]\n'
        "RUN rm -Rf top.txt\nRUN rm -Rf dir\nRUN rm -Rf dot\nRUN rm -Rf 'my file'\n\n"
    )


def test_add_volume():
    df = DockerFile("a")
    df.add_volume("/data")
    df.add_volume("/logs")
    assert df.volumes == ["/data", "/logs"]
    df.finalize()
    assert body(df) == 'VOLUME ["/data", "/logs"]\n'


# --- deferred properties and finalize ------------------------------------------------------------------


def test_finalize_order_with_every_property():
    df = DockerFile("a")
    df.add_file("/x/f", remove_final=True)
    df.volumes = ["/v"]
    df.command_user = "nobody"
    df.command_workdir = "/srv"
    df.shell = ["/bin/bash", "-c"]
    df.entrypoint = "/entry.sh --flag"
    df.command = ["serve", 8000]
    df.expose = 8000
    df.labels = [("version", "1")]
    df.stopsignal = "SIGTERM"
    df.healthcheck = "CMD curl -f http://localhost/"
    df.finalize()
    assert body(df) == (
        "ADD f f\n"
        "RUN rm -Rf f\n\n"
        'VOLUME ["/v"]\n'
        "USER nobody\n"
        "WORKDIR /srv\n"
        'SHELL ["/bin/bash", "-c"]\n'
        'ENTRYPOINT ["/entry.sh", "--flag"]\n'
        'CMD ["serve", "8000"]\n'
        "EXPOSE 8000\n"
        'LABEL "version"="1"\n'
        "STOPSIGNAL SIGTERM\n"
        "HEALTHCHECK CMD curl -f http://localhost/\n"
    )


def test_shell_form_and_verbatim_shell():
    df = DockerFile("a", command_shell=True, entrypoint=["/bin/sh", "-c"], command="run it", shell='["pwsh"]')
    df.finalize()
    assert body(df) == 'SHELL ["pwsh"]\nENTRYPOINT /bin/sh -c\nCMD run it\n'


def test_empty_values():
    # An empty CMD/ENTRYPOINT resets the base image's; empty VOLUME/EXPOSE would be invalid and are omitted.
    df = DockerFile("a", command="", entrypoint=[], volumes=[], labels={}, expose=[""], healthcheck="")
    df.finalize()
    assert body(df) == "ENTRYPOINT []\nCMD []\n"


def test_finalize_twice_writes_once():
    df = DockerFile("a", command="x")
    df.finalize()
    df.finalize()
    assert body(df) == 'CMD ["x"]\n'


PROPERTIES = [
    "volumes",
    "entrypoint",
    "command",
    "command_shell",
    "command_user",
    "command_workdir",
    "expose",
    "labels",
    "shell",
    "stopsignal",
    "healthcheck",
]


@pytest.mark.parametrize("prop", PROPERTIES)
def test_property_setter_after_finalize(prop):
    df = DockerFile("a")
    value = "80" if prop == "expose" else "value"
    setattr(df, prop, value)
    assert getattr(df, prop) == value
    df.finalize()
    with pytest.raises(FinalizedError):
        setattr(df, prop, "other")
    assert getattr(df, prop) == value


@pytest.mark.parametrize(
    "call",
    [
        lambda df: df.run("x"),
        lambda df: df.write("x"),
        lambda df: df.blank(),
        lambda df: df.comment("c"),
        lambda df: df.arg("A"),
        lambda df: df.env(A=1),
        lambda df: df.from_("b"),
        lambda df: df.add_file("/x/y"),
        lambda df: df.copy("/x", "/y", from_stage="s"),
        lambda df: df.add_volume("/v"),
    ],
)
def test_modifying_after_finalize_raises(call):
    df = DockerFile("a")
    df.finalize()
    before = df.getvalue()
    with pytest.raises(FinalizedError):
        call(df)
    assert df.getvalue() == before


def test_save_finalizes_and_writes(tmp_path):
    df = DockerFile("a", command="x")
    target = tmp_path / "Dockerfile"
    df.save(str(target))
    assert df.finalized is True
    assert target.read_bytes() == b'FROM a\n\nCMD ["x"]\n'


def test_context_manager_closes_buffer():
    with DockerFile("a") as df:
        df.run("x")
        assert df.getvalue() == b"FROM a\n\nRUN x\n"
    assert df.fileobj.closed is True
    assert df.finalized is False


def test_getvalue_is_bytes():
    assert isinstance(DockerFile("a").getvalue(), bytes)


def test_windows_separators_are_replaced(monkeypatch):
    monkeypatch.setattr(os, "sep", "\\")
    assert prepare_path("a\\b c", True, True, False, False) == "a/b\\ c"
    assert prepare_path("a\\b", False, False, False, False) == "a\\b"


# --- values that cannot be written safely --------------------------------------------------------------

NEWLINE = "x\nRUN touch /INJECTED"


@pytest.mark.parametrize(
    ("instruction", "call"),
    [
        ("FROM", lambda df: df.from_(NEWLINE)),
        ("FROM", lambda df: df.from_("a", "st age")),
        ("MAINTAINER", lambda df: DockerFile("a", maintainer=NEWLINE)),
        ("#", lambda df: df.comment(NEWLINE)),
        ("RUN", lambda df: df.run(NEWLINE)),
        ("RUN", lambda df: df.run("echo \\")),
        ("RUN", lambda df: df.run("echo \\\n")),
        ("RUN", lambda df: df.run("\nRUN x")),
        ("RUN", lambda df: df.run_join("a", "b\rc")),
        ("ARG", lambda df: df.arg("A", NEWLINE)),
        ("ENV", lambda df: df.env(A=NEWLINE)),
        ("ADD", lambda df: df.add_file("a", NEWLINE)),
        ("ADD", lambda df: df.add_file("a", "/b", ctx_path="*.txt")),
        ("ADD", lambda df: df.add_file("a", "/b", ctx_path="f[1]")),
        ("ADD", lambda df: df.add_file("a", "/b\\c")),
        ("ADD", lambda df: df.add_file("a", "/b", chown="root;touch /x")),
        ("COPY", lambda df: df.copy("/a", "/b", from_stage="x y")),
        ("COPY", lambda df: df.copy("a", "b?")),
    ],
)
def test_values_refused_when_written(instruction, call):
    with pytest.raises(DockerfileValueError) as info:
        call(DockerFile("a"))
    assert info.value.instruction.startswith(instruction)
    assert str(info.value).startswith(info.value.instruction + ":")


@pytest.mark.parametrize(
    ("prop", "value", "instruction"),
    [
        ("volumes", ["/a", NEWLINE], "VOLUME"),
        ("volumes", ["/a "], "VOLUME"),
        ("command_user", NEWLINE, "USER"),
        ("command_workdir", NEWLINE, "WORKDIR"),
        ("shell", NEWLINE, "SHELL"),
        ("command", NEWLINE, "CMD"),
        ("command", ["echo", NEWLINE], "CMD"),
        ("entrypoint", "run \\", "ENTRYPOINT"),
        ("expose", "80; touch /x", "EXPOSE"),
        ("expose", ["80\n"], "EXPOSE"),
        ("labels", {"a": NEWLINE}, "LABEL"),
        ("labels", {"a=b": "c"}, "LABEL"),
        ("labels", {"": "c"}, "LABEL"),
        ("labels", NEWLINE, "LABEL"),
        ("stopsignal", "SIGTERM; touch /x", "STOPSIGNAL"),
        ("healthcheck", NEWLINE, "HEALTHCHECK"),
    ],
)
def test_final_values_refused_before_anything_is_written(prop, value, instruction):
    df = DockerFile("a", command_shell=True)
    setattr(df, prop, value)
    before = df.getvalue()
    with pytest.raises(DockerfileValueError) as info:
        df.finalize()
    assert info.value.instruction == instruction
    assert df.getvalue() == before and not df.finalized


def test_run_keeps_line_continuations():
    df = DockerFile("a")
    df.run("apt-get update && \\\n    apt-get install x \\\n\n    curl")
    assert body(df) == "RUN apt-get update && \\\n    apt-get install x \\\n\n    curl\n"


def test_values_are_quoted_for_their_instruction():
    df = DockerFile(
        "a",
        volumes=["/v/$(id) 'q'", "/plain"],
        cmd_user='it\'s "u"',
        cmd_workdir="/w/$HOME dir",
        command_shell=True,
        command=["echo", "$(id)", "a;b"],
        expose="80 443/udp",
        stopsignal="SIGRTMIN+3",
    )
    df.add_file("src", "/dst/it's $(x)")
    df.copy("src", "--x", ctx_path="ctx", remove_final=True)
    df.finalize()
    assert body(df) == (
        'ADD ["/dst/it\\\\\'s \\\\$(x)", "/dst/it\\\\\'s \\\\$(x)"]\n'
        'COPY ["ctx", "--x"]\n'
        "RUN rm -Rf ./--x\n\n"
        'VOLUME ["/v/\\\\$(id) \\\\\'q\\\\\'", "/plain"]\n'
        'USER "it\'s \\"u\\""\n'
        'WORKDIR "/w/\\$HOME dir"\n'
        "CMD echo '$(id)' 'a;b'\n"
        "EXPOSE 80 443/udp\n"
        "STOPSIGNAL SIGRTMIN+3\n"
    )


def test_context_paths_stay_inside_the_context(tmp_path):
    df = DockerFile("a")
    with pytest.raises(ContextPathError, match="'../x' leads outside the build context"):
        df.add_file("a", "/b", ctx_path="../x")
    with pytest.raises(ContextPathError):
        df.copy("a", "../../etc/x")
    assert df.add_file("a", "/b", ctx_path="/abs/../x") == "/abs/../x"


@pytest.mark.parametrize(
    ("name", "kind", "linkname"),
    [
        ("../escape", tarfile.REGTYPE, ""),
        ("/etc/escape", tarfile.REGTYPE, ""),
        ("dir/../../escape", tarfile.REGTYPE, ""),
        ("link", tarfile.LNKTYPE, "../outside"),
        ("link", tarfile.LNKTYPE, "/etc/passwd"),
        ("sym/file", tarfile.REGTYPE, ""),
    ],
)
def test_add_archive_refuses_members_leaving_the_context(tmp_path, name, kind, linkname):
    archive_path = tmp_path / "a.tar"
    with tarfile.open(archive_path, "w") as archive:
        link = tarfile.TarInfo("sym")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc"
        archive.addfile(link)
        info = tarfile.TarInfo(name)
        info.type, info.linkname = kind, linkname
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(ContextPathError):
        DockerFile("a").add_archive(str(archive_path))
