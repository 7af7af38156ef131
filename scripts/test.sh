#!/usr/bin/env bash
# The whole test suite: lint, unit tests, real-engine integration tests and the docs build.
# Extra arguments go to pytest (e.g. scripts/test.sh -k context). Without them, the run also reports
# the coverage of the pure packages and fails below its floor (pyproject.toml, [tool.coverage.report]).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
coverage=()
if [ $# -eq 0 ]; then
    # A data file of this run only: two runs in one checkout must not share it.
    coverage=(--cov --cov-report=term)
    COVERAGE_FILE=$(mktemp -u /tmp/dockermap-coverage.XXXXXX)
    export COVERAGE_FILE
    trap 'rm -f "$COVERAGE_FILE"' EXIT
fi
scripts/with-engine.sh .venv/bin/python -m pytest "${coverage[@]}" "$@"
