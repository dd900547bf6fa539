#!/usr/bin/env bash
# A throw-away Kubernetes API server with Calico's CRDs, on loopback only, for tests and the demo.
#   kube-apiserver.sh start  <dir>   start etcd, kube-apiserver and kube-controller-manager (garbage collector and
#                                    namespace controller only), write <dir>/kubeconfig, apply the CRDs
#   kube-apiserver.sh stop   <dir>   stop them (by the pids recorded in <dir>)
#   kube-apiserver.sh status <dir>   exit 0 when all run
# `start` prints, on stdout:  KUBECONFIG=<dir>/kubeconfig  KUBE_SERVER=https://127.0.0.1:<port>
# Env:
#   CALICO_CRDS_DIR   a folder with one sub-folder per Calico release (default: the vendored
#                     tests/fixtures/calico-crds)
#   CALICO_RELEASE    which release folder to apply (default: the newest vX.Y.Z)
#   KUBE_WATCH_PID    stop everything when this process exits (tests pass their own pid, so a killed test run
#                     leaves nothing behind); with KUBE_WATCH_REMOVE_DIR=1 also delete <dir> then
# Only crd.projectcalico.org/v1 can be served here: projectcalico.org/v3 needs Calico's aggregated API server.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|status <dir>"

# Alive and not a zombie: the servers outlive the shell that started them, so init reaps them, at its own pace.
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

running() { [ -f "$dir/$1.pid" ] && alive "$(cat "$dir/$1.pid")"; }

# Stops the named servers together: TERM, up to 5 s of grace, then KILL. The data is thrown away, so a
# graceful shutdown buys nothing but a clean log.
stop_group() {
  local name pid pids=() i
  for name in "$@"; do
    [ -f "$dir/$name.pid" ] || continue
    pid=$(cat "$dir/$name.pid")
    alive "$pid" && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  for i in $(seq 1 50); do
    for pid in "${pids[@]}"; do alive "$pid" && break; pid=""; done
    [ -z "${pid:-}" ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
  for name in "$@"; do rm -f "$dir/$name.pid"; done
}

# etcd last: an API server whose etcd is gone hangs in its shutdown.
stop_all() { stop_group kube-controller-manager kube-apiserver; stop_group etcd; }

calico_crds_dir() {
  local base=${CALICO_CRDS_DIR:-$PCA_REPO/tests/fixtures/calico-crds} release
  [ -d "$base" ] || die "Calico CRDs not found at $base; set CALICO_CRDS_DIR to a folder with one sub-folder per Calico release, or unset it to use tests/fixtures/calico-crds"
  # The newest release folder (vX.Y.Z, not master) unless CALICO_RELEASE names one.
  release=${CALICO_RELEASE:-$(find "$base" -mindepth 1 -maxdepth 1 -type d -name 'v[0-9]*' -printf '%f\n' | sort -V | tail -1)}
  [ -d "$base/$release" ] || die "no Calico release folder '$release' in $base"
  (cd "$base/$release" && pwd)
}

# Free loopback ports, asked of the kernel (port 0) and released just before the servers bind them.
free_ports() {
  node -e '
    const net = require("net"); const n = +process.argv[1]; const servers = []; const ports = [];
    (function next() {
      if (ports.length === n) { servers.forEach(s => s.close()); console.log(ports.join(" ")); return; }
      const s = net.createServer(); servers.push(s);
      s.listen(0, "127.0.0.1", () => { ports.push(s.address().port); next(); });
    })();' "$1"
}

wait_until() {  # wait_until <seconds> <what> <process name> <command...>
  local deadline=$(( $(date +%s) + $1 )) what=$2 proc=$3; shift 3
  until "$@" >/dev/null 2>&1; do
    if ! running "$proc"; then tail -30 "$dir/$proc.log" >&2; die "$proc exited while waiting for $what (log: $dir/$proc.log)"; fi
    [ "$(date +%s)" -lt "$deadline" ] || { tail -30 "$dir/$proc.log" >&2; die "timed out waiting for $what"; }
    sleep 0.2
  done
}

make_certs() {
  local d=$dir/pki
  mkdir -p "$d"
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$d/ca.key" -subj /CN=pulumi-calico-adc-test-ca -days 7 -out "$d/ca.crt" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/apiserver.key" 2>/dev/null
  openssl req -new -key "$d/apiserver.key" -subj /CN=kube-apiserver -out "$d/apiserver.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default\nextendedKeyUsage=serverAuth\n' > "$d/ext"
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 7 \
    -extfile "$d/ext" -out "$d/apiserver.crt" 2>/dev/null
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/sa.key" 2>/dev/null
  openssl ec -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  openssl rand -hex 24 > "$d/token"
  printf '%s,admin,admin,system:masters\n' "$(cat "$d/token")" > "$d/tokens.csv"
  chmod 600 "$d"/*.key "$d/token" "$d/tokens.csv"
}

api() {  # api <method> <path> [curl args...]
  local m=$1 p=$2; shift 2
  curl -sS --fail --cacert "$dir/pki/ca.crt" -H "Authorization: Bearer $(cat "$dir/pki/token")" \
    -X "$m" "https://127.0.0.1:$(cat "$dir/apiserver.port")$p" "$@"
}

apply_crds() {
  local crds f code plural
  crds=$(calico_crds_dir)
  for f in "$crds"/crd.projectcalico.org_*.yaml; do
    [ -f "$f" ] || die "no crd.projectcalico.org_*.yaml in $crds"
    code=$(api POST /apis/apiextensions.k8s.io/v1/customresourcedefinitions -o /dev/null -w '%{http_code}' \
      -H 'Content-Type: application/yaml' --data-binary "@$f" || true)
    case $code in 201|409) ;; *) die "applying $f failed (HTTP $code)" ;; esac
  done
  for f in "$crds"/crd.projectcalico.org_*.yaml; do
    plural=${f##*/crd.projectcalico.org_}; plural=${plural%.yaml}
    wait_until 30 "CRD $plural" kube-apiserver api GET "/apis/crd.projectcalico.org/v1/$plural?limit=1" -o /dev/null
  done
  echo "$crds" > "$dir/calico-crds"
}

