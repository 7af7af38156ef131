"""Code written the way downstream projects of docker-map 1.x wrote it (Fabric integrations, build
scripts, fabfiles, YAML tags). The tests in ``tests/classic`` run it unchanged against the real engine."""
