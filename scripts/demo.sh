#!/usr/bin/env bash
# The getting-started demo, on DOCKER_HOST if it answers, else on a private engine (see with-engine.sh):
# build and run one image (examples/getting_started.py), then run the getting-started container map:
# start it, change it, update it, shut it down (examples/map_demo.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-venv.sh
# shellcheck disable=SC2016  # expanded by the inner shell
scripts/with-engine.sh bash -c '
    set -e
    for example in getting_started map_demo; do
        printf "\n######## examples/%s.py\n" "$example"
        .venv/bin/python "examples/$example.py"
    done
'
