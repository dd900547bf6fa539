#!/usr/bin/env bash
# Makes sure a Pulumi CLI that can run this project's programs exists, offline:
#   - the `pulumi` on PATH when there is one and it reports a version; otherwise the CLI built from the Go module
#     proxy at the version of the @pulumi/pulumi installed in node_modules (cached outside the repository);
#   - the `pulumi-resource-pulumi-nodejs` dynamic-provider launcher next to it (the official tarball ships it; a
#     source build does not);
#   - the Kubernetes resource plugin at the version of the installed @pulumi/kubernetes, built from the Go module
#     proxy and installed into a plugin cache of our own (never the user's ~/.pulumi);
#   - a Node.js language host beside a built CLI, for `pulumi up` in a project directory (see below).
# Prints, on stdout:
#   PULUMI_ROOT=<dir>            `<dir>/bin/pulumi` is the CLI (what PulumiCommand.get({root}) wants)
#   PULUMI_PLUGINS=<dir>         a PULUMI_HOME `plugins` directory holding resource-kubernetes-v<version>
#   PULUMI_VERSION=<x.y.z>
# Options: --no-build  fail instead of building (used by tests, which must not compile for minutes).
# Env: PULUMI_CALICO_ADC_BUILD_PULUMI=1 ignores a `pulumi` on PATH.
# The Node.js language host of the CLI's own release cannot be built: since v3.69.0 it is a separate, untagged Go
# module that the Go module proxy refuses. Inline Automation API programs (what the tests and the demo run) do not
# need one: the runtime runs inside the calling Node process. For `pulumi up` in a project directory we build the
# host from sdk/v3 v3.68.0, the last release whose module still contained it; the engine falls back from the RPCs
# that host lacks (GetRequiredPackages, Handshake) to the ones it has.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

build=1
[ "${1:-}" = "--no-build" ] && build=0

PULUMI_VERSION=$(npm_package_version @pulumi/pulumi)
LANGUAGE_HOST_SDK_VERSION=3.68.0
K8S_VERSION=$(npm_package_version @pulumi/kubernetes)

# pulumi-kubernetes tags only its sdk module, so the provider module is served under commit pseudo-versions.
k8s_provider_module_version() {
  case $1 in
    4.25.0) echo v4.0.0-20260115033456-f47bc2d6f199 ;;
    *) [ -n "${PULUMI_K8S_PROVIDER_MODULE_VERSION:-}" ] && { echo "$PULUMI_K8S_PROVIDER_MODULE_VERSION"; return; }
       die "no known Go module version of pulumi-kubernetes/provider/v4 for @pulumi/kubernetes $1; find the pseudo-version of its release commit with 'go list -m -versions github.com/pulumi/pulumi-kubernetes/provider/v4' and set PULUMI_K8S_PROVIDER_MODULE_VERSION" ;;
  esac
}

cli_version() { "$1" version 2>/dev/null | grep -Eo '^v?[0-9]+\.[0-9]+\.[0-9]+' | sed 's/^v//'; }

build_pulumi_cli() {
  local out=$1 dir=$PCA_CACHE/pulumi/v$PULUMI_VERSION/build v=$PULUMI_VERSION
  [ -x "$out" ] && return 0
  ensure_go
  building "the Pulumi CLI v$v" "its Node.js language host, then the Kubernetes plugin, unless built already"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  # pkg/go.mod's only non-local replace; it keeps the build graph identical to the upstream release.
  cat > go.mod <<MOD
module local.invalid/pulumi-build

go 1.25

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  quietly go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$v"
  # The tool's dependencies may raise pkg or sdk; pin both back to the release.
  quietly go get "github.com/pulumi/pulumi/pkg/v3@v$v" "github.com/pulumi/pulumi/sdk/v3@v$v"
  # Without the version stamp `pulumi version` prints an empty line and the Automation API refuses the CLI.
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$v" \
    -o "$out.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  mv "$out.tmp" "$out"
  built "$(du -h "$out" | cut -f1)"
}

