#!/usr/bin/env bash
# The project's test command (`npm test`). Fast tests first, so a failure shows early:
#   1. unit         pure code, no I/O beyond loopback
#   2. integration  real SSH against the simulator, a real kube-apiserver
#   3. e2e          the real Pulumi engine through the Automation API and the CLI, the packed package
#   4. lab          real BGP daemons (FRR, BIRD) in network namespaces (needs root)
# Each phase does its own set-up; `TEST_PHASES="unit integration"` runs a subset. It stops at the first
# failing phase. The last line is always `<n> passed, <n> failed`, alone (CI reads it); pending (skipped)
# tests are counted and listed above it.
set -euo pipefail
cd "$(dirname "$0")/.."
known="unit integration e2e lab"
phases=${TEST_PHASES:-$known}
for phase in $phases; do
  case " $known " in
    *" $phase "*) ;;
    *) echo "scripts/test.sh: unknown phase '$phase' in TEST_PHASES; the phases are: $known" >&2; exit 2 ;;
  esac
done

# A fresh clone: install the npm packages first.
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund --loglevel=error
# `npm install <pkg>` prunes the package's link to itself; the serialized providers need it.
node scripts/self-link.js
# Compiled from scratch: a test (or module) deleted from the sources must not keep running from bin/.
rm -rf bin
npx tsc -p tsconfig.json

total_pass=0
total_fail=0
total_pending=0
pending_titles=""
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
  count() { grep -Eo "^ *[0-9]+ $1" "$report" | grep -Eo '[0-9]+' || echo 0; }
  pass=$(count passing)
  fail=$(count failing)
  pending=$(count pending)
  # The spec reporter prints a pending test as `- <title>` at its suite's indentation.
  titles=$(sed -n "s/^ \{2,\}- \(.*\)$/  $phase: \1/p" "$report")
  [ -z "$titles" ] || pending_titles+="$titles"$'\n'
  rm -f "$report"
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  total_pending=$((total_pending + pending))
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then total_fail=$((total_fail + 1)); fi
  [ "$total_fail" -eq 0 ] || break
done
if [ "$total_pending" -gt 0 ]; then
  echo "$total_pending pending (skipped):"
  printf '%s' "$pending_titles"
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
