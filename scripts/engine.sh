#!/usr/bin/env bash
# A private Docker engine for Berth's integration tests and the demo.
#
#   scripts/engine.sh install   install docker.io + busybox-static (quiet, fast when present)
#   scripts/engine.sh start     start our dockerd (or reuse it), make sure busybox:local exists,
#                               print DOCKER_HOST=unix://DIR/docker.sock
#   scripts/engine.sh stop      remove our containers, stop our dockerd, unmount what it left
#   scripts/engine.sh clean     stop, then delete DIR entirely
#   scripts/engine.sh status    print the DOCKER_HOST line and exit 0 if our daemon answers, else exit 1
#   scripts/engine.sh env       print `export DOCKER_HOST=unix://DIR/docker.sock`
#
# DIR is ${BERTH_ENGINE_DIR:-/tmp/berth-engine}. It holds the socket, the pidfile, the log, the
# data root (images survive a stop, so the next start is fast) and the exec root.
#
# Why a private daemon: no container registry is reachable from our machines, so every image
# must be made locally, and tests must not disturb (or depend on) a developer's own Docker.
# Facts behind the choices here were measured on the project machines: see shared/ENGINES.md.
#
# Needs root (dockerd does). Talks to the daemon through its HTTP API with curl when present,
# else with node (which a TypeScript project always has); no docker CLI is needed.
set -euo pipefail

DIR=${BERTH_ENGINE_DIR:-/tmp/berth-engine}
DIR=$(realpath -m -- "$DIR")           # an absolute path: DOCKER_HOST must not depend on the cwd
SOCK=$DIR/docker.sock
PIDFILE=$DIR/docker.pid
LOG=$DIR/dockerd.log
TAR=$DIR/busybox.tar                   # cached image tarball: a restart does not rebuild it
IMAGE_REPO=busybox
IMAGE_TAG=local
# Name of the network namespace used only when another dockerd already runs on this machine.
# Derived from DIR so that two private engines never share one namespace (and its docker0).
NETNS=berth-$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# ---------------------------------------------------------------------------------------------
# install

cmd_install() {
    local pkgs=()
    command -v dockerd >/dev/null 2>&1 || pkgs+=(docker.io)
    # The image needs a *statically linked* busybox (the image has no libc), so ask dpkg for
    # busybox-static itself: Debian's dynamic `busybox` package also ships a /bin/busybox.
    if [[ ! -x /bin/busybox ]] || ! deb_installed busybox-static; then
        pkgs+=(busybox-static)
    fi
    command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)  # dockerd's default networking
    command -v ip >/dev/null 2>&1 || pkgs+=(iproute2)        # `ip netns`, for the second-daemon path
    apt_install "${pkgs[@]}"
}

# ---------------------------------------------------------------------------------------------
# Talking to the daemon

# api METHOD PATH [BODY_FILE [TIMEOUT_S]]: one HTTP request on our socket; prints the body;
# fails if the daemon cannot be reached or answers >= 400. BERTH_ENGINE_HTTP=node forces the
# node path (it exists for machines without curl; the switch is there to test it).
api() {
    local method=$1 path=$2 file=${3:-} timeout=${4:-10}
    if [[ ${BERTH_ENGINE_HTTP:-} != node ]] && command -v curl >/dev/null 2>&1; then
        local args=(-sS --fail-with-body --max-time "$timeout" --unix-socket "$SOCK" -X "$method")
        [[ -z $file ]] || args+=(-H 'Content-Type: application/x-tar' --data-binary "@$file")
        curl "${args[@]}" "http://localhost$path"
    else
        node -e "$NODE_HTTP" -- "$SOCK" "$method" "$path" "$file" "$timeout"
    fi
}

# The node fallback of api(): node:http with socketPath speaks HTTP/1.1 (chunked replies too).
NODE_HTTP='
const http = require("node:http"), fs = require("node:fs");
const [sock, method, path, file, timeout] = process.argv.slice(1);
const headers = { Host: "localhost" };
if (file) { headers["Content-Type"] = "application/x-tar"; headers["Content-Length"] = fs.statSync(file).size; }
const req = http.request({ socketPath: sock, method, path, headers }, (res) => {
  res.pipe(process.stdout);
  res.on("end", () => { process.exitCode = res.statusCode < 400 ? 0 : 22; });
});
req.setTimeout(Number(timeout) * 1000, () => req.destroy(new Error("timeout")));
req.on("error", (e) => { process.stderr.write(e.message + "\n"); process.exitCode = 7; });
if (file) fs.createReadStream(file).pipe(req); else req.end();
'

