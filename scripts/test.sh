#!/usr/bin/env bash
# Runs every test: unit (no engine), fault (a fake engine on a private socket), integration (the private dockerd).
# Does its own set-up: npm packages, the build, the engine. Usage: npm test [-- FILTER]
#   FILTER (optional) keeps only test files whose path contains it, e.g. `npm test -- unit/`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

# The engine the integration tests use: ours, unless BERTH_TEST_DOCKER_HOST names another.
if [ -z "${BERTH_TEST_DOCKER_HOST:-}" ]; then
  line=$(bash scripts/engine.sh start | tail -n 1)
  export BERTH_TEST_DOCKER_HOST=${line#DOCKER_HOST=}
fi
echo "Integration tests use $BERTH_TEST_DOCKER_HOST"
# TLS certificates and an sshd in front of that engine, for the remote-endpoint tests.
bash scripts/remote-engines.sh start >/dev/null

mapfile -t files < <(find dist/test -name '*.test.js' | sort | grep -F -- "${1:-}" || true)
if [ "${#files[@]}" -eq 0 ]; then
  echo "No test files match '${1:-}'" >&2
  exit 1
fi
# One file at a time: the integration files share one engine, and the 2 cores are better spent there.
exec node --test --test-concurrency=1 "${files[@]}"
