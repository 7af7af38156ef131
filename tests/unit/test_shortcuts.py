"""Shell command formatters: exact strings, distribution mappings, and quoting checked in a real ``sh``."""

from __future__ import annotations

import doctest
import os
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockermap import shortcuts
from dockermap.shortcuts import (
    CMD_ARG_MAPPING,
    CmdArgMappings,
    addgroup,
    addgroupuser,
    adduser,
    assignuser,
    chmod,
    chown,
    curl,
    get_user_group,
    mkdir,
    mkdir_chown,
    rm,
    str_arg,
    tar,
    targz,
    untar,
    untargz,
    wget,
)
from tests.helpers import BUSYBOX_BINARY, REPO_ROOT

DEBIAN_NO_LOGIN = "--disabled-login --no-create-home --disabled-password"


# --- quoting and flag rendering ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("plain", "plain"),
        (1000, "1000"),
        ("/srv/app-1.2/x_y", "/srv/app-1.2/x_y"),
        ("", "''"),
        ("it's", "'it'\"'\"'s'"),
        ("a b", "'a b'"),
        ("$(id)", "'$(id)'"),
        ("a;b", "'a;b'"),
    ],
)
def test_str_arg(value, quoted):
    assert str_arg(value) == quoted


def test_str_arg_refuses_nul():
    with pytest.raises(ValueError, match="NUL"):
        str_arg("a\0b")


def test_flags_follow_the_rendering_rules():
    assert shortcuts._format_cmd("cmd", "x y", _R=True, _f=False, _o=None, _C="/t t", __long_name=1) == (
        "cmd -R -C '/t t' --long-name 1 'x y'"
    )
    assert shortcuts._format_cmd("cmd", "p", **{"-s /sbin/nologin": True}) == "cmd -s /sbin/nologin p"


def test_tuple_flag_values_write_their_words_only_when_the_condition_holds():
    assert shortcuts._format_cmd("cmd", "p", extra=(True, "a b", 2)) == "cmd 'a b' 2 p"
    assert shortcuts._format_cmd("cmd", "p", extra=(False, "a b")) == "cmd p"
    assert shortcuts._format_cmd("cmd", "p", extra=()) == "cmd p"


@pytest.mark.parametrize("key", ["a b;c", "x$(id)", "-o 'x'", "a  b", ""])
def test_flag_names_needing_quotes_are_refused(key):
    with pytest.raises(ValueError, match="Invalid option name"):
        shortcuts._format_cmd("cmd", "p", **{key: True})


def test_a_positional_named_cmd_is_no_clash():
    assert shortcuts._format_cmd("tar", cmd="x") == "tar cmd x"


# --- simple helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (("www", "staff"), "www:staff"),
        (["www", 50], "www:50"),
        (1000, "1000:1000"),
        (0, "0:0"),
        ("www", "www:www"),
        ("www:staff", "www:staff"),
        (("a b", 2), "a b:2"),
    ],
)
def test_get_user_group(value, expected):
    assert get_user_group(value) == expected


def test_get_user_group_needs_a_pair():
    with pytest.raises(ValueError, match=r"\('a', 'b', 'c'\).*pair"):
        get_user_group(("a", "b", "c"))


def test_rm():
    assert rm("/tmp/x") == "rm /tmp/x"
    assert rm("/tmp/x", recursive=True) == "rm -R /tmp/x"
    assert rm("/tmp/x y", recursive=True, force=True) == "rm -R -f '/tmp/x y'"


def test_chown():
    assert chown("www", "/srv") == "chown -R www:www /srv"
    assert chown(1000, "/srv", recursive=False) == "chown 1000:1000 /srv"
    assert chown(("www", "staff"), "/srv") == "chown -R www:staff /srv"


def test_chown_quotes_the_owner_once():
    # The classic library quoted the pair's elements and then the whole value again.
    assert chown(("a b", 2), "/p q") == "chown -R 'a b:2' '/p q'"


def test_chmod():
    assert chmod("ug=rwX,o=rX", "/srv") == "chmod -R ug=rwX,o=rX /srv"
    assert chmod(755, "/srv", recursive=False) == "chmod 755 /srv"


def test_curl():
    assert curl("http://example.com/a?b=1&c=2") == "curl 'http://example.com/a?b=1&c=2'"
    assert curl("http://h/f", "out file") == "curl -o 'out file' http://h/f"


