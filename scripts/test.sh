#!/usr/bin/env bash
# The whole test suite: lint, unit tests, real-engine integration tests and the docs build.
# Extra arguments go to pytest (e.g. scripts/test.sh -k context).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
scripts/with-engine.sh .venv/bin/python -m pytest "$@"
