#!/usr/bin/env bash
# Installs what the interactive CLI tests drive a real terminal with: tmux (a pseudo-terminal we can type
# into, resize and read) and script (util-linux's bsdutils). Quiet when both are there.
set -euo pipefail
pkgs=()
command -v tmux >/dev/null 2>&1 || pkgs+=(tmux)
command -v script >/dev/null 2>&1 || pkgs+=(bsdutils)
((${#pkgs[@]})) || exit 0
[[ $(id -u) == 0 ]] || { echo "terminal-tools.sh: installing ${pkgs[*]} needs root" >&2; exit 1; }
out=$(mktemp)
if ! { apt-get -o DPkg::Lock::Timeout=300 update &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${pkgs[@]}"; } >"$out" 2>&1; then
  cat "$out" >&2
  rm -f "$out"
  echo "terminal-tools.sh: apt-get install ${pkgs[*]} failed" >&2
  exit 1
fi
rm -f "$out"
