#!/usr/bin/env bash
# `npm run demo`: prepares what the demo needs on first run, then runs demo/main.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund
node scripts/self-link.js
npx tsc -p tsconfig.json
bash scripts/prepare-e2e.sh
exec node bin/demo/main.js "$@"