build_k8s_provider() {
  local out=$1 v=$K8S_VERSION dir=$PCA_CACHE/pulumi-kubernetes/v$K8S_VERSION/build modv src
  [ -x "$out" ] && return 0
  ensure_go
  modv=$(k8s_provider_module_version "$v")
  building "the Kubernetes provider plugin v$v ($modv)" "nothing: the engine is ready after it"
  src=$(go mod download -json "github.com/pulumi/pulumi-kubernetes/provider/v4@$modv" 2>/dev/null | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p')
  [ -d "$src" ] || die "the Go module proxy did not serve github.com/pulumi/pulumi-kubernetes/provider/v4@$modv"
  rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && cp -r "$src" "$dir" && chmod -R u+w "$dir" && cd "$dir"
  # The module replaces its sdk with ../sdk, which the module zip does not hold; the provider imports a few sdk
  # packages (helm/v4, yaml/v2), so use the sdk module of the same release instead.
  go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4
  quietly go get "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$v"
  # The embedded schema and mapping files are gitignored upstream, hence missing from the zip: generate them.
  (cd cmd/pulumi-resource-kubernetes && VERSION=$v quietly go run ./generate.go)
  go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$v" \
    -o "$out.tmp" ./cmd/pulumi-resource-kubernetes
  mv "$out.tmp" "$out"
  built "$(du -h "$out" | cut -f1)"
}

build_language_host() {
  local out=$1 v=$LANGUAGE_HOST_SDK_VERSION dir=$PCA_CACHE/pulumi-language-nodejs/v$LANGUAGE_HOST_SDK_VERSION/build
  [ -x "$out" ] && return 0
  ensure_go
  building "the Node.js language host (pulumi-language-nodejs, sdk/v3 v$v)" "the Kubernetes plugin, unless built already"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  printf 'module local.invalid/language-host-build\n\ngo 1.20\n' > go.mod
  quietly go get -tool "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@v$v"
  go build -trimpath -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$v" \
    -o "$out.tmp" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
  mv "$out.tmp" "$out"
  built "$(du -h "$out" | cut -f1)"
}

install_k8s_plugin() {
  local bin=$PCA_CACHE/pulumi-kubernetes/v$K8S_VERSION/bin/pulumi-resource-kubernetes
  [ -x "$plugin" ] && return 0
  build_k8s_provider "$bin"
  PULUMI_HOME=$home PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    "$root/bin/pulumi" plugin install resource kubernetes "$K8S_VERSION" --file "$bin" >&2
}

# Two set-ups at once (the tests' background build and the phase that waits for it) both get here:
# each writes a file of its own and renames it into place, which is atomic, so neither sees the
# other's half-written file or loses it under its feet.
link_into_place() {
  local tmp
  tmp=$(mktemp -u "$2.XXXXXX")
  ln -s "$1" "$tmp" && mv -Tf "$tmp" "$2"
}

install_launcher() {
  local f=$1/pulumi-resource-pulumi-nodejs tmp
  [ -x "$f" ] && return 0
  tmp=$(mktemp "$f.XXXXXX")
  # Same content as sdk/nodejs/dist/pulumi-resource-pulumi-nodejs in the official distribution.
  cat > "$tmp" <<'SH'
#!/bin/sh
PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH=$(node -e "console.log(require.resolve('@pulumi/pulumi/cmd/dynamic-provider'))")
if [ ! -z "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" ]; then
    node "$PULUMI_DYNAMIC_PROVIDER_SCRIPT_PATH" $@
fi
SH
  chmod 755 "$tmp" && mv -f "$tmp" "$f"
}

# --- the CLI ---
root=""
ambient=$(command -v pulumi || true)
if [ -n "$ambient" ] && [ -z "${PULUMI_CALICO_ADC_BUILD_PULUMI:-}" ] && [ -n "$(cli_version "$ambient")" ]; then
  real=$(readlink -f "$ambient")
  if [ -x "$(dirname "$real")/pulumi-resource-pulumi-nodejs" ]; then
    root=$(dirname "$(dirname "$real")")
    [ -x "$root/bin/pulumi" ] || root=""
  fi
  if [ -z "$root" ]; then
    # An installation without the launcher (or not laid out as <root>/bin): give it one of our own.
    root=$PCA_CACHE/pulumi/ambient
    mkdir -p "$root/bin"
    link_into_place "$real" "$root/bin/pulumi"
  fi
  [ "$(cli_version "$ambient")" = "$PULUMI_VERSION" ] ||
    log "note: using pulumi $(cli_version "$ambient") from PATH ($ambient); @pulumi/pulumi is $PULUMI_VERSION"
else
  root=$PCA_CACHE/pulumi/v$PULUMI_VERSION
  if [ ! -x "$root/bin/pulumi" ]; then
    [ $build -eq 1 ] || die "pulumi v$PULUMI_VERSION is not built; run scripts/setup-pulumi.sh (or scripts/prepare-e2e.sh)"
    mkdir -p "$root/bin"
    with_lock "$PCA_CACHE/pulumi/v$PULUMI_VERSION.lock" build_pulumi_cli "$root/bin/pulumi"
  fi
  [ "$(cli_version "$root/bin/pulumi")" = "$PULUMI_VERSION" ] || die "$root/bin/pulumi does not report v$PULUMI_VERSION"
  if [ ! -x "$root/bin/pulumi-language-nodejs" ]; then
    [ $build -eq 1 ] || die "pulumi-language-nodejs is not built; run scripts/setup-pulumi.sh (or scripts/prepare-e2e.sh)"
    host=$PCA_CACHE/pulumi-language-nodejs/v$LANGUAGE_HOST_SDK_VERSION/bin/pulumi-language-nodejs
    mkdir -p "$(dirname "$host")"
    with_lock "$PCA_CACHE/pulumi-language-nodejs/v$LANGUAGE_HOST_SDK_VERSION.lock" build_language_host "$host"
    link_into_place "$host" "$root/bin/pulumi-language-nodejs"
  fi
fi
[ -x "$root/bin/pulumi-resource-pulumi-nodejs" ] || install_launcher "$root/bin"

# --- the Kubernetes plugin, in our own plugin cache ---
home=$PCA_CACHE/pulumi-home
plugin=$home/plugins/resource-kubernetes-v$K8S_VERSION/pulumi-resource-kubernetes
if [ ! -x "$plugin" ]; then
  [ $build -eq 1 ] || die "the Kubernetes plugin v$K8S_VERSION is not installed; run scripts/setup-pulumi.sh (or scripts/prepare-e2e.sh)"
  mkdir -p "$PCA_CACHE/pulumi-kubernetes/v$K8S_VERSION/bin"
  with_lock "$PCA_CACHE/pulumi-kubernetes/v$K8S_VERSION.lock" install_k8s_plugin
fi

version=$(cli_version "$root/bin/pulumi")
log "pulumi $version at $root/bin; kubernetes plugin v$K8S_VERSION in $home/plugins"
echo "PULUMI_ROOT=$root"
echo "PULUMI_PLUGINS=$home/plugins"
echo "PULUMI_VERSION=$version"