# True when a daemon answers GET /_ping on our socket with OK.
answers() {
    [[ -S $SOCK ]] || return 1
    [[ $(api GET /_ping "" 2 2>/dev/null) == OK ]]
}


# Prints the pid of our dockerd if it is alive. The pidfile alone is not proof: after a crash
# or reboot the pid may belong to some other process now.
our_pid() { pid_from "$PIDFILE" dockerd; }

# True if a dockerd that is not ours runs on this machine (e.g. a developer's system daemon).
other_dockerd_running() {
    local ours pid
    ours=$(our_pid) || ours=
    for pid in $(pgrep -x dockerd || true); do
        [[ $pid == "$ours" ]] || ! alive "$pid" || return 0
    done
    return 1
}

# Kills what a crashed dockerd of ours left running: containerd shims started for DIR (their
# command line names our containerd socket) and the containers under them (each shim's child
# is a container's PID 1; killing it ends the container's whole PID namespace). After a clean
# shutdown there are none. Without this, `clean` after a crash would leave containers behind,
# and the next `start` would spend 10 s stopping each of them.
kill_leftovers() { kill_trees " -address $DIR/exec/" -f containerd-shim; }

# Unmounts everything mounted under DIR, deepest first (dockerd leaves DIR/exec/netns/default
# mounted, and a crash can leave container root filesystems). Fails if something stays mounted.
unmount_all() { unmount_under "$DIR"; }

# ---------------------------------------------------------------------------------------------
# start

start_daemon() {
    # A dockerd of ours that is alive but does not answer (hung, or half-started) is stopped
    # first; starting another on the same pidfile would fail anyway.
    if our_pid >/dev/null; then
        log "our dockerd is alive but does not answer; restarting it"
        stop_daemon
    fi
    rm -f "$PIDFILE"          # stale: its process is gone (or is not a dockerd)
    kill_leftovers
    # Same for the containerd that dockerd manages: after a crash its pidfile may name a zombie,
    # which dockerd takes for a live containerd and then waits 15 s for its socket, in vain.
    local cpid=$DIR/exec/containerd/containerd.pid
    if [[ -r $cpid ]] && ! alive "$(<"$cpid")"; then rm -f "$cpid"; fi
    unmount_all               # leftovers of a daemon that did not shut down cleanly
    mkdir -p "$DIR/data" "$DIR/exec"
    # Our own (empty) config file: the default /etc/docker/daemon.json of a developer's system
    # daemon may set hosts or a data root, which would clash with our flags.
    [[ -e $DIR/daemon.json ]] || echo '{}' >"$DIR/daemon.json"

    local launcher=()
    if other_dockerd_running; then
        # A second daemon with default networking rewrites the first one's NAT chain and hands
        # out the same 172.17.0.x addresses (ENGINES.md), so ours gets a network namespace of
        # its own, with its own docker0 and iptables. `nsenter`, not `ip netns exec`, which
        # would remount /sys and hide the cgroup mounts from dockerd. The socket is a file, so
        # it works from the host; published ports, however, live inside that namespace.
        log "another dockerd runs here: starting ours in network namespace $NETNS"
        [[ -e /run/netns/$NETNS ]] || ip netns add "$NETNS"
        ip -n "$NETNS" link set lo up
        launcher=(nsenter "--net=/run/netns/$NETNS")
    fi

    # setsid: own session, so the daemon survives the calling shell and its terminal.
    # All standard fds are redirected (and the lock fd closed) so that callers reading our
    # output, e.g. `$(scripts/engine.sh start)`, are not held open by the daemon.
    # --containerd-namespace: if a system containerd runs, dockerd uses it; our containers then
    # must not mix with the system dockerd's (namespace "moby").
    # --shutdown-timeout 1: a PID 1 that ignores SIGTERM would otherwise delay a stop by 10 s.
    setsid "${launcher[@]}" dockerd \
        --host "unix://$SOCK" \
        --data-root "$DIR/data" \
        --exec-root "$DIR/exec" \
        --pidfile "$PIDFILE" \
        --config-file "$DIR/daemon.json" \
        --containerd-namespace berth \
        --containerd-plugins-namespace berth-plugins \
        --shutdown-timeout 1 \
        </dev/null >"$LOG" 2>&1 9>&- &
    # In a script (no job control) a background job is not a process-group leader, so setsid
    # and nsenter exec in place: $! is dockerd itself.
    local pid=$! i
    for ((i = 0; i < 300; i++)); do     # 300 x 0.1 s = 30 s
        answers && return 0
        if ! alive "$pid"; then
            log "dockerd exited during start; end of $LOG:"
            tail -n 30 "$LOG" >&2
            exit 1
        fi
        sleep 0.1
    done
    log "dockerd did not answer on $SOCK within 30 s; end of $LOG:"
    tail -n 30 "$LOG" >&2
    exit 1
}

