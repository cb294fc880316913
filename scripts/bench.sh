#!/usr/bin/env bash
# The benchmark suite: Berth vs dockerode vs a raw node:net client, against a fake engine and our private
# dockerd. Does its own set-up: npm packages (the library's and the bench's own, which hold dockerode), the
# build, the engine. Usage: npm run bench [-- --quick] [-- --only TEXT] [-- --repetitions N]
# Results: bench/results/latest.md and .json, plus a dated copy. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  npm ci --prefix bench --no-audit --no-fund --loglevel=error
fi

# The engine the dockerd scenarios use: ours, unless BERTH_BENCH_DOCKER_HOST names another (unix:// only).
if [ -z "${BERTH_BENCH_DOCKER_HOST:-}" ]; then
  line=$(bash scripts/engine.sh start | tail -n 1)
  export BERTH_BENCH_DOCKER_HOST=${line#DOCKER_HOST=}
fi

exec node dist/bench/run.js "$@"
