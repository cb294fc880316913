#!/usr/bin/env bash
# Installs the npm packages (when missing or out of date) and builds the TypeScript: dist/ (ESM, with the tests),
# dist/cjs (the library's CommonJS build, for require('berth')) and dist/bin (the `berth` command, bundled).
# Quiet when nothing to do.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npx --no-install tsc -p tsconfig.json
npm run --silent build:cjs
npm run --silent build:cli
chmod +x dist/cli/main.js 2>/dev/null || true
