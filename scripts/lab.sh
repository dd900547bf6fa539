#!/usr/bin/env bash
# The BGP lab by hand: FRRouting as the ADC and BIRD as Calico nodes, in network namespaces,
# with the NetScaler CLI simulator's SSH server (127.0.0.1) routing through the lab's FRR.
#
#   sudo scripts/lab.sh up                 # lab + simulator in the foreground; Ctrl-C removes both
#   sudo scripts/lab.sh start              # a lab that keeps running
#   sudo scripts/lab.sh simulator          # attach the simulator to it (foreground)
#   sudo scripts/lab.sh status             # both ends' sessions
#   sudo scripts/lab.sh stop               # remove it
#
# `scripts/lab.sh help` lists every command. Needs root, and frr + bird (scripts/prepare-lab.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "lab: needs root (network namespaces)" >&2
  exit 1
fi
if [ ! -f bin/tests/lab/support/labCli.js ] || [ -n "${LAB_BUILD:-}" ]; then
  npx tsc -p tsconfig.json
fi
exec node bin/tests/lab/support/labCli.js "$@"
