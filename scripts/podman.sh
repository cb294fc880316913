#!/usr/bin/env bash
# Podman's Docker-compatible API on a private socket: the second engine of Berth's integration tests.
#
#   scripts/podman.sh install   install podman + netavark + aardvark-dns + catatonit + busybox-static
#   scripts/podman.sh start     start our `podman system service` (or reuse it), make sure busybox:local
#                               exists, print DOCKER_HOST=unix://DIR/podman.sock
#   scripts/podman.sh stop      remove our containers, stop the service, kill what conmon left, unmount
#   scripts/podman.sh clean     stop, then delete DIR entirely
#   scripts/podman.sh status    print the DOCKER_HOST line and exit 0 if our service answers, else exit 1
#   scripts/podman.sh env       print `export DOCKER_HOST=unix://DIR/podman.sock`
#
# DIR is ${BERTH_PODMAN_DIR:-/tmp/berth-podman}: socket, pidfile, log, the two config files, storage
# (root), run state (runroot), Podman's tmp dir (events log) and its network definitions. Nothing of ours
# goes to /etc/containers, /var/lib/containers or /run/libpod, so a developer's own Podman is not touched.
#
# Networking: netavark puts containers on its own bridge `podman0` (10.88.0.0/16) with its own iptables
# chains (NETAVARK_*); dockerd keeps docker0 and its DOCKER chains, so the two engines can run side by side
# (checked on the project machines: dockerd's containers still reach each other with Podman running).
# One root Podman per machine at a time: every root Podman shares the lock segment /dev/shm/libpod_lock and the
# podman0 bridge whatever its --root, so a second one (a developer's own, or another DIR) would share lock
# numbers and addresses with ours. Facts behind the choices here: shared/ENGINES.md.
set -euo pipefail

DIR=${BERTH_PODMAN_DIR:-/tmp/berth-podman}
DIR=$(realpath -m -- "$DIR")
SOCK=$DIR/podman.sock
PIDFILE=$DIR/podman.pid
LOG=$DIR/podman.log
# The busybox tarball is shared with scripts/engine.sh (same image on both engines, built once).
TAR=${BERTH_ENGINE_DIR:-/tmp/berth-engine}/busybox.tar
HERE=$(dirname "${BASH_SOURCE[0]}")

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

# ---------------------------------------------------------------------------------------------
# install

cmd_install() {
    local pkgs=() p
    command -v podman >/dev/null 2>&1 || pkgs+=(podman)
    # Named explicitly: they are only "recommended" by podman, and we install without recommends.
    for p in netavark aardvark-dns catatonit; do
        deb_installed "$p" || pkgs+=("$p")
    done
    if [[ ! -x /bin/busybox ]] || ! deb_installed busybox-static; then
        pkgs+=(busybox-static)
    fi
    command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)  # netavark's firewall driver
    apt_install "${pkgs[@]}"
}

# ---------------------------------------------------------------------------------------------
# Configuration: every path under DIR, so this Podman shares nothing with another one.

write_config() {
    mkdir -p "$DIR/root" "$DIR/run" "$DIR/tmp" "$DIR/networks"
    # default_ulimits: Podman's default (the hard limits of the service) fails here; these values were
    # measured to work. cgroupfs: there is no systemd. events_logger=file: no journald either.
    cat >"$DIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[network]
network_backend = "netavark"
network_config_dir = "$DIR/networks"

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$DIR/tmp/events.log"
tmp_dir = "$DIR/tmp"
EOF
    # Registries on the loopback (the project's test registries) speak plain HTTP. No search registries:
    # a short name such as busybox:local must resolve to a local image, never to a registry lookup.
    cat >"$DIR/registries.conf" <<'EOF'
unqualified-search-registries = []
short-name-mode = "permissive"

[[registry]]
location = "localhost"
insecure = true

[[registry]]
location = "127.0.0.1"
insecure = true
EOF
}

# The podman command line with our storage and config (for the CLI calls of this script).
podman_cmd() {
    CONTAINERS_CONF=$DIR/containers.conf CONTAINERS_REGISTRIES_CONF=$DIR/registries.conf \
        podman --root "$DIR/root" --runroot "$DIR/run" --storage-driver overlay "$@"
}

# ---------------------------------------------------------------------------------------------
# Talking to the service (curl; node as a fallback, as in scripts/engine.sh)

api() {
    local method=$1 path=$2 timeout=${3:-10}
    if command -v curl >/dev/null 2>&1; then
        curl -sS --fail-with-body --max-time "$timeout" --unix-socket "$SOCK" -X "$method" "http://localhost$path"
    else
        node -e '
const http = require("node:http");
const [sock, method, path, timeout] = process.argv.slice(1);
const req = http.request({ socketPath: sock, method, path, headers: { Host: "localhost" } }, (res) => {
  res.pipe(process.stdout);
  res.on("end", () => { process.exitCode = res.statusCode < 400 ? 0 : 22; });
});
req.setTimeout(Number(timeout) * 1000, () => req.destroy(new Error("timeout")));
req.on("error", (e) => { process.stderr.write(e.message + "\n"); process.exitCode = 7; });
req.end();' -- "$SOCK" "$method" "$path" "$timeout"
    fi
}

