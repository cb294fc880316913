#!/usr/bin/env bash
# Builds the busybox root filesystem tarball that every engine of the test run imports as busybox:local.
#
#   scripts/busybox-tar.sh OUT.tar     (re)build OUT.tar when it is missing or older than /bin/busybox
#
# One builder for all engines (scripts/engine.sh for dockerd, scripts/podman.sh for Podman), so both
# engines run the very same image. Needs Debian's busybox-static (the image has no libc, so the binary
# must be statically linked); the engine scripts install it.
set -euo pipefail

TAR=${1:?usage: busybox-tar.sh OUT.tar}

# Up to date: nothing to do (a restart does not rebuild it).
[[ -s $TAR && ! /bin/busybox -nt $TAR ]] && exit 0

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/root" "$root/tmp" "$(dirname "$TAR")"
chmod 1777 "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
    [[ $applet == busybox ]] || ln -s busybox "$root/bin/$applet"
done
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nobody:x:65534:
EOF
# Numeric owners (0 and 65534 mean the same inside any image); write then rename, so an interrupted
# build never leaves a truncated cache. The temporary name is unique: two engine scripts may build at once.
tmp=$(mktemp "$TAR.XXXXXX")
tar --numeric-owner --owner=0 --group=0 -C "$root" -cf "$tmp" .
mv "$tmp" "$TAR"
