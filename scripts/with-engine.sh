#!/usr/bin/env bash
# Run a command with DOCKER_HOST pointing at a Docker Engine.
# A DOCKER_HOST that answers is used as it is and left running; otherwise a private engine is
# started in a fresh state directory and stopped (and its state removed) when the command ends.
set -euo pipefail
cd "$(dirname "$0")/.."

answers() {
    .venv/bin/python - "$1" <<'PY' 2>/dev/null
import sys, docker
docker.APIClient(base_url=sys.argv[1], version="auto", timeout=5).ping()
PY
}

if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then
    echo "engine: using DOCKER_HOST=$DOCKER_HOST" >&2
    scripts/engine.sh install
else
    state=$(mktemp -d /tmp/dockermap-engine.XXXXXX)
    trap 'scripts/engine.sh stop "$state"' EXIT
    DOCKER_HOST=$(scripts/engine.sh start "$state")
    # The tests may restart this engine if it hangs (tests/conftest.py).
    DOCKERMAP_TEST_ENGINE_DIR=$state
    export DOCKER_HOST DOCKERMAP_TEST_ENGINE_DIR
    echo "engine: started a private dockerd at $DOCKER_HOST" >&2
fi
"$@"
