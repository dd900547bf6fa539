#!/usr/bin/env bash
# Prepares a machine for the lab phase (tests/lab): the BGP daemons the lab runs inside its own
# network namespaces, FRRouting (zebra, bgpd, vtysh) as the ADC and BIRD 1.6 as the Calico nodes.
#
# - Installs the Debian packages `frr` and `bird` with apt when they are missing (`apt-get update`
#   once first). `bird` is BIRD 1.6, what calico-node runs; Debian's `bird2` conflicts with it.
# - Makes sure no system-wide frr/bird daemon runs: the packages' services are stopped and
#   disabled. The lab starts its own daemons, only inside namespaces it creates.
# - Removes labs left behind by killed runs (namespaces and the daemons in them).
#
# Runs as root. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "prepare-lab: needs root (apt, network namespaces)" >&2
  exit 1
fi

services=(frr bird bird6)

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
{ [ -x /usr/lib/frr/zebra ] && [ -x /usr/lib/frr/bgpd ] && command -v vtysh >/dev/null 2>&1; } || missing+=(frr)
{ command -v bird >/dev/null 2>&1 && command -v birdc >/dev/null 2>&1; } || missing+=(bird)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "prepare-lab: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packages' maintainer scripts from starting their services at all (invoke-rc.d honours
  # policy-rc.d exit code 101). An existing policy is left alone.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi
  trap 'if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Stop and disable the system services, through whichever service manager runs them.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  for s in "${services[@]}"; do
    if systemctl list-unit-files "$s.service" >/dev/null 2>&1; then
      systemctl disable --now "$s.service" >/dev/null 2>&1 || true
    fi
  done
else
  for s in "${services[@]}"; do
    [ -x "/etc/init.d/$s" ] || continue
    if /etc/init.d/"$s" status >/dev/null 2>&1; then
      echo "prepare-lab: stopping the system $s service"
      /etc/init.d/"$s" stop >/dev/null 2>&1 || true
    fi
    command -v update-rc.d >/dev/null 2>&1 && update-rc.d "$s" disable >/dev/null 2>&1 || true
  done
fi

# Report (not kill) routing daemons still running in the root network namespace: they are not
# ours, but the lab's tests check that no BGP speaker of theirs runs there.
# This script runs in the root namespace (pid 1's link may not be readable in a container or VM).
root_ns=$(readlink "/proc/$$/ns/net")
for comm in zebra bgpd bird bird6; do
  for pid in $(pgrep -x "$comm" || true); do
    if [ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" = "$root_ns" ]; then
      echo "prepare-lab: warning: $comm (pid $pid) runs in the root network namespace; it is not the lab's" >&2
    fi
  done
done

# Labs whose test run was killed: their namespaces and daemons.
if [ -f bin/tests/lab/support/labCli.js ]; then
  node bin/tests/lab/support/labCli.js clean
fi

echo "prepare-lab: $(/usr/lib/frr/bgpd --version 2>/dev/null | head -1 || echo 'bgpd ?'); $(bird --version 2>&1 | head -1)"