start() {
  local bins t0 ports etcd_port peer_port api_port
  t0=$(date +%s)
  if running etcd || running kube-apiserver; then die "already running in $dir"; fi
  bins=$(bash "$PCA_REPO/scripts/setup-kube.sh" --no-build)
  local KUBE_APISERVER KUBE_CONTROLLER_MANAGER ETCD
  KUBE_APISERVER=$(sed -n 's/^KUBE_APISERVER=//p' <<<"$bins")
  KUBE_CONTROLLER_MANAGER=$(sed -n 's/^KUBE_CONTROLLER_MANAGER=//p' <<<"$bins")
  ETCD=$(sed -n 's/^ETCD=//p' <<<"$bins")
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # A start that fails half-way leaves nothing running.
  trap stop_all EXIT
  make_certs
  read -r etcd_port peer_port api_port <<<"$(free_ports 3)"
  echo "$api_port" > "$dir/apiserver.port"

  # Each server gets its own session: a Ctrl-C or a group kill aimed at the caller must not take etcd down under
  # a running API server (whose shutdown then hangs); `stop` and the watchdog stop them in order instead.
  setsid "$ETCD" --name default --data-dir "$dir/etcd-data" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" --logger zap --log-outputs stderr --log-level warn \
    </dev/null >"$dir/etcd.log" 2>&1 &
  echo $! > "$dir/etcd.pid"
  wait_until 20 "etcd" etcd curl -sf "http://127.0.0.1:$etcd_port/health"

  local p=$dir/pki
  setsid "$KUBE_APISERVER" --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --cert-dir "$p" \
    --token-auth-file "$p/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$p/sa.pub" \
    --service-account-signing-key-file "$p/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    --endpoint-reconciler-type none --enable-priority-and-fairness=false --profiling=false \
    </dev/null >"$dir/kube-apiserver.log" 2>&1 &
  echo $! > "$dir/kube-apiserver.pid"
  wait_until 90 "kube-apiserver readiness" kube-apiserver api GET /readyz

  cat > "$dir/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 < "$p/ca.crt")
users:
- name: admin
  user:
    token: $(cat "$p/token")
contexts:
- name: test
  context: {cluster: test, user: admin}
current-context: test
KCFG
  chmod 600 "$dir/kubeconfig"
  apply_crds

  # Started after the CRDs are served, so that the garbage collector watches Calico's kinds from the start
  # (it only rediscovers resources every 30 s).
  setsid "$KUBE_CONTROLLER_MANAGER" --kubeconfig "$dir/kubeconfig" --controllers garbagecollector,namespace \
    --leader-elect=false --use-service-account-credentials=false --bind-address 127.0.0.1 --secure-port 0 \
    </dev/null >"$dir/kube-controller-manager.log" 2>&1 &
  echo $! > "$dir/kube-controller-manager.pid"
  wait_until 30 "the garbage collector" kube-controller-manager \
    grep -q 'all resource monitors have synced' "$dir/kube-controller-manager.log"

  if [ -n "${KUBE_WATCH_PID:-}" ]; then
    # Detached from our stdout so that a caller reading it sees end-of-file now.
    # It ends quietly when `stop` removed the pid files; when the owner died instead, it stops the servers (and
    # removes the directory, whose owner can no longer).
    setsid nohup bash -c 'while kill -0 "$1" 2>/dev/null && [ -f "$2/etcd.pid" ]; do sleep 1; done
      bash "$3" stop "$2"
      if [ "$4" = 1 ] && ! kill -0 "$1" 2>/dev/null; then rm -rf "$2"; fi' \
      watchdog "$KUBE_WATCH_PID" "$dir" "$0" "${KUBE_WATCH_REMOVE_DIR:-0}" </dev/null >/dev/null 2>&1 &
  fi
  trap - EXIT
  log "kube-apiserver on https://127.0.0.1:$api_port (etcd :$etcd_port), Calico CRDs from $(cat "$dir/calico-crds"), $(since "$t0")"
  echo "KUBECONFIG=$dir/kubeconfig"
  echo "KUBE_SERVER=https://127.0.0.1:$api_port"
}

case $cmd in
  start) start ;;
  stop) stop_all ;;
  status) running etcd && running kube-apiserver && running kube-controller-manager ;;
  *) die "usage: $0 start|stop|status <dir>" ;;
esac