def test_wget_keeps_the_log_file_option_and_offers_the_output_document():
    assert wget("http://h/f") == "wget http://h/f"
    assert wget("http://h/f", "f.log") == "wget -o f.log http://h/f"
    assert wget("http://h/f", output_document="/tmp/f") == "wget -O /tmp/f http://h/f"
    with pytest.raises(TypeError):
        wget("http://h/f", "f.log", "/tmp/f")


def test_tar_and_untar():
    assert tar("a.tar", "/src") == "tar -cf a.tar /src"
    assert tar("a.tar", "/src", _v=True) == "tar -cf a.tar -v /src"
    assert untar("a.tar") == "tar -xf a.tar"
    assert untar("a.tar", "/t") == "tar -xf a.tar -C /t"
    assert untar("a b.tar", "/t u", _v=True) == "tar -xf 'a b.tar' -C '/t u' -v"


def test_targz_and_untargz():
    assert targz("a.tgz", "/src") == "tar -cf a.tgz -z /src"
    assert targz("a.tgz", "/src", _v=True) == "tar -cf a.tgz -z -v /src"
    assert untargz("a.tgz") == "tar -xf a.tgz -z"
    assert untargz("a.tgz", "/t", _v=True) == "tar -xf a.tgz -C /t -z -v"


def test_mkdir():
    assert mkdir("/srv/a") == "mkdir -p /srv/a"
    assert mkdir("/srv/a", create_parent=False) == "mkdir /srv/a"
    assert mkdir("/srv/a b", check_if_exists=True) == "if [ ! -d '/srv/a b' ]; then mkdir -p '/srv/a b'; fi"


@pytest.mark.parametrize("shell", ["sh", "busybox"])
def test_mkdir_check_if_exists_runs_in_posix_shells(shell, tmp_path):
    argv = _shell_argv(shell)
    (tmp_path / "there").mkdir()
    script = "; ".join(mkdir(name, check_if_exists=True) for name in ("there", "new dir", "a/b"))
    proc = subprocess.run([*argv, script], cwd=tmp_path, capture_output=True, text=True)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "a",
        "a/b",
        "new dir",
        "there",
    ]


# --- mkdir_chown --------------------------------------------------------------------------------------


def test_mkdir_chown_one_path():
    assert mkdir_chown("/srv/a") == "mkdir -p /srv/a && chmod ug=rwX,o=rX /srv/a"
    assert mkdir_chown("/srv/a", "www", recursive=True) == (
        "mkdir -p /srv/a && chown -R www:www /srv/a && chmod -R ug=rwX,o=rX /srv/a"
    )
    assert mkdir_chown("/srv/a", 0, permissions=None, return_list=True) == [
        "mkdir -p /srv/a",
        "chown 0:0 /srv/a",
    ]
    assert mkdir_chown("/srv/a", permissions="", create_parent=False, check_if_exists=True) == (
        "if [ ! -d /srv/a ]; then mkdir /srv/a; fi"
    )


def test_mkdir_chown_several_paths():
    assert mkdir_chown(["/a", "/b"], ("u", "g"), permissions="750") == (
        "mkdir -p /a && chown u:g /a && chmod 750 /a; mkdir -p /b && chown u:g /b && chmod 750 /b"
    )
    assert mkdir_chown(("/a",), return_list=True) == [["mkdir -p /a", "chmod ug=rwX,o=rX /a"]]


# --- users and groups ---------------------------------------------------------------------------------


def test_mapping_table():
    assert [m.value for m in CmdArgMappings] == ["debian", "busybox", "centos"]
    assert repr(CmdArgMappings.CENTOS) == "CmdArgMappings.CENTOS"
    assert CMD_ARG_MAPPING[CmdArgMappings.DEBIAN] == {
        "no_login": "--disabled-login",
        "no_create_home": "--no-create-home",
        "no_password": "--disabled-password",
        "gecos": "--gecos",
        "system_user": "--system",
    }
    assert CMD_ARG_MAPPING[CmdArgMappings.CENTOS] == {
        "no_login": "-s /sbin/nologin",
        "no_create_home": "--no-create-home",
        "no_password": None,
        "gecos": "--comment",
        "system_user": "--system",
    }
    assert CMD_ARG_MAPPING[CmdArgMappings.BUSYBOX] == {
        "no_login": "-s /sbin/nologin",
        "no_create_home": "-H",
        "no_password": "-D",
        "gecos": "-g",
        "system_user": "-S",
    }


