#!/usr/bin/env bash
# Start or stop a private Docker Engine whose whole state lives under one directory.
#
#   scripts/engine.sh install            install the engine and what the tests need, when missing
#   scripts/engine.sh start DIR [NETNS]  fresh engine in DIR (socket DIR/docker.sock); optionally
#                                        inside network namespace NETNS (created when missing)
#   scripts/engine.sh restart DIR        stop the engine of DIR and start it again, keeping its state
#   scripts/engine.sh halt DIR           stop the engine of DIR, keeping its state (restart starts it)
#   scripts/engine.sh stop DIR           stop the engine of DIR and remove DIR
#
# Every start wipes DIR first, so nothing from an earlier run survives.
set -euo pipefail

install_packages() {
    local missing=()
    command -v dockerd >/dev/null || missing+=(docker.io)
    dpkg -s busybox-static >/dev/null 2>&1 || missing+=(busybox-static)
    command -v ip >/dev/null || missing+=(iproute2)
    command -v curl >/dev/null || missing+=(curl)
    # For the tests: a local registry (push/pull; nothing else is reachable), an SSH server and sudo
    # (Fabric tasks reach the engine over SSH, also through `sudo docker`).
    command -v docker-registry >/dev/null || missing+=(docker-registry)
    [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
    command -v sudo >/dev/null || missing+=(sudo)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "engine: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

kill_dockerd() {
    local dir=$1 pid
    if [ -f "$dir/dockerd.pid" ]; then
        pid=$(cat "$dir/dockerd.pid")
        if kill "$pid" 2>/dev/null; then
            for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
            if kill -9 "$pid" 2>/dev/null; then
                # A killed engine leaves its pid file, which a new one refuses while the pid lives.
                for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
                rm -f "$dir/dockerd.pid"
            fi
        fi
    fi
}

stop_engine() {
    local dir=$1
    kill_dockerd "$dir"
    # Leftover mounts under the data root would make the removal fail.
    { grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" || true; done
    rm -rf "$dir"
    if [ -f "$dir.netns" ]; then
        ip netns delete "$(cat "$dir.netns")" 2>/dev/null || true
        rm -f "$dir.netns"
    fi
}

start_engine() {
    local dir=$1 netns=${2:-}
    stop_engine "$dir"
    mkdir -p "$dir"
    if [ -n "$netns" ]; then
        ip netns add "$netns" 2>/dev/null || true
        ip netns exec "$netns" ip link set lo up
        echo "$netns" > "$dir.netns"
    fi
    run_dockerd "$dir"
}

restart_engine() {
    local dir=$1
    kill_dockerd "$dir"
    run_dockerd "$dir"
}

run_dockerd() {
    local dir=$1 prefix=() i
    if [ -f "$dir.netns" ]; then
        # nsenter keeps the host's mounts (cgroups); `ip netns exec` would remount /sys.
        prefix=(nsenter "--net=/var/run/netns/$(cat "$dir.netns")")
    fi
    "${prefix[@]}" dockerd \
        --host "unix://$dir/docker.sock" \
        --data-root "$dir/data" \
        --exec-root "$dir/exec" \
        --pidfile "$dir/dockerd.pid" \
        --storage-driver overlay2 \
        >"$dir/dockerd.log" 2>&1 &
    local pid=$!
    for i in $(seq 1 150); do
        if docker_ping "$dir"; then
            echo "unix://$dir/docker.sock"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    echo "engine: dockerd in $dir did not start; its log:" >&2
    tail -n 30 "$dir/dockerd.log" >&2 || true
    return 1
}

docker_ping() {
    [ -S "$1/docker.sock" ] && curl -sf --unix-socket "$1/docker.sock" http://localhost/_ping >/dev/null 2>&1
}

case "${1:-}" in
    install) install_packages ;;
    start) install_packages; start_engine "${2:?state directory}" "${3:-}" ;;
    restart) restart_engine "${2:?state directory}" ;;
    halt) kill_dockerd "${2:?state directory}" ;;
    stop) stop_engine "${2:?state directory}" ;;
    *) echo "usage: $0 install | start DIR [NETNS] | restart DIR | halt DIR | stop DIR" >&2; exit 2 ;;
esac
