#!/usr/bin/env bash
# A second private Docker engine, in swarm mode, for Berth's swarm and plugin tests.
#
#   scripts/swarm-engine.sh start   start it (or reuse it), load busybox:local, init a single-node swarm,
#                                   print DOCKER_HOST=unix://DIR/docker.sock
#   scripts/swarm-engine.sh stop    stop it and delete DIR and its network namespace
#   scripts/swarm-engine.sh status  print the DOCKER_HOST line and exit 0 if it answers, else exit 1
#
# DIR is ${BERTH_SWARM_DIR:-/tmp/berth-swarm-N}, N derived from this checkout's path: the tests leave and
# re-init the swarm, so two checkouts running their tests at once must not share one. Why a second engine: swarm mode changes the whole daemon
# (services, secrets, tasks, its own networks), and the engine of scripts/engine.sh is shared by every
# other test; a swarm there would leak into them.
#
# Why its own network namespace (shared/ENGINES.md has the measurements): a second dockerd with default
# networking in the host namespace rewrites the first one's NAT chain and hands out the same 172.17.0.x
# addresses, and one with --bridge=none deletes docker0 under the first. In a namespace of its own it
# has its own docker0, iptables and 127.0.0.1:2377; its socket is a file, reachable from the host.
# `nsenter`, not `ip netns exec`, which remounts /sys and hides the cgroup mounts from dockerd.
#
# Stop does not `swarm leave --force` (about 12 s): the whole data root is deleted instead.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${BERTH_SWARM_DIR:-/tmp/berth-swarm-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}
DIR=$(realpath -m -- "$DIR")
SOCK=$DIR/docker.sock
PIDFILE=$DIR/docker.pid
LOG=$DIR/dockerd.log
NETNS=berth-swarm-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)
# The busybox root filesystem tarball that scripts/engine.sh builds; built here too when missing.
TAR=${BERTH_ENGINE_DIR:-/tmp/berth-engine}/busybox.tar

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

api() {   # api METHOD PATH [BODY_FILE [CONTENT_TYPE]]: prints the body, fails on >= 400
    local method=$1 path=$2 file=${3:-} type=${4:-application/x-tar}
    local args=(-sS --fail-with-body --max-time 60 --unix-socket "$SOCK" -X "$method")
    [[ -z $file ]] || args+=(-H "Content-Type: $type" --data-binary "@$file")
    curl "${args[@]}" "http://localhost$path"
}

answers() { [[ -S $SOCK ]] && [[ $(curl -s --max-time 2 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null) == OK ]]; }


our_pid() { pid_from "$PIDFILE" dockerd; }

build_tar() {
    local root
    root=$(mktemp -d)
    mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp" "$(dirname "$TAR")"
    chmod 1777 "$root/tmp"
    cp /bin/busybox "$root/bin/busybox"
    local applet
    for applet in $("$root/bin/busybox" --list); do
        [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnobody:x:65534:\n' >"$root/etc/group"
    tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$TAR.swarm.tmp" .
    mv "$TAR.swarm.tmp" "$TAR"
    rm -rf "$root"
}

start_daemon() {
    rm -f "$PIDFILE"
    mkdir -p "$DIR/data" "$DIR/exec"
    [[ -e $DIR/daemon.json ]] || echo '{}' >"$DIR/daemon.json"
    [[ -e /run/netns/$NETNS ]] || ip netns add "$NETNS"
    ip -n "$NETNS" link set lo up
    # --containerd-namespace: if a system containerd is used, keep our containers apart from others'.
    setsid nsenter "--net=/run/netns/$NETNS" dockerd \
        --host "unix://$SOCK" \
        --data-root "$DIR/data" \
        --exec-root "$DIR/exec" \
        --pidfile "$PIDFILE" \
        --config-file "$DIR/daemon.json" \
        --containerd-namespace berth-swarm \
        --containerd-plugins-namespace berth-swarm-plugins \
        --shutdown-timeout 1 \
        </dev/null >"$LOG" 2>&1 9>&- &
    local pid=$! i
    for ((i = 0; i < 300; i++)); do
        answers && return 0
        alive "$pid" || { tail -n 30 "$LOG" >&2; die "dockerd exited during start"; }
        sleep 0.1
    done
    tail -n 30 "$LOG" >&2
    die "dockerd did not answer on $SOCK within 30 s"
}

ensure_image() {
    api GET /images/busybox:local/json >/dev/null 2>&1 && return 0
    [[ -s $TAR ]] || build_tar
    local out changes='CMD%20%5B%22%2Fbin%2Fsh%22%5D'
    out=$(api POST "/images/create?fromSrc=-&repo=busybox&tag=local&changes=$changes" "$TAR") || die "import failed: $out"
    [[ $out != *'"error'* ]] || die "import failed: $out"
}

ensure_swarm() {
    [[ $(api GET /info) == *'"LocalNodeState":"active"'* ]] && return 0
    local body
    body=$(mktemp)
    echo '{"ListenAddr":"127.0.0.1:2377","AdvertiseAddr":"127.0.0.1"}' >"$body"
    api POST /swarm/init "$body" application/json >/dev/null || { rm -f "$body"; die "swarm init failed"; }
    rm -f "$body"
}

cmd_start() {
    bash "$(dirname "$0")/engine.sh" install
    command -v curl >/dev/null 2>&1 || die "curl is needed"
    mkdir -p "$DIR"
    exec 9>"$DIR/.lock"
    flock 9
    answers || start_daemon
    ensure_image
    ensure_swarm
    echo "DOCKER_HOST=unix://$SOCK"
}

cmd_stop() {
    [[ $DIR != / && $DIR == /*/* ]] || die "refusing to delete $DIR"
    local pid i
    if pid=$(our_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 200; i++)); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
    fi
    # Shims of our containerd and their containers (after a crash; none after a clean stop).
    for pid in $(pgrep -f containerd-shim || true); do
        [[ $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") == *" -address $DIR/exec/"* ]] || continue
        for i in $(pgrep -P "$pid" || true); do kill -KILL "$i" 2>/dev/null || true; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    local mnt
    while read -r mnt; do
        umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
    rm -rf --one-file-system -- "$DIR"
    if [[ -e /run/netns/$NETNS ]]; then ip netns delete "$NETNS" 2>/dev/null || true; fi
}

cmd_status() {
    answers || exit 1
    echo "DOCKER_HOST=unix://$SOCK"
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
