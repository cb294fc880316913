#!/usr/bin/env bash
# Runs every test: unit (no engine), fault (a fake engine on a private socket), integration (the private dockerd),
# then the integration files again against Podman (scripts/podman.sh), and writes docs/compatibility.md from the
# results of both runs. Does its own set-up: npm packages, the build, the engines. Usage: npm test [-- FILTER]
#   FILTER (optional) keeps only test files whose path contains it, e.g. `npm test -- unit/`.
#   BERTH_ENGINES picks the engines: docker,podman by default (and in CI), docker alone for a filtered run;
#   `BERTH_ENGINES=docker npm test` is the fast local run, `BERTH_ENGINES=podman npm test -- integration/x`
#   tries one file on Podman. docs/compatibility.md is rewritten only by an unfiltered run on both engines.
#   BERTH_TEST_DOCKER_HOST / BERTH_TEST_PODMAN_HOST name engines to use instead of starting our own.
#   BERTH_RUNTIMES picks the runtimes: node20,node24,bun by default (and in CI), node20 alone for a filtered run.
#   node20 is the machine's node (both engines); node24 runs every file on dockerd; bun runs the integration
#   files (the CLI's among them) and the CLI unit tests on dockerd. scripts/runtimes.sh installs node24 and bun.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

filter=${1:-}
if [ -n "$filter" ]; then engines=",${BERTH_ENGINES:-docker},"; else engines=",${BERTH_ENGINES:-docker,podman},"; fi
if [ -n "$filter" ]; then runtimes=",${BERTH_RUNTIMES:-node20},"; else runtimes=",${BERTH_RUNTIMES:-node20,node24,bun},"; fi

mapfile -t files < <(find dist/test -name '*.test.js' | sort | grep -F -- "$filter" || true)
if [ "${#files[@]}" -eq 0 ]; then
  echo "No test files match '$filter'" >&2
  exit 1
fi
mapfile -t integration < <(printf '%s\n' "${files[@]}" | grep -F /integration/ || true)

# Results of each run, one JSON line per test (scripts/results-reporter.mjs), and the operations each test
# called (test/helpers/record-calls.js, preloaded into every node process of the run).
results=dist/test-results
rm -rf "$results" && mkdir -p "$results"
recorder=$(node -p 'require("node:url").pathToFileURL(process.argv[1]).href' "$PWD/dist/test/helpers/record-calls.js")

# run_suite ENGINE HOST FILE…: one node --test run (on $NODE, the machine's node by default; results under the
# name $RUN_KEY, the engine's by default); its status is the run's.
run_suite() {
  local engine=$1 host=$2 key=${RUN_KEY:-$1}
  shift 2
  echo "== $engine: integration tests use $host (node $("${NODE:-node}" --version))"
  echo "$host" >"$results/$key-host"
  # One file at a time: the integration files share one engine, and the 2 cores are better spent there.
  BERTH_TEST_ENGINE=$engine BERTH_TEST_DOCKER_HOST=$host BERTH_TEST_CALLS_FILE=$PWD/$results/$key-calls.jsonl \
    NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--import=$recorder" \
    "${NODE:-node}" --test --test-concurrency=1 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=./scripts/results-reporter.mjs --test-reporter-destination="$results/$key.jsonl" \
    "$@"
}

# Local registries for the pull/push/login tests (open on :5000, htpasswd on :5001, TLS + htpasswd on :5002),
# for every engine.
bash scripts/registry.sh start >/dev/null
export BERTH_TEST_REGISTRY=127.0.0.1:5000 BERTH_TEST_AUTH_REGISTRY=127.0.0.1:5001 BERTH_TEST_TLS_REGISTRY=127.0.0.1:5002

status=0
ran=

# Timing of each run, printed at the end.
timings=()
timed() { local start=$SECONDS; "${@:2}"; local rc=$?; timings+=("$1: $((SECONDS - start)) s"); return "$rc"; }

if [[ $engines == *,docker,* ]]; then
  # The engine the integration tests use: ours, unless BERTH_TEST_DOCKER_HOST names another.
  if [ -z "${BERTH_TEST_DOCKER_HOST:-}" ]; then
    line=$(bash scripts/engine.sh start | tail -n 1)
    export BERTH_TEST_DOCKER_HOST=${line#DOCKER_HOST=}
  fi
  # tmux and script, for the interactive CLI tests (a real terminal).
  bash scripts/terminal-tools.sh
  # TLS certificates and an sshd in front of that engine, for the remote-endpoint tests.
  bash scripts/remote-engines.sh start >/dev/null
  # The swarm and plugin tests get a second private dockerd of their own (scripts/swarm-engine.sh).
  if [ -z "${BERTH_TEST_SWARM_HOST:-}" ] && printf '%s\n' "${files[@]}" | grep -qE 'swarm|plugins'; then
    line=$(bash scripts/swarm-engine.sh start | tail -n 1)
    export BERTH_TEST_SWARM_HOST=${line#DOCKER_HOST=}
  fi
  if [[ $runtimes == *,node20,* ]]; then
    timed "node20 docker" run_suite docker "$BERTH_TEST_DOCKER_HOST" "${files[@]}" || status=1
    ran+=docker,
  fi
fi

if [[ $engines == *,podman,* && $runtimes == *,node20,* ]] && [ "${#integration[@]}" -gt 0 ]; then
  # Podman runs the integration files only: unit and fault tests do not depend on the engine.
  host=${BERTH_TEST_PODMAN_HOST:-}
  if [ -z "$host" ]; then
    line=$(bash scripts/podman.sh start | tail -n 1)
    host=${line#DOCKER_HOST=}
  fi
  timed "node20 podman" run_suite podman "$host" "${integration[@]}" || status=1
  ran+=podman,
fi

# The compatibility table needs the whole suite on both engines; a filtered run would publish a partial one.
if [ -z "$filter" ] && [ "$ran" = docker,podman, ]; then
  node scripts/compatibility.mjs "$results" docs/compatibility.md || status=1
fi

# The other runtimes, on dockerd only (the engine's behaviour does not depend on the client's runtime).
if [[ $engines == *,docker,* && ( $runtimes == *,node24,* || $runtimes == *,bun,* ) ]]; then
  declare -A runtime_path=()
  while IFS='=' read -r name path; do runtime_path[$name]=$path; done < <(bash scripts/runtimes.sh)
  if [[ $runtimes == *,node24,* ]]; then
    NODE=${runtime_path[node24]} RUN_KEY=docker-node24 timed "node24 docker" run_suite docker "$BERTH_TEST_DOCKER_HOST" "${files[@]}" || status=1
  fi
  # Bun runs node:test files only under its own runner (`bun test`; `bun FILE` refuses before/after hooks).
  mapfile -t bun_files < <(printf '%s\n' "${files[@]}" | grep -E '/integration/|/unit/cli-' || true)
  if [[ $runtimes == *,bun,* ]] && [ "${#bun_files[@]}" -gt 0 ]; then
    timed "bun docker" bash scripts/bun-test.sh "${runtime_path[bun]}" "${bun_files[@]}" || status=1
  fi
fi

[ "${#timings[@]}" -eq 0 ] || printf 'time: %s\n' "${timings[@]}"
exit "$status"
