#!/usr/bin/env bash
# Remote-engine fixtures for Berth's TLS and SSH tests, in front of the private engine (scripts/engine.sh).
#
#   scripts/remote-engines.sh start   make the TLS certificates, start sshd on 127.0.0.1:2222 (or reuse it)
#   scripts/remote-engines.sh stop    stop our sshd
#   scripts/remote-engines.sh status  exit 0 if our sshd runs
#
# TLS: no second dockerd (two daemons on one machine are fragile, see shared/ENGINES.md). The certificates made
# here (a CA; a server certificate for IP:127.0.0.1 and DNS:localhost; a client certificate; and a second,
# unrelated CA with its own client certificate) are served by a TLS-terminating proxy that the tests start
# themselves (test/helpers/tls-proxy.ts), forwarding to the private engine's socket.
#
# SSH: Debian's openssh-server with key authentication only, its own config, host key and authorized_keys under
# BERTH_SSH_DIR, and `SetEnv DOCKER_HOST=…` so that `docker system dial-stdio` on the "remote" side reaches the
# private engine. The client side gets an ssh_config with host aliases (good key, wrong key, changed host key,
# unknown host key) and a `bin/ssh` wrapper that adds `-F ssh_config`, so that nothing touches ~/.ssh.
set -euo pipefail

