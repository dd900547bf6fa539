#!/usr/bin/env bash
# Makes sure the real parts the integration and e2e tests drive exist on this machine: the Pulumi CLI with the
# dynamic-provider launcher and the Kubernetes plugin, and a kube-apiserver with etcd. The first run builds
# from the Go module proxy (about 15 minutes on 2 cores); later runs find the cache and take a second.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

t0=$(date +%s)
bash "$PCA_REPO/scripts/setup-kube.sh" >/dev/null
bash "$PCA_REPO/scripts/setup-pulumi.sh" >/dev/null
log "engine and kube-apiserver ready ($(since "$t0"))"
