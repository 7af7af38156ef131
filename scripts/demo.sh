#!/usr/bin/env bash
# The getting-started demo, on DOCKER_HOST if it answers, else on a private engine (see with-engine.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh
scripts/with-engine.sh .venv/bin/python examples/getting_started.py