answers() {
    [[ -S $SOCK ]] || return 1
    [[ $(api GET /_ping 2 2>/dev/null) == OK ]]
}


# The pid of our service, if it is alive and still a podman.
our_pid() { pid_from "$PIDFILE" podman; }

# conmon processes of our containers and execs (their command line names our storage), and what runs
# under them. An exec session's conmon outlives the exec and ignores SIGTERM (ENGINES.md): SIGKILL.
kill_leftovers() { kill_trees "$DIR/" -x conmon; }

# Unmounts everything under DIR, deepest first (overlay layers, shm, the storage's own bind mount).
unmount_all() { unmount_under "$DIR"; }

# ---------------------------------------------------------------------------------------------
# start

start_service() {
    if our_pid >/dev/null; then
        log "our podman service is alive but does not answer; restarting it"
        stop_service
    fi
    rm -f "$PIDFILE" "$SOCK"
    write_config
    # setsid + all fds redirected: the service outlives the calling shell, and `$(podman.sh start)`
    # is not held open by it. --time=0: never exit for being idle.
    CONTAINERS_CONF=$DIR/containers.conf CONTAINERS_REGISTRIES_CONF=$DIR/registries.conf \
        setsid podman --root "$DIR/root" --runroot "$DIR/run" --storage-driver overlay \
        system service --time=0 "unix://$SOCK" </dev/null >"$LOG" 2>&1 9>&- &
    local pid=$! i
    echo "$pid" >"$PIDFILE"
    for ((i = 0; i < 300; i++)); do     # 300 x 0.1 s = 30 s (it answers in about 0.3 s)
        answers && return 0
        if ! alive "$pid"; then
            log "podman exited during start; end of $LOG:"
            tail -n 30 "$LOG" >&2
            exit 1
        fi
        sleep 0.1
    done
    log "podman did not answer on $SOCK within 30 s; end of $LOG:"
    tail -n 30 "$LOG" >&2
    exit 1
}

# busybox:local, stored as docker.io/library/busybox:local: Podman's Docker-compatible API resolves the short
# name busybox:local to it (as dockerd resolves names to Docker Hub), and reports it under that name, which
# Berth shortens to busybox:local as dockerd writes it. (Imported as localhost/busybox:local, the image would
# be found too, but containers and lists would then name it localhost/busybox:local.)
ensure_image() {
    if ! api GET /images/docker.io/library/busybox:local/json >/dev/null 2>&1; then
        bash "$HERE/busybox-tar.sh" "$TAR"
        podman_cmd import --quiet --change 'CMD ["/bin/sh"]' "$TAR" docker.io/library/busybox:local >/dev/null ||
            die "importing $TAR failed"
    fi
    # The name earlier versions of this script gave it, which would shadow the one above.
    podman_cmd untag localhost/busybox:local localhost/busybox:local >/dev/null 2>&1 || true
    api GET /images/busybox:local/json >/dev/null || die "busybox:local is not found through the API after import"
}

cmd_start() {
    cmd_install
    mkdir -p "$DIR"
    exec 9>"$DIR/.lock"
    flock 9
    answers || start_service
    ensure_image
    echo "DOCKER_HOST=unix://$SOCK"
}

# ---------------------------------------------------------------------------------------------
# stop / clean / status / env

stop_service() {
    local pid i id
    if answers; then
        # Containers first (with their anonymous volumes): the next start is clean and no container
        # holds up the shutdown.
        for id in $(api GET '/containers/json?all=1' | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 || true); do
            api DELETE "/containers/$id?force=1&v=1" 30 >/dev/null || log "could not remove container $id"
        done
    fi
    if pid=$(our_pid); then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 100; i++)); do  # 100 x 0.1 s = 10 s
            alive "$pid" || break
            sleep 0.1
        done
        if alive "$pid"; then
            log "podman $pid ignored SIGTERM for 10 s; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            while alive "$pid"; do sleep 0.1; done
        fi
    fi
    rm -f "$PIDFILE" "$SOCK"
    kill_leftovers
    unmount_all
}

cmd_stop() {
    [[ -d $DIR ]] || return 0
    exec 9>"$DIR/.lock"
    flock 9
    stop_service
}

cmd_clean() {
    [[ $DIR != / && $DIR == /*/* ]] || die "refusing to delete $DIR"
    cmd_stop
    exec 9>&-
    rm -rf --one-file-system -- "$DIR"
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
    echo "  service directory: \${BERTH_PODMAN_DIR:-/tmp/berth-podman} (now $DIR)" >&2
    exit 2
    ;;
esac
