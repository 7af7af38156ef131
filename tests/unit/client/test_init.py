import pytest

from dockermap.client import api_version_at_least, parse_api_version, use_force_tag, use_get_archive


@pytest.mark.parametrize(
    ("text", "expected"), [("1.41", (1, 41)), ("1.9", (1, 9)), ("2", (2,)), ((1, 24), (1, 24))]
)
def test_parse_api_version(text, expected):
    assert parse_api_version(text) == expected


def test_versions_compare_numerically_not_as_text():
    assert api_version_at_least("1.41", "1.9")
    assert not api_version_at_least("1.9", "1.41")
    assert api_version_at_least("1.24", (1, 24))


def test_parse_api_version_rejects_garbage():
    with pytest.raises(ValueError, match="'auto'"):
        parse_api_version("auto")


def test_legacy_switches():
    assert use_force_tag("1.23") and not use_force_tag("1.24")
    assert use_get_archive("1.20") and not use_get_archive("1.19")


def test_package_module_does_not_import_docker():
    import subprocess
    import sys

    code = "import sys, dockermap.client; print('docker' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
