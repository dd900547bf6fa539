# Shared helpers for the set-up scripts (sourced, not run).
# Builds are cached outside the repository, keyed by version, so only the first run on a machine pays for them.

PCA_CACHE=${PCA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-calico-adc}
PCA_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Progress goes to stderr so that stdout stays machine-readable (KEY=value lines).
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Version of an installed npm package, read from the repository's node_modules (the pin in package-lock wins
# over any range in package.json, and this is the copy the programs actually load).
npm_package_version() {
  local manifest="$PCA_REPO/node_modules/$1/package.json"
  [ -f "$manifest" ] || die "$1 is not installed in $PCA_REPO/node_modules; run 'npm ci' first"
  node -p "require(process.argv[1]).version" "$manifest"
}

ensure_go() {
  if ! command -v go >/dev/null 2>&1; then
    [ -x /usr/local/go/bin/go ] || die "no Go toolchain: install Go >= 1.26 to /usr/local/go"
    export PATH="/usr/local/go/bin:$PATH"
  fi
  # Lean, reproducible static builds; never switch toolchains behind our back.
  export CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
}

# Installs Debian packages that are missing; runs `apt-get update` only when something must be installed.
ensure_apt_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (run as root or install them)"
  log "apt-get install ${missing[*]}"
  if [ -z "${PCA_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    export PCA_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Runs a build step under a lock so that two concurrent set-ups of the same artefact do not both compile it.
with_lock() {
  local lock=$1; shift
  mkdir -p "$(dirname "$lock")"
  exec {fd}>"$lock"
  if ! flock -n "$fd"; then
    log "waiting for another set-up on this machine that is building the same thing (lock $lock)"
    flock "$fd"
  fi
  "$@"
  local rc=$?
  exec {fd}>&-
  return $rc
}

# Runs a command with its output kept back unless it fails (go get is chatty about every module it adds).
quietly() {
  local out
  if ! out=$("$@" 2>&1); then
    printf '%s\n' "$out" >&2
    die "failed: $*"
  fi
}

# Time since an epoch taken with `date +%s`: `42s`, `12m05s`.
since() {
  local s=$(( $(date +%s) - $1 ))
  if [ "$s" -lt 60 ]; then echo "${s}s"; else printf '%dm%02ds\n' $((s / 60)) $((s % 60)); fi
}

# A multi-minute build made visible: what is built and what comes after it, a line every minute with the
# time spent so far, and how long it took.
#   building "<what>" "<what comes next>"; ...build...; built "<detail>"
building() {
  PCA_STEP=$1
  PCA_STEP_T0=$(date +%s)
  log "building $1 (first run on this machine; cached in $PCA_CACHE afterwards). Next: $2"
  (
    trap 'kill "$s" 2>/dev/null; exit 0' TERM
    while :; do
      sleep "${PCA_PROGRESS_SECONDS:-60}" & s=$!
      wait "$s"
      log "  still building $PCA_STEP: $(since "$PCA_STEP_T0") so far"
    done
  ) >/dev/null &
  PCA_TICKER=$!
  trap 'kill "$PCA_TICKER" 2>/dev/null || true' EXIT
}
built() {
  kill "$PCA_TICKER" 2>/dev/null || true
  wait "$PCA_TICKER" 2>/dev/null || true
  trap - EXIT
  log "built $PCA_STEP in $(since "$PCA_STEP_T0")${1:+ ($1)}"
}