def test_adduser_verified_example():
    assert adduser("u", uid=1000) == f"adduser -u 1000 {DEBIAN_NO_LOGIN} --gecos '' u"


def test_addgroupuser_verified_example():
    assert addgroupuser("u", ["g1"], uid=1000, system=True) == (
        f"adduser -u 1000 -G g1 {DEBIAN_NO_LOGIN} --gecos '' --system u"
    )


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, f"adduser {DEBIAN_NO_LOGIN} --gecos '' u"),
        ({"no_login": False}, "adduser --gecos '' u"),
        (
            {"no_login": False, "no_password": True, "gecos": "A B"},
            "adduser --disabled-password --gecos 'A B' u",
        ),
        (
            {"uid": 0, "no_create_home": False},
            "adduser -u 0 --disabled-login --disabled-password --gecos '' u",
        ),
        ({"_h": "/home/x", "system": "yes"}, f"adduser -h /home/x {DEBIAN_NO_LOGIN} --gecos '' --system u"),
        ({"arg_mapping": "centos"}, "adduser -s /sbin/nologin --no-create-home u"),
        (
            {"arg_mapping": "centos", "uid": 5, "gecos": "x", "system": True},
            ("adduser -u 5 -s /sbin/nologin --no-create-home --comment x --system u"),
        ),
        ({"arg_mapping": CmdArgMappings.BUSYBOX}, "adduser -s /sbin/nologin -H -D u"),
        ({"arg_mapping": CmdArgMappings.BUSYBOX, "no_login": False, "gecos": "G"}, "adduser -g G u"),
    ],
)
def test_adduser_mappings(kwargs, expected):
    assert adduser("u", **kwargs) == expected


def test_adduser_refuses_unsupported_options():
    with pytest.raises(ValueError, match=r"^Argument no_password is not supported on centos\.$"):
        adduser("u", no_password=True, arg_mapping=CmdArgMappings.CENTOS)
    with pytest.raises(ValueError, match="not a valid CmdArgMappings"):
        adduser("u", arg_mapping="alpine")


def test_addgroup():
    assert addgroup("g") == "addgroup g"
    assert addgroup("g", 50, system=True) == "addgroup -g 50 --system g"
    assert addgroup("g", 0, system="any truthy value", _q=True) == "addgroup -g 0 -q --system g"
    assert addgroup("g", 50, system=True, arg_mapping="busybox") == "addgroup -g 50 -S g"
    assert addgroup("g", system=True, arg_mapping=CmdArgMappings.CENTOS) == "addgroup --system g"


def test_assignuser():
    assert assignuser("u", ["a", "b c"]) == "usermod -aG 'a,b c' u"
    assert assignuser("u", ["a", "b"], arg_mapping="centos", return_list=True) == ["usermod -aG a,b u"]
    assert assignuser("u", ["a", "b"], arg_mapping="busybox") == "adduser u a && adduser u b"
    assert assignuser("u", ["a", "b"], arg_mapping="busybox", return_list=True) == [
        "adduser u a",
        "adduser u b",
    ]
    assert assignuser("u", "staff") == "usermod -aG staff u"
    assert assignuser("u", [], return_list=True) == []
    assert assignuser("u", []) == ""


def test_addgroupuser():
    assert addgroupuser("u", ["a", "b"], no_login=False, return_list=True) == ["adduser -G a,b --gecos '' u"]
    assert addgroupuser("u", [], no_login=False) == "adduser --gecos '' u"
    assert addgroupuser("u", ["a", "b"], 7, arg_mapping="centos", gecos="c") == (
        "adduser -u 7 -G a,b -s /sbin/nologin --no-create-home --comment c u"
    )
    assert addgroupuser("u", ["a", "b"], 7, arg_mapping="busybox", _h="/h") == (
        "adduser -u 7 -h /h -s /sbin/nologin -H -D u && adduser u a && adduser u b"
    )
    assert addgroupuser("u", "a", arg_mapping="busybox", return_list=True) == [
        "adduser -s /sbin/nologin -H -D u",
        "adduser u a",
    ]


# --- injection: the produced commands run in real POSIX shells ---------------------------------------