# A root filesystem of busybox-static plus one /bin symlink per applet, as a tarball (shared with
# scripts/podman.sh, so both engines run the same image).
build_image_tar() {
    bash "$(dirname "${BASH_SOURCE[0]}")/busybox-tar.sh" "$TAR"
}

ensure_image() {
    api GET "/images/$IMAGE_REPO:$IMAGE_TAG/json" >/dev/null 2>&1 && return 0
    # Rebuild when missing, or when busybox-static was upgraded since the tar was made.
    [[ -s $TAR && ! /bin/busybox -nt $TAR ]] || build_image_tar
    # The API form of `docker import --change 'CMD ["/bin/sh"]' busybox.tar busybox:local`.
    # Errors may come inside a 200 stream, so look at the body and then check the image.
    local changes='CMD%20%5B%22%2Fbin%2Fsh%22%5D' out   # CMD ["/bin/sh"], percent-encoded
    out=$(api POST "/images/create?fromSrc=-&repo=$IMAGE_REPO&tag=$IMAGE_TAG&changes=$changes" "$TAR" 120) ||
        die "importing $TAR failed: $out"
    [[ $out != *'"error'* ]] || die "importing $TAR failed: $out"
    api GET "/images/$IMAGE_REPO:$IMAGE_TAG/json" >/dev/null ||
        die "image $IMAGE_REPO:$IMAGE_TAG missing after import"
}

cmd_start() {
    cmd_install
    mkdir -p "$DIR"
    # One start at a time per DIR (parallel test workers may all call start).
    exec 9>"$DIR/.lock"
    flock 9
    answers || start_daemon
    ensure_image
    echo "DOCKER_HOST=unix://$SOCK"
}

# ---------------------------------------------------------------------------------------------
# stop / clean / status / env

stop_daemon() {
    local pid i
    if answers; then
        # Remove containers first (force, with their anonymous volumes): the next start is
        # then clean, and no container PID 1 can hold up the shutdown.
        local id
        for id in $(api GET '/containers/json?all=1' | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 || true); do
            api DELETE "/containers/$id?force=1&v=1" "" 30 >/dev/null ||
                log "could not remove container $id"
        done
    fi
    if pid=$(our_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 200; i++)); do  # 200 x 0.1 s = 20 s
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            log "dockerd $pid ignored SIGTERM for 20 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            while alive "$pid"; do sleep 0.1; done
        fi
    fi
    rm -f "$PIDFILE"
    kill_leftovers
    unmount_all
}

cmd_stop() {
    [[ -d $DIR ]] || return 0
    exec 9>"$DIR/.lock"
    flock 9
    stop_daemon
}

cmd_clean() {
    # Guard against deleting something that is not a private engine directory.
    [[ $DIR != / && $DIR == /*/* ]] || die "refusing to delete $DIR"
    cmd_stop
    exec 9>&-
    # --one-file-system: never descend into a mount (e.g. a volume bind-mounted from the host)
    # even if unmount_all missed one.
    rm -rf --one-file-system -- "$DIR"
    if [[ -e /run/netns/$NETNS ]]; then ip netns delete "$NETNS" 2>/dev/null || true; fi
}

cmd_status() {
    answers || exit 1
    echo "DOCKER_HOST=unix://$SOCK"
}

cmd_env() {
    echo "export DOCKER_HOST=unix://$SOCK"
}

case ${1:-} in
install) cmd_install ;;
start) cmd_start ;;
stop) cmd_stop ;;
clean) cmd_clean ;;
status) cmd_status ;;
env) cmd_env ;;
*)
    echo "usage: $0 install|start|stop|clean|status|env" >&2
    echo "  engine directory: \${BERTH_ENGINE_DIR:-/tmp/berth-engine} (now $DIR)" >&2
    exit 2
    ;;
esac
