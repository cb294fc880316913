#!/usr/bin/env bash
# Installs what the interactive CLI tests drive a real terminal with: tmux (a pseudo-terminal we can type
# into, resize and read) and script (util-linux's bsdutils). Quiet when both are there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
pkgs=()
command -v tmux >/dev/null 2>&1 || pkgs+=(tmux)
command -v script >/dev/null 2>&1 || pkgs+=(bsdutils)
apt_install "${pkgs[@]}"