# Functions named like the commands print their name, their argument count and their arguments,
# NUL-terminated, instead of running them; anything else in a command would run for real.
_RECORDED = ("rm", "chown", "chmod", "curl", "wget", "tar", "mkdir", "adduser", "addgroup", "usermod")
_PRELUDE = "".join(f'{name}() {{ printf "%s\\0" {name} "$#" "$@"; }}\n' for name in _RECORDED)
# Payloads touch a file in the canary directory (the marker is replaced by its path in the test).
_CANARY = "@CANARY@"
_PAYLOADS = [
    f"$(touch {_CANARY})",
    f"`touch {_CANARY}`",
    f"; touch {_CANARY}",
    f"| touch {_CANARY}",
    f"& touch {_CANARY}",
    f"&& touch {_CANARY} #",
    f"\ntouch {_CANARY}\n",
    f"' ; touch {_CANARY} ; '",
    f'" ; touch {_CANARY} ; "',
    "> written",
    "$HOME",
    "${IFS}",
    "~",
    "*",
    "?",
    "[a]",
    "{a,b}",
    "\\",
    "#",
    "!",
    "'",
    '"',
    " ",
    "\t",
    "\n",
    "-R",
    "",
]
_VALUE = st.lists(
    st.one_of(
        st.sampled_from(_PAYLOADS),
        st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=4),
    ),
    max_size=5,
).map("".join)


def _busybox_sh():
    """busybox's sh; its absence is an error (scripts/test.sh installs busybox-static), never a skip."""
    if not os.path.exists(BUSYBOX_BINARY):
        pytest.fail(f"{BUSYBOX_BINARY} is missing: install busybox-static (scripts/engine.sh install)")
    return [BUSYBOX_BINARY, "sh", "-c"]


def _shell_argv(shell):
    return _busybox_sh() if shell == "busybox" else [shell, "-c"]


def _shells():
    return [["sh", "-c"], _busybox_sh()]


def _run_recorded(argv, script, cwd):
    """Run ``script`` with the commands replaced by recorders; return ``[(command, [args...]), ...]``."""
    proc = subprocess.run([*argv, _PRELUDE + script], cwd=cwd, capture_output=True)
    assert (proc.returncode, proc.stderr) == (0, b""), script
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    assert fields.pop() == ""
    calls = []
    while fields:
        name, count = fields.pop(0), int(fields.pop(0))
        calls.append((name, fields[:count]))
        del fields[:count]
    return calls


def _cases(v):
    """(command string, expected recorded calls) for every helper, fed the generated values ``v``."""
    user, group, group2, path, path2, uid = (
        v["user"],
        v["group"],
        v["group2"],
        v["path"],
        v["path2"],
        v["uid"],
    )
    other, gecos = v["other"], v["gecos"]
    owner = user if ":" in user else f"{user}:{user}"
    debian_flags = ["--disabled-login", "--no-create-home", "--disabled-password", "--gecos", gecos]
    return [
        (rm(path, recursive=True, force=True), [("rm", ["-R", "-f", path])]),
        (chown((user, group), path), [("chown", ["-R", f"{user}:{group}", path])]),
        (chown(user, path, recursive=False), [("chown", [owner, path])]),
        (chmod(other, path), [("chmod", ["-R", other, path])]),
        (curl(other, path), [("curl", ["-o", path, other])]),
        (wget(other, path, output_document=path2), [("wget", ["-o", path, "-O", path2, other])]),
        (tar(path, path2, _C=other), [("tar", ["-cf", path, "-C", other, path2])]),
        (untar(path, path2), [("tar", ["-xf", path, "-C", path2])]),
        (targz(path, path2), [("tar", ["-cf", path, "-z", path2])]),
        (untargz(path, path2), [("tar", ["-xf", path, "-C", path2, "-z"])]),
        (mkdir(path), [("mkdir", ["-p", path])]),
        # Below a directory that does not exist, the path is never a directory: mkdir must run.
        (mkdir(f"absent/{path}", check_if_exists=True), [("mkdir", ["-p", f"absent/{path}"])]),
        (
            mkdir_chown([path, path2], (user, group), other, recursive=True),
            [
                call
                for p in (path, path2)
                for call in (
                    ("mkdir", ["-p", p]),
                    ("chown", ["-R", f"{user}:{group}", p]),
                    ("chmod", ["-R", other, p]),
                )
                if call[0] != "chmod" or other != ""  # empty permissions mean: no chmod
            ],
        ),
        (addgroup(group, uid, system=True), [("addgroup", ["-g", uid, "--system", group])]),
        (adduser(user, uid, gecos=gecos), [("adduser", ["-u", uid, *debian_flags, user])]),
        (
            adduser(user, uid, gecos=gecos, system=True, arg_mapping="busybox"),
            [("adduser", ["-u", uid, "-s", "/sbin/nologin", "-H", "-D", "-g", gecos, "-S", user])],
        ),
        (assignuser(user, [group, group2]), [("usermod", ["-aG", f"{group},{group2}", user])]),
        (
            assignuser(user, [group, group2], arg_mapping="busybox"),
            [("adduser", [user, group]), ("adduser", [user, group2])],
        ),
        (
            addgroupuser(user, [group, group2], uid, gecos=gecos),
            [("adduser", ["-u", uid, "-G", f"{group},{group2}", *debian_flags, user])],
        ),
        (
            addgroupuser(user, [group, group2], uid, gecos=gecos, arg_mapping="centos"),
            [
                (
                    "adduser",
                    [
                        "-u",
                        uid,
                        "-G",
                        f"{group},{group2}",
                        "-s",
                        "/sbin/nologin",
                        "--no-create-home",
                        "--comment",
                        gecos,
                        user,
                    ],
                )
            ],
        ),
        (
            addgroupuser(user, [group], uid, arg_mapping=CmdArgMappings.BUSYBOX),
            [("adduser", ["-u", uid, "-s", "/sbin/nologin", "-H", "-D", user]), ("adduser", [user, group])],
        ),
    ]


