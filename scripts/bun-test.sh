#!/usr/bin/env bash
# Runs compiled node:test files under Bun: `bun test` implements node:test (describe/it/before/after, test
# contexts), while `bun FILE` refuses the hooks outside its runner. Bun runs the files one after the other in one
# process. Prints Bun's own report, then `bun: N passed, N failed` (N skipped when any). Exit status: Bun's.
# Usage: scripts/bun-test.sh BUN FILE…   (the test engine from BERTH_TEST_DOCKER_HOST, as for node --test)
set -uo pipefail
cd "$(dirname "$0")/.."
bun=$1
shift
paths=()
for file in "$@"; do case $file in /*|./*) paths+=("$file") ;; *) paths+=("./$file") ;; esac; done  # a path, not a name filter

echo "== bun $("$bun" --version): ${#paths[@]} files, integration tests use ${BERTH_TEST_DOCKER_HOST:-?}"
log=$(mktemp)
# node:test has no per-test timeout and neither do these tests: Bun's default of 5 s would cut the slow ones.
BERTH_TEST_ENGINE=docker "$bun" test --timeout=600000 "${paths[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
count() { grep -Eo "^ *[0-9]+ $1\$" "$log" | tail -n 1 | tr -dc 0-9; }
passed=$(count pass) failed=$(count fail) skipped=$(count skip) errors=$(count error)
rm -f "$log"
# An error between tests (an unhandled rejection, say) counts as a failure, as node --test counts it.
line="bun: ${passed:-0} passed, $((${failed:-0} + ${errors:-0})) failed"
[ -z "$skipped" ] || line+=", $skipped skipped"
echo "$line"
# A run that reported no result at all failed, whatever its status.
[ -n "$passed$failed" ] || status=1
exit "$status"
