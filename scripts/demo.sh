#!/usr/bin/env bash
# The main job: the seed scenario through the berth CLI — list, create, start, logs, wait, stop, remove —
# against the user's engine if one answers, else against the project's private engine (started here).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
berth() { node dist/bin/berth.js "$@"; }

if [ -z "${DOCKER_HOST:-}" ] && ! berth version >/dev/null 2>&1; then
  echo "No engine answers at the default socket: starting Berth's private engine (scripts/engine.sh)."
  line=$(bash scripts/engine.sh start | tail -n 1)
  export DOCKER_HOST=${line#DOCKER_HOST=}
fi
IMAGE=${BERTH_DEMO_IMAGE:-busybox:local}
NAME=berth-demo-$$
step() { printf '\n\033[1m$ berth %s\033[0m\n' "$*"; }

step version;                 berth version
step ps -a;                   berth ps -a
step create --name "$NAME" "$IMAGE" sh -c '…'
berth create --name "$NAME" "$IMAGE" sh -c 'echo "hello from $(hostname)"; echo "to stderr" >&2; sleep 1; exit 3'
step start "$NAME";           berth start "$NAME"
step start "$NAME" "(again: already started is not an error)"; berth start "$NAME"
step ps;                      berth ps --filter "name=$NAME"
step wait "$NAME";            berth wait "$NAME"
step logs "$NAME";            berth logs "$NAME"
step stop "$NAME";            berth stop "$NAME"
step rm "$NAME";              berth rm "$NAME"
step run --rm "$IMAGE" echo hi; berth run --rm "$IMAGE" echo hi
step rm "$NAME" "(gone: exit 1, as docker)"; berth rm "$NAME" || echo "(exit code $?)"
printf '\nDemo finished.\n'