TLS_DIR=${BERTH_TLS_DIR:-/tmp/berth-tls}
SSH_DIR=${BERTH_SSH_DIR:-/tmp/berth-ssh}
SSH_PORT=${BERTH_SSH_PORT:-2222}
ENGINE_HOST=${BERTH_TEST_DOCKER_HOST:-unix:///tmp/berth-engine/docker.sock}

source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

install_packages() {
    local pkgs=()
    [[ -x /usr/sbin/sshd ]] || pkgs+=(openssh-server)
    command -v ssh >/dev/null 2>&1 || pkgs+=(openssh-client)
    command -v openssl >/dev/null 2>&1 || pkgs+=(openssl)
    command -v docker >/dev/null 2>&1 || [[ -x /usr/local/bin/docker ]] || pkgs+=(docker.io)
    apt_install "${pkgs[@]}"
}

# ---------------------------------------------------------------------------------------------
# TLS material

# sign NAME CA_NAME EXTENSIONS: a key and a certificate NAME signed by CA_NAME, in the current directory.
sign() {
    local name=$1 ca=$2 ext=$3
    openssl genrsa -out "$name-key.pem" 2048 2>/dev/null
    openssl req -new -key "$name-key.pem" -subj "/CN=$name" -out "$name.csr" 2>/dev/null
    printf '%s\n' "$ext" >"$name.ext"
    openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca-key.pem" -CAcreateserial -days 30 \
        -extfile "$name.ext" -out "$name.pem" 2>/dev/null
    rm -f "$name.csr" "$name.ext"
}

make_ca() {
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1-key.pem" -out "$1.pem" -days 30 -subj "/CN=$1" \
        -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

make_tls() {
    [[ -f $TLS_DIR/done ]] && return 0
    local work
    work=$(mktemp -d "${TLS_DIR}.XXXXXX")
    (
        cd "$work"
        make_ca berth-test-ca
        sign server berth-test-ca $'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth'
        sign client berth-test-ca 'extendedKeyUsage=clientAuth'
        make_ca other-ca
        sign other-client other-ca 'extendedKeyUsage=clientAuth'
        # The DOCKER_CERT_PATH layout for the client: ca.pem, cert.pem, key.pem.
        mkdir client-dir
        cp berth-test-ca.pem client-dir/ca.pem
        cp client.pem client-dir/cert.pem
        cp client-key.pem client-dir/key.pem
        chmod 600 ./*-key.pem client-dir/key.pem
        touch done
    )
    # Another run may have won the race: keep theirs.
    mv -T "$work" "$TLS_DIR" 2>/dev/null || rm -rf "$work"
}

# ---------------------------------------------------------------------------------------------
# sshd

sshd_pid() {
    local pid
    [[ -r $SSH_DIR/sshd.pid ]] || return 1
    pid=$(<"$SSH_DIR/sshd.pid")
    [[ $pid =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == sshd ]] || return 1
    printf '%s\n' "$pid"
}

# Bump when the files below change: an older set is replaced (and its sshd restarted).
SSH_FILES_VERSION=2

make_ssh_files() {
    [[ -f $SSH_DIR/done.$SSH_FILES_VERSION ]] && return 0
    if [[ -d $SSH_DIR ]]; then
        cmd_stop
        rm -rf "$SSH_DIR"
    fi
    local work
    work=$(mktemp -d "${SSH_DIR}.XXXXXX")
    (
        cd "$work"
        ssh-keygen -q -t ed25519 -N '' -C berth-host -f host_key
        ssh-keygen -q -t ed25519 -N '' -C berth-other-host -f other_host_key
        ssh-keygen -q -t ed25519 -N '' -C berth-client -f id_ed25519
        ssh-keygen -q -t ed25519 -N '' -C berth-wrong -f id_wrong
        ssh-keygen -q -t ed25519 -N '' -C berth-no-docker -f id_no_docker
        cp id_ed25519.pub authorized_keys
        # A login whose remote side has no docker on its PATH: what a user meets on a host without Docker.
        printf 'command="PATH=/nonexistent; docker system dial-stdio" %s\n' "$(cat id_no_docker.pub)" >>authorized_keys
        printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 host_key.pub)" >known_hosts
        printf '[127.0.0.1]:%s %s\n' "$SSH_PORT" "$(cut -d' ' -f1,2 other_host_key.pub)" >known_hosts_changed
        : >known_hosts_empty
        cat >sshd_config <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_key
PidFile $SSH_DIR/sshd.pid
AuthorizedKeysFile $SSH_DIR/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
MaxStartups 100:30:200
MaxSessions 100
SetEnv DOCKER_HOST=$ENGINE_HOST
LogLevel ERROR
CONF
        host_block() {
            printf 'Host %s\n  HostName 127.0.0.1\n  Port %s\n  User root\n  IdentitiesOnly yes\n' "$1" "$SSH_PORT"
            printf '  IdentityFile %s\n  UserKnownHostsFile %s\n' "$SSH_DIR/$2" "$SSH_DIR/$3"
            printf '  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n\n'
        }
        {
            host_block berth-ssh-test id_ed25519 known_hosts
            host_block berth-ssh-wrong-key id_wrong known_hosts
            host_block berth-ssh-changed-host-key id_ed25519 known_hosts_changed
            host_block berth-ssh-unknown-host-key id_ed25519 known_hosts_empty
            host_block berth-ssh-no-docker id_no_docker known_hosts
            host_block 127.0.0.1 id_ed25519 known_hosts
        } >ssh_config
        mkdir bin
        printf '#!/bin/sh\nexec %s -F %s "$@"\n' "$(command -v ssh)" "$SSH_DIR/ssh_config" >bin/ssh
        chmod 755 bin/ssh
        chmod 600 host_key other_host_key id_ed25519 id_wrong id_no_docker
        touch "done.$SSH_FILES_VERSION"
    )
    mv -T "$work" "$SSH_DIR" 2>/dev/null || rm -rf "$work"
}

start_sshd() {
    sshd_pid >/dev/null && return 0
    mkdir -p /run/sshd
    chmod 755 /run/sshd
    /usr/sbin/sshd -f "$SSH_DIR/sshd_config" -E "$SSH_DIR/sshd.log" ||
        die "sshd did not start: $(tail -n 3 "$SSH_DIR/sshd.log" 2>/dev/null)"
    local i
    for i in $(seq 1 50); do
        if sshd_pid >/dev/null && PATH=$SSH_DIR/bin:$PATH ssh berth-ssh-test true 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    die "sshd on 127.0.0.1:$SSH_PORT does not accept our key: $(tail -n 3 "$SSH_DIR/sshd.log" 2>/dev/null)"
}

cmd_start() {
    install_packages
    exec 9>"/tmp/berth-remote-engines.lock"
    flock 9
    make_tls
    make_ssh_files
    start_sshd
    printf 'BERTH_TLS_DIR=%s\nBERTH_SSH_DIR=%s\n' "$TLS_DIR" "$SSH_DIR"
}

cmd_stop() {
    local pid
    pid=$(sshd_pid) || return 0
    kill "$pid"
    for _ in $(seq 1 50); do [[ -d /proc/$pid ]] || return 0; sleep 0.1; done
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) sshd_pid >/dev/null ;;
    *) die "usage: $0 start|stop|status" ;;
esac
