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
  flock "$fd"
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

# Seconds since an epoch taken with `date +%s`.
since() { echo $(( $(date +%s) - $1 ))s; }
