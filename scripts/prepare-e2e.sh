#!/usr/bin/env bash
# Makes sure the real parts the integration and e2e tests and the demo drive exist on this machine: a
# kube-apiserver with etcd, and the Pulumi CLI with its Node.js language host, the dynamic-provider launcher and
# the Kubernetes plugin. The first run builds them from the Go module proxy (see the README for how long that
# takes), printing each step, a line a minute while it builds, and what comes next; later runs find the cache
# and take a second.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

t0=$(date +%s)
state() { if bash "$PCA_REPO/scripts/$1" --no-build >/dev/null 2>&1; then echo cached; else echo "to build"; fi; }
kube=$(state setup-kube.sh)
engine=$(state setup-pulumi.sh)
if [ "$kube" != cached ] || [ "$engine" != cached ]; then
  log "set-up: 1. kube-apiserver + kube-controller-manager: $kube; 2. Pulumi CLI, language host, Kubernetes plugin: $engine"
  log "a cold build takes tens of minutes on 2 cores (README, Development); it runs once per machine"
fi
bash "$PCA_REPO/scripts/setup-kube.sh" >/dev/null
bash "$PCA_REPO/scripts/setup-pulumi.sh" >/dev/null
log "engine and kube-apiserver ready ($(since "$t0"))"
