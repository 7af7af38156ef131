"""A ``dockermap update`` that finds nothing to do never imports the Docker SDK, PyYAML (the unchanged map
file was parsed before) or logging (nothing is logged): it reads the engine through the standard library
and so starts about as fast as the interpreter allows. A ``shutdown`` stops and removes through the
standard library too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Tuple

from tests.helpers import ok

HEAVY = ("docker", "requests", "urllib3", "yaml", "logging")

MAP_FILE = """\
name: {map_name}
volumes:
  data: /data
first:
  image: {image}
  attaches: data
  stop_timeout: 1
  create_options:
    command: [sleep, "600"]
    environment: {{MODE: {mode}}}
second:
  image: {image}
  uses: data
  stop_timeout: 1
  create_options:
    command: [sleep, "600"]
"""


def _update(engine, map_file: Path, *command: str) -> Tuple[str, List[str], str]:
    """The output of ``dockermap -f map_file update`` (or another command), the heavy modules it loaded and
    its errors."""
    script = (
        "import sys\n"
        "from dockermap.cli import main\n"
        f"code = main(['-f', {str(map_file)!r}, *{list(command or ['update'])!r}])\n"
        f"print('LOADED', *[m for m in {HEAVY!r} if m in sys.modules])\n"
        "sys.exit(code)\n"
    )
    env = {**os.environ, "DOCKER_HOST": engine.base_url}
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    *output, loaded = proc.stdout.splitlines()
    return "\n".join(output), loaded.split()[1:], proc.stderr


def test_noop_update_and_shutdown_load_no_sdk_a_change_does(command, engine, base_image, cleanup, tmp_path):
    map_name = cleanup.name("lean")
    map_file = tmp_path / "map.yaml"
    map_file.write_text(MAP_FILE.format(map_name=map_name, image=base_image, mode="one"))
    ok(command(tmp_path, "-f", str(map_file), "startup"))
    try:
        output, loaded, errors = _update(engine, map_file)
        assert (output, loaded, errors) == ("nothing to do", [], "")

        map_file.write_text(MAP_FILE.format(map_name=map_name, image=base_image, mode="two"))
        output, loaded, _ = _update(engine, map_file)
        assert "action(s) done" in output and {"docker", "yaml", "logging"} <= set(loaded)
        assert "MODE=two" in engine.api.inspect_container(f"{map_name}.first")["Config"]["Env"]

        # Nothing to do but a warning: logging is loaded for it and the display shows it as before.
        map_file.write_text(
            MAP_FILE.format(map_name=map_name, image=base_image, mode="two").split("second:")[0]
        )
        output, loaded, errors = _update(engine, map_file)
        assert output == "nothing to do" and "docker" not in loaded and "logging" in loaded
        assert errors.startswith("dockermap: warning: ") and f"{map_name}.second" in errors

        map_file.write_text(MAP_FILE.format(map_name=map_name, image=base_image, mode="two"))
        output, loaded, _ = _update(engine, map_file, "shutdown", "--volumes")
        assert "action(s) done" in output and not {"docker", "requests", "urllib3"} & set(loaded)
        assert engine.api.containers(all=True, filters={"name": map_name}) == []
        assert engine.api.volumes(filters={"name": map_name})["Volumes"] in (None, [])
    finally:
        ok(command(tmp_path, "-f", str(map_file), "shutdown", "--volumes"))
