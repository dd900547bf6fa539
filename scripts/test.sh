#!/usr/bin/env bash
# The project's test command (`npm test`). Fast tests first, so a failure shows early:
#   1. unit         pure code, no I/O beyond loopback
#   2. integration  real SSH against the simulator, a real kube-apiserver
#   3. e2e          the real Pulumi engine through the Automation API
#   4. lab          real BGP daemons (FRR, BIRD) in network namespaces (needs root)
# Each phase does its own set-up; `TEST_PHASES="unit integration"` runs a subset.
set -euo pipefail
cd "$(dirname "$0")/.."
phases=${TEST_PHASES:-"unit integration e2e lab"}

# A fresh clone: install the npm packages first.
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund --loglevel=error
# `npm install <pkg>` prunes the package's link to itself; the serialized providers need it.
node scripts/self-link.js
npx tsc -p tsconfig.json

total_pass=0
total_fail=0
for phase in $phases; do
  files=$(find "bin/tests/$phase" -name '*.test.js' 2>/dev/null | sort)
  if [ -z "$files" ]; then
    echo "== $phase: no tests"
    continue
  fi
  case "$phase" in
    integration|e2e|lab) bash "scripts/prepare-$phase.sh" ;;
  esac
  echo "== $phase"
  report=$(mktemp)
  set +e
  npx mocha --reporter spec --reporter-option "output=" $files 2>&1 | tee "$report"
  status=${PIPESTATUS[0]}
  set -e
  pass=$(grep -Eo '^ *[0-9]+ passing' "$report" | grep -Eo '[0-9]+' || echo 0)
  fail=$(grep -Eo '^ *[0-9]+ failing' "$report" | grep -Eo '[0-9]+' || echo 0)
  rm -f "$report"
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then total_fail=$((total_fail + 1)); fi
  [ "$total_fail" -eq 0 ] || break
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
