#!/usr/bin/env bash
# Makes sure a kube-apiserver, a kube-controller-manager and an etcd exist on this machine, building the two
# Kubernetes binaries from the Go module proxy the first time (cached outside the repository, keyed by version).
# The controller manager runs only the garbage collector and the namespace controller: without the garbage
# collector, a foreground delete (pulumi-kubernetes' default) never completes. Prints, on stdout:
#   KUBE_APISERVER=/path/to/kube-apiserver
#   KUBE_CONTROLLER_MANAGER=/path/to/kube-controller-manager
#   ETCD=/path/to/etcd
# Options: --no-build  fail instead of building (used by tests, which must not compile for minutes).
# Env: KUBE_VERSION (default below) picks the Kubernetes release; its staging modules are published as v0.<minor>.<patch>.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

KUBE_VERSION=${KUBE_VERSION:-v1.37.2}
build=1
[ "${1:-}" = "--no-build" ] && build=0

ensure_etcd() {
  if ! command -v etcd >/dev/null 2>&1; then
    [ $build -eq 1 ] || die "etcd is missing; run scripts/setup-kube.sh"
    ensure_apt_packages etcd-server
  fi
  command -v etcd
}

build_kube() {
  local bindir=$1 dir=$PCA_CACHE/kube/$KUBE_VERSION/build
  [ -x "$bindir/kube-apiserver" ] && [ -x "$bindir/kube-controller-manager" ] && return 0
  ensure_go
  local staging
  staging="v0.${KUBE_VERSION#v1.}"
  building "kube-apiserver and kube-controller-manager $KUBE_VERSION" "the Pulumi engine (scripts/setup-pulumi.sh), unless built already"
  rm -rf "$dir" && mkdir -p "$dir" && cd "$dir"
  printf 'module local.invalid/kube-build\n\ngo 1.26.0\n' > go.mod
  # k8s.io/kubernetes replaces its staging modules with directories that its module zip does not contain;
  # mirror each replace with the module published from the same release.
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" 2>/dev/null | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p')
  [ -f "$gomod" ] || die "the Go module proxy did not serve k8s.io/kubernetes@$KUBE_VERSION"
  local args=() m
  for m in $(sed -n 's#^\s*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod"); do
    case $m in k8s.io/sample-*) continue ;; esac   # not published, and not needed here
    args+=("-replace=$m=$m@$staging")
  done
  go mod edit "${args[@]}"
  quietly go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBE_VERSION"
  local minor=${KUBE_VERSION#v1.}; minor=${minor%%.*}
  local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION"
  ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
  mkdir -p "$dir/out"
  # One invocation, so the packages both binaries share compile once.
  go build -trimpath -tags notest,grpcnotrace,providerless -ldflags "$ldflags" -o "$dir/out/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager
  mkdir -p "$bindir"
  mv "$dir/out/kube-apiserver" "$dir/out/kube-controller-manager" "$bindir/"
  built "$(du -ch "$bindir"/kube-* | tail -1 | cut -f1)"
}

bindir=$PCA_CACHE/kube/$KUBE_VERSION/bin
if [ ! -x "$bindir/kube-apiserver" ] || [ ! -x "$bindir/kube-controller-manager" ]; then
  [ $build -eq 1 ] || die "kube-apiserver $KUBE_VERSION is not built; run scripts/setup-kube.sh (or scripts/prepare-e2e.sh)"
  ensure_apt_packages openssl curl
  with_lock "$PCA_CACHE/kube/$KUBE_VERSION.lock" build_kube "$bindir"
fi
etcd_bin=$(ensure_etcd)
echo "KUBE_APISERVER=$bindir/kube-apiserver"
echo "KUBE_CONTROLLER_MANAGER=$bindir/kube-controller-manager"
echo "ETCD=$etcd_bin"
