#!/usr/bin/env bash
# Prepares a machine for `npm run bench`: gnuplot (Debian's gnuplot-nox) draws the bench's PNG
# plot. Installs it with apt when missing and when run as root; otherwise says how, and the
# bench still prints its table.
set -euo pipefail
if command -v gnuplot >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "prepare-bench: gnuplot is missing; the plot needs it: sudo apt-get install gnuplot-nox" >&2
  exit 0
fi
echo "prepare-bench: installing gnuplot-nox"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends gnuplot-nox || { apt-get update -q && apt-get install -y -q --no-install-recommends gnuplot-nox; }
