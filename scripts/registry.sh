#!/usr/bin/env bash
# Local container registries for Berth's pull/push/login tests (no registry on the internet is reachable).
#
#   scripts/registry.sh start   install Debian's docker-registry + apache2-utils when missing, then start
#                               an open registry on 127.0.0.1:5000, one with htpasswd auth on 127.0.0.1:5001,
#                               and one with TLS (a self-signed certificate for IP 127.0.0.1) and htpasswd
#                               auth on 127.0.0.1:5002 (each reused when it already answers)
#   scripts/registry.sh stop    stop the registries this script started
#
# Everything lives in ${BERTH_REGISTRY_DIR:-/tmp/berth-registry}: config files, htpasswd, data, logs, pids.
# The test user and password are fixed test values (test/helpers/registry.ts uses the same ones); they
# protect nothing but a throw-away registry on the loopback interface.
# 127.0.0.0/8 is an insecure registry for dockerd by default (and scripts/podman.sh marks 127.0.0.1 insecure):
# the first two speak plain HTTP; for the TLS one the engines use TLS without checking the certificate.
set -euo pipefail

DIR=${BERTH_REGISTRY_DIR:-/tmp/berth-registry}
USER_NAME=${BERTH_TEST_REGISTRY_USER:-berthtest}
PASSWORD=${BERTH_TEST_REGISTRY_PASSWORD:-berth-registry-pw-7f3a}
OPEN_ADDR=127.0.0.1:5000
AUTH_ADDR=127.0.0.1:5001
TLS_ADDR=127.0.0.1:5002

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

install() {
    local pkgs=()
    command -v docker-registry >/dev/null 2>&1 || pkgs+=(docker-registry)
    command -v htpasswd >/dev/null 2>&1 || pkgs+=(apache2-utils)
    command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
    apt_install "${pkgs[@]}"
}

# answers ADDR [SCHEME]: true when a registry answers on ADDR (401 counts: the auth registries answer 401 to an
# anonymous /v2/). -k: the TLS registry's certificate is self-signed.
answers() {
    local code
    code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "${2:-http}://$1/v2/" 2>/dev/null || true)
    [[ $code == 200 || $code == 401 ]]
}

# write_config NAME ADDR [auth] [tls]: one registry's config file.
write_config() {
    local name=$1 addr=$2 auth=${3:-} tls=${4:-}
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
        if [[ -n $tls ]]; then
            echo '  tls:'
            echo "    certificate: $DIR/tls/cert.pem"
            echo "    key: $DIR/tls/key.pem"
        fi
        if [[ -n $auth ]]; then
            echo 'auth:'
            echo '  htpasswd:'
            echo '    realm: berth-test'
            echo "    path: $DIR/htpasswd"
        fi
    } >"$DIR/$name/config.yml"
}

# certificate: a self-signed certificate for IP 127.0.0.1 (kept across starts; made once).
certificate() {
    [[ -s $DIR/tls/cert.pem && -s $DIR/tls/key.pem ]] && return 0
    mkdir -p "$DIR/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=127.0.0.1' \
        -addext 'subjectAltName=IP:127.0.0.1' \
        -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" >/dev/null 2>&1 || die "openssl could not make the certificate"
}

# start_one NAME ADDR [SCHEME]: starts one registry in the background and waits until it answers.
start_one() {
    local name=$1 addr=$2 scheme=${3:-http}
    if answers "$addr" "$scheme"; then return 0; fi
    nohup docker-registry serve "$DIR/$name/config.yml" >"$DIR/$name/registry.log" 2>&1 &
    echo $! >"$DIR/$name/pid"
    for _ in $(seq 1 50); do
        answers "$addr" "$scheme" && return 0
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
    certificate
    write_config tls "$TLS_ADDR" auth tls
    start_one open "$OPEN_ADDR"
    start_one auth "$AUTH_ADDR"
    start_one tls "$TLS_ADDR" https
    echo "BERTH_TEST_REGISTRY=$OPEN_ADDR"
    echo "BERTH_TEST_AUTH_REGISTRY=$AUTH_ADDR"
    echo "BERTH_TEST_TLS_REGISTRY=$TLS_ADDR"
}

cmd_stop() {
    local name pid
    for name in open auth tls; do
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
