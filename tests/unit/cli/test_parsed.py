"""Parsed files kept between runs: used only for the same bytes, never for tagged or non-plain files."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap

import pytest

from dockermap.cli import parsed
from dockermap.cli.inputs import _read
from dockermap.cli.parsed import MISSING, ParsedFile
from tests.helpers import REPO_ROOT

MAP = "name: app\nweb:\n  image: web:1\n  exposes: [80]\ndb:\n  image: db:1\n"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DOCKERMAP_NO_CACHE", raising=False)
    return tmp_path / "cache" / "dockermap" / "parsed"


def write(path, text):
    path.write_text(text)
    return str(path)


def test_an_unchanged_file_is_read_from_what_was_kept(tmp_path, cache):
    path = write(tmp_path / "map.yaml", MAP)
    assert ParsedFile(path).document is MISSING
    document = _read(path)
    kept = ParsedFile(path).document
    assert kept == document and kept is not document
    (entry,) = cache.iterdir()
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_a_changed_file_is_parsed_again_even_with_the_same_size_and_time(tmp_path, cache):
    path = write(tmp_path / "map.yaml", MAP)
    _read(path)
    times = os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns
    write(tmp_path / "map.yaml", MAP.replace("web:1", "web:2"))
    os.utime(path, ns=times)
    assert _read(path)["web"]["image"] == "web:2"
    assert ParsedFile(path).document["web"]["image"] == "web:2"


def test_each_path_has_its_own_entry(tmp_path, cache):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write(tmp_path / "a" / "map.yaml", MAP)
    second = write(tmp_path / "b" / "map.yaml", MAP.replace("web:1", "web:3"))
    assert (_read(first)["web"]["image"], _read(second)["web"]["image"]) == ("web:1", "web:3")
    assert ParsedFile(first).document["web"]["image"] == "web:1"
    assert ParsedFile(second).document["web"]["image"] == "web:3"


def test_a_file_with_tags_is_not_kept_as_they_read_more_than_the_file(tmp_path, cache, monkeypatch):
    path = write(tmp_path / "map.yaml", "name: app\nweb:\n  image: !env '${IMAGE}'\n")
    monkeypatch.setenv("IMAGE", "one")
    assert _read(path)["web"]["image"] == "one"
    assert ParsedFile(path).document is MISSING
    monkeypatch.setenv("IMAGE", "two")
    assert _read(path)["web"]["image"] == "two"


def test_a_file_with_other_than_plain_data_is_not_kept(tmp_path, cache):
    path = write(
        tmp_path / "map.yaml", "name: app\nweb:\n  image: web\n  environment: {STARTED: 2024-01-02}\n"
    )
    assert str(_read(path)["web"]["environment"]["STARTED"]) == "2024-01-02"
    assert ParsedFile(path).document is MISSING


def test_turned_off_nothing_is_written(tmp_path, cache, monkeypatch):
    monkeypatch.setenv("DOCKERMAP_NO_CACHE", "1")
    path = write(tmp_path / "map.yaml", MAP)
    _read(path)
    assert not cache.exists() and ParsedFile(path).document is MISSING


def test_a_damaged_or_foreign_entry_is_not_used(tmp_path, cache):
    path = write(tmp_path / "map.yaml", MAP)
    _read(path)
    (entry,) = cache.iterdir()
    entry.write_bytes(b"\x00garbage")
    assert ParsedFile(path).document is MISSING
    assert _read(path)["web"]["image"] == "web:1"  # and kept again
    assert ParsedFile(path).document is not MISSING
    cache.chmod(0o777)  # others could have written it
    assert ParsedFile(path).document is MISSING


def test_a_directory_that_cannot_be_written_only_means_nothing_is_kept(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    path = write(tmp_path / "map.yaml", MAP)
    assert _read(path)["db"]["image"] == "db:1"
    assert ParsedFile(path).document is MISSING


def test_entries_of_another_version_are_not_used(tmp_path, cache, monkeypatch):
    path = write(tmp_path / "map.yaml", MAP)
    _read(path)
    monkeypatch.setattr(parsed, "_FORMAT", (*parsed._FORMAT[:2], "0.0.0", *parsed._FORMAT[3:]))
    assert ParsedFile(path).document is MISSING


def test_the_second_run_on_an_unchanged_file_does_not_load_pyyaml(tmp_path, cache):
    path = write(tmp_path / "map.yaml", MAP)
    script = textwrap.dedent(
        f"""
        import sys
        from dockermap.cli.inputs import load_inputs
        inputs = load_inputs([{path!r}])
        print(sorted(inputs.maps["app"].containers.keys()), "yaml" in sys.modules)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    def run():
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    assert run() == "['db', 'web'] True"
    assert run() == "['db', 'web'] False"