@pytest.fixture(scope="module")
def canary_dir(tmp_path_factory):
    """A directory that stays empty unless an injected ``touch`` runs."""
    return str(tmp_path_factory.mktemp("canary"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {key: _VALUE for key in ("user", "group", "group2", "path", "path2", "uid", "other", "gecos")}
    )
)
def test_every_value_arrives_as_one_literal_argument(canary_dir, values):
    cases = _cases({key: value.replace(_CANARY, f"{canary_dir}/pwned") for key, value in values.items()})
    script = "\n".join(command for command, _ in cases)
    expected = [call for _, calls in cases for call in calls]
    for argv in _shells():
        cwd = tempfile.mkdtemp(prefix="dockermap-sh-")
        try:
            calls = _run_recorded(argv, script, cwd)
            written = os.listdir(cwd)
        finally:
            shutil.rmtree(cwd)
            injected = os.listdir(canary_dir)
            for name in injected:
                os.remove(os.path.join(canary_dir, name))
        assert injected == [], "an injected command ran"
        assert written == [], "the command wrote to the working directory"
        assert calls == expected


def test_a_substitution_payload_is_not_executed(tmp_path):
    # One fixed example of the property above, readable on its own.
    canary = tmp_path / "pwned"
    payload = f"$(touch {canary}) `touch {canary}`; touch {canary}"
    for argv in _shells():
        assert _run_recorded(argv, rm(payload, force=True), tmp_path) == [("rm", ["-f", payload])]
    assert not canary.exists()


# --- the guide's examples -----------------------------------------------------------------------------


def test_guide_examples():
    result = doctest.testfile(
        str(REPO_ROOT / "docs" / "guide-shortcuts.rst"), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize(
    "value, on",
    [(1, True), (0, False), (True, True), (False, False), (None, False), ("true", True), ("false", False)]
    + [("TRUE", True), ("0", False), ("1", True), ("no", False), ("yes", True), ("off", False), ("", False)],
)
def test_switches_are_on_or_off_and_never_take_a_value(value, on):
    assert shortcuts.switch(value) is on
    flag = " -R" if on else ""
    assert rm("1", recursive=value) == f"rm{flag} 1"
    assert chown(1000, "1", recursive=value) == f"chown{flag} 1000:1000 1"
    assert chmod("700", "1", recursive=value) == f"chmod{flag} 700 1"
    assert mkdir("1", create_parent=value) == ("mkdir -p 1" if on else "mkdir 1")
    assert ("if [" in mkdir("1", check_if_exists=value)) is on
    assert ("--system" in addgroup("g", system=value)) is on
    assert ("-H" in adduser("u", no_login=False, no_create_home=value, arg_mapping="busybox")) is on
    assert ("-D" in adduser("u", no_login=False, no_password=value, arg_mapping="busybox")) is on


def test_rm_with_numeric_switches_removes_only_the_path():
    assert rm("path", 1, 1) == "rm -R -f path"
