#!/usr/bin/env bash
# Local container registries for Berth's pull/push/login tests (no registry on the internet is reachable).
#
#   scripts/registry.sh start   install Debian's docker-registry + apache2-utils when missing, then start
#                               an open registry on 127.0.0.1:5000 and one with htpasswd auth on 127.0.0.1:5001
#                               (reused when they already answer)
#   scripts/registry.sh stop    stop the registries this script started
#
# Everything lives in ${BERTH_REGISTRY_DIR:-/tmp/berth-registry}: config files, htpasswd, data, logs, pids.
# The test user and password are fixed test values (test/helpers/registry.ts uses the same ones); they
# protect nothing but a throw-away registry on the loopback interface.
# 127.0.0.0/8 is an insecure registry for dockerd by default, so no TLS is needed for these two.
set -euo pipefail

DIR=${BERTH_REGISTRY_DIR:-/tmp/berth-registry}
USER_NAME=${BERTH_TEST_REGISTRY_USER:-berthtest}
PASSWORD=${BERTH_TEST_REGISTRY_PASSWORD:-berth-registry-pw-7f3a}
OPEN_ADDR=127.0.0.1:5000
AUTH_ADDR=127.0.0.1:5001

log() { printf 'registry.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

install() {
    local pkgs=()
    command -v docker-registry >/dev/null 2>&1 || pkgs+=(docker-registry)
    command -v htpasswd >/dev/null 2>&1 || pkgs+=(apache2-utils)
    ((${#pkgs[@]})) || return 0
    [[ $(id -u) == 0 ]] || die "installing ${pkgs[*]} needs root"
    local out
    out=$(mktemp)
    if ! { apt-get -o DPkg::Lock::Timeout=300 update &&
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y \
            --no-install-recommends "${pkgs[@]}"; } >"$out" 2>&1; then
        cat "$out" >&2
        rm -f "$out"
        die "apt-get install ${pkgs[*]} failed"
    fi
    rm -f "$out"
}

# answers ADDR: true when a registry answers on ADDR (401 counts: the auth registry answers 401 to anonymous /v2/).
answers() {
    local code
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$1/v2/" 2>/dev/null || true)
    [[ $code == 200 || $code == 401 ]]
}

# write_config NAME ADDR [auth]: one registry's config file.
write_config() {
    local name=$1 addr=$2 auth=${3:-}
    mkdir -p "$DIR/$name/data"
    {
        echo 'version: 0.1'
        echo 'log:'
        echo '  level: warn'
        echo 'storage:'
        echo '  filesystem:'
        echo "    rootdirectory: $DIR/$name/data"
        echo '  delete:'
        echo '    enabled: true'
        echo 'http:'
        echo "  addr: $addr"
        echo "  secret: berth-test-$name"
        if [[ -n $auth ]]; then
            echo 'auth:'
            echo '  htpasswd:'
            echo '    realm: berth-test'
            echo "    path: $DIR/htpasswd"
        fi
    } >"$DIR/$name/config.yml"
}

# start_one NAME ADDR: starts one registry in the background and waits until it answers.
start_one() {
    local name=$1 addr=$2
    if answers "$addr"; then return 0; fi
    nohup docker-registry serve "$DIR/$name/config.yml" >"$DIR/$name/registry.log" 2>&1 &
    echo $! >"$DIR/$name/pid"
    for _ in $(seq 1 50); do
        answers "$addr" && return 0
        kill -0 "$(cat "$DIR/$name/pid")" 2>/dev/null || { cat "$DIR/$name/registry.log" >&2; die "the $name registry exited"; }
        sleep 0.1
    done
    cat "$DIR/$name/registry.log" >&2
    die "the $name registry did not answer on $addr"
}

cmd_start() {
    install
    command -v curl >/dev/null 2>&1 || die "curl is needed to check the registries"
    mkdir -p "$DIR"
    htpasswd -Bbn "$USER_NAME" "$PASSWORD" >"$DIR/htpasswd"
    write_config open "$OPEN_ADDR"
    write_config auth "$AUTH_ADDR" auth
    start_one open "$OPEN_ADDR"
    start_one auth "$AUTH_ADDR"
    echo "BERTH_TEST_REGISTRY=$OPEN_ADDR"
    echo "BERTH_TEST_AUTH_REGISTRY=$AUTH_ADDR"
}

cmd_stop() {
    local name pid
    for name in open auth; do
        [[ -f $DIR/$name/pid ]] || continue
        pid=$(cat "$DIR/$name/pid")
        # Only our own registry: the pid must still be a docker-registry serving our config.
        if grep -q "$DIR/$name/config.yml" "/proc/$pid/cmdline" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
        rm -f "$DIR/$name/pid"
    done
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    *) die "usage: registry.sh start|stop" ;;
esac
