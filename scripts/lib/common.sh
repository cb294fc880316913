# Shell functions shared by the scripts that install and run the test services (engine.sh, podman.sh,
# swarm-engine.sh, registry.sh, remote-engines.sh, terminal-tools.sh). Sourced, never run:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
# Messages are prefixed with the name of the script that sourced it.

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# apt_install PKG...: installs Debian packages, quiet unless apt fails (then its output is shown). Waits for the
# dpkg lock rather than failing when another apt runs (CI machines run several set-ups at once). Needs root.
apt_install() {
    (($#)) || return 0
    [[ $(id -u) == 0 ]] || die "installing $* needs root"
    local out
    out=$(mktemp)
    if ! { apt-get -o DPkg::Lock::Timeout=300 update &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
            --no-install-recommends "$@"; } >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        die "apt-get install $* failed"
    fi
    rm -f "$out"
}

# deb_installed PKG: true when Debian's package PKG is installed (not merely known, or removed with its config).
deb_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]
}

# alive PID: true if the process exists and has not exited. `kill -0` is not enough: a daemon detached with
# setsid is reparented to PID 1, and on these machines PID 1 reaps orphans only after 1-2 s, so an exited
# daemon lingers as a zombie (state Z) that `kill -0` still reports.
alive() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }                  # drop "pid (comm) ", comm may contain spaces
    [[ ${stat%% *} != Z ]]
}

# pid_from PIDFILE COMM: prints the pid PIDFILE names if that process is alive and is a COMM. The pidfile alone
# is not proof: after a crash or a reboot the pid may belong to some other process now.
pid_from() {
    local pid comm
    [[ -r $1 ]] || return 1
    pid=$(<"$1")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
    read -r comm 2>/dev/null <"/proc/$pid/comm" || return 1
    [[ $comm == "$2" ]] || return 1
    printf '%s\n' "$pid"
}

# kill_trees MARK PGREP_ARGS...: SIGKILLs each process pgrep finds whose command line contains MARK, and its
# children (a container's shim or conmon, and the container's PID 1 under it: killing that ends the
# container's whole PID namespace).
kill_trees() {
    local mark=$1 pid cmd child
    shift
    for pid in $(pgrep "$@" || true); do
        cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || continue
        [[ $cmd == *"$mark"* ]] || continue
        for child in $(pgrep -P "$pid" || true); do kill -KILL "$child" 2>/dev/null || true; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# unmount_under DIR: unmounts everything mounted under DIR, deepest first. Fails if something stays mounted.
unmount_under() {
    local mnt left
    # Field 2 of /proc/self/mounts is the mount point (spaces escaped as \040; our directories have none).
    while read -r mnt; do
        umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
    left=$(awk -v d="$1/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts)
    [[ -z $left ]] || { log "still mounted under $1:"$'\n'"$left"; return 1; }
}
