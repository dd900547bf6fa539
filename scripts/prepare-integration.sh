#!/usr/bin/env bash
# The integration tests drive a real kube-apiserver and the real Pulumi engine: same set-up as e2e.
exec bash "$(dirname "$0")/prepare-e2e.sh"
