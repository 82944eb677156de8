#!/usr/bin/env bash
# test-control-plane.sh - a real Kubernetes v1.31.4 control plane with fake nodes and no containers,
# standing in for "the cloud cluster" in berth's tests (promote). etcd + kube-apiserver +
# kube-controller-manager + kube-scheduler, and kwok (Kubernetes WithOut Kubelet) for the nodes.
# The recipe and its limits: shared/docs/test-control-plane.md; kwok stages: hack/test-control-plane/.
#
#   test-control-plane.sh build   # binaries into the cluster-image cache dir (skips what is there)
#   test-control-plane.sh up      # start (or reuse a running one); the LAST stdout line is the kubeconfig path
#   test-control-plane.sh down    # stop what "up" started, by PID, and drop etcd's data
#
# The Kubernetes and etcd binaries are the ones hack/cluster-image.sh builds for the kind node image,
# in ${XDG_CACHE_HOME:-~/.cache}/berth/bin-<key>/ (hack/test-control-plane/k8s-bin-dir.sh finds it);
# when they are missing, "build" runs the same kindnode steps under cluster-image.sh's lock. kwok is
# built next to them. Progress goes to stderr, build step logs to ~/.cache/berth/logs/tcp-*.log.
#
# Environment (all optional):
#   TCP_BIN        binaries                          (default: the cluster-image bin dir)
#   TCP_PORT_BASE  etcd=BASE, peer=BASE+1, apiserver=BASE+2, kwok=BASE+3   (default 23790)
#   TCP_STATE      pki, kubeconfig, logs, pids       (default: ${TMPDIR:-/tmp}/berth-tcp-<uid>-<BASE>)
#   TCP_NODES      number of fake nodes (default 1)
#   TCP_FAKE_LB    1 = LoadBalancer Services and Ingresses get the (cosmetic) address 127.0.0.1
#   TCP_KWOK_EXTRA a YAML file of more kwok objects (ClusterPortForward, ClusterExec, Stages ...)
# kwok reads its config only at start: after changing the last three, run "down" then "up".
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
CONF=$HACK/test-control-plane
KWOK_VERSION=v0.8.0
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/berth
BASE=${TCP_PORT_BASE:-23790}
TCP_BIN=${TCP_BIN:-$("$CONF/k8s-bin-dir.sh")}
TCP_STATE=${TCP_STATE:-${TMPDIR:-/tmp}/berth-tcp-$(id -u)-$BASE}
TOKEN=test-admin-token
K8S_BINS=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd)

say() { echo "test-control-plane: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- build

have_k8s_bins() {
  local b
  for b in "${K8S_BINS[@]}"; do [ -x "$TCP_BIN/$b" ] || return 1; done
}
have_kwok() { [ -x "$TCP_BIN/kwok" ] && go version -m "$TCP_BIN/kwok" 2>/dev/null | grep -q "sigs.k8s.io/kwok[[:space:]]*$KWOK_VERSION"; }

# step NAME COMMAND...: one build step, its output in $CACHE/logs/tcp-NAME.log
step() {
  local name=$1 start log=$CACHE/logs/tcp-$1.log
  shift
  start=$(date +%s)
  say "step $name ..."
  if ! "$@" >"$log" 2>&1; then
    tail -25 "$log" >&2
    die "step $name failed, see $log"
  fi
  say "step $name: $(($(date +%s) - start))s"
}

# The kindnode steps of cluster-image.sh, limited to what a control plane needs. They share
# cluster-image.sh's work dir, so they run under its lock; a build it has under way finishes first.
build_k8s() {
  export KN_SRC=$HACK/kindnode KN_WORK=$CACHE/kindnode-work
  exec 9>"$CACHE/.cluster-image.lock"
  # A node image build may hold the lock for long after it has made our binaries: poll for both.
  if ! flock -n 9; then
    say "waiting for the cluster-image lock or for its build to produce the binaries"
    while ! flock -n 9; do
      have_k8s_bins && exec 9>&- && return 0
      sleep 5
    done
  fi
  if ! have_k8s_bins; then
    mkdir -p "$KN_WORK" "$TCP_BIN"
    ln -sfn "$TCP_BIN" "$KN_WORK/bin"
    step modules "$KN_SRC/init-modules.sh"
    step k8s-binaries "$KN_SRC/build-k8s.sh" kube-apiserver kube-controller-manager kube-scheduler kubectl
    step etcd "$KN_SRC/build-addons.sh" etcd
  fi
  exec 9>&-
}

# kwok's go.mod has no replace lines, so "go install" works. Built into a temp dir and moved,
# so an "up" running meanwhile never sees half a binary.
build_kwok() {
  exec 8>"$CACHE/.test-control-plane-build.lock"
  flock 8
  if ! have_kwok; then
    local tmp
    tmp=$(mktemp -d "$TCP_BIN/.kwok-XXXXXX")
    # from a temp dir: the project's go.mod and GOFLAGS must not take part
    step kwok env -C "$tmp" GOBIN="$tmp" GOFLAGS= CGO_ENABLED=0 \
      go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
    mv "$tmp/kwok" "$TCP_BIN/kwok" && rmdir "$tmp"
  fi
  exec 8>&-
}

build() {
  command -v go >/dev/null || die "go is not installed"
  mkdir -p "$CACHE/logs" "$TCP_BIN"
  local start
  start=$(date +%s)
  have_k8s_bins || build_k8s
  have_k8s_bins || die "kindnode steps finished but $TCP_BIN lacks one of: ${K8S_BINS[*]}"
  have_kwok || build_kwok
  say "binaries ready in $TCP_BIN ($(($(date +%s) - start))s)"
}

# ---------------------------------------------------------------- up

pki() {
  local d=$TCP_STATE/pki
  [ -f "$d/tokens.csv" ] && return 0
  rm -rf "$d" && mkdir -p "$d" && (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj /CN=berth-test-ca
    printf '%s\n' basicConstraints=CA:FALSE keyUsage=digitalSignature,keyEncipherment extendedKeyUsage=serverAuth \
      'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local' >serving.ext
    openssl req -newkey rsa:2048 -nodes -keyout serving.key -out serving.csr -subj /CN=kube-apiserver
    openssl x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out serving.crt -days 3650 -extfile serving.ext
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
    rm -f serving.csr serving.ext ca.srl
    echo "$TOKEN,admin,admin-uid,\"system:masters\"" >tokens.csv.tmp # token,user,uid,"groups"
    mv tokens.csv.tmp tokens.csv                                       # last: marks the pki complete
  ) 2>"$TCP_STATE/logs/pki.log" || die "making certificates failed, see $TCP_STATE/logs/pki.log"
}

# kwok.yaml: the upstream stages vendored in $CONF/kwok, ours, and a ClusterLogs rule. No
# KwokConfiguration document: with one, kwok v0.8.0 zeroes every option the file leaves out.
kwok_config() {
  local logs=$TCP_STATE/kwok-logs f
  mkdir -p "$logs"
  # kwok serves "kubectl logs" from this file, in CRI log format: <RFC3339Nano> <stream> <F|P> <text>
  [ -f "$logs/default.log" ] || printf '%s stdout F hello from a kwok pod\n' "$(date -u +%Y-%m-%dT%H:%M:%S.000000000Z)" >"$logs/default.log"
  {
    for f in "$CONF"/kwok/upstream-*.yaml "$CONF/kwok/pod-running-not-ready.yaml"; do echo ---; cat "$f"; done
    if [ "${TCP_FAKE_LB:-0}" = 1 ]; then echo ---; cat "$CONF/kwok/fake-lb.yaml"; fi
    echo ---
    sed "s|@LOGS_FILE@|$logs/default.log|" "$CONF/kwok/cluster-logs.yaml"
    if [ -n "${TCP_KWOK_EXTRA:-}" ]; then echo ---; cat "$TCP_KWOK_EXTRA"; fi
  } >"$TCP_STATE/kwok.yaml"
}

write_kubeconfig() {
  cat >"$KC.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: berth-test-cp
  cluster: {server: "https://127.0.0.1:$API_PORT", certificate-authority: "$TCP_STATE/pki/ca.crt"}
users:
- name: admin
  user: {token: $TOKEN}
contexts:
- name: berth-test-cp
  context: {cluster: berth-test-cp, user: admin}
current-context: berth-test-cp
EOF
  mv "$KC.tmp" "$KC" # atomic: tests in other packages may be reading it
}

# start NAME BINARY ARGS...: a daemon in its own session (a Ctrl-C or a killed test run does not
# reach it), with no inherited stdio or lock fds (a caller reading our stdout would wait for ever).
start() {
  local name=$1
  shift
  setsid "$@" </dev/null >"$TCP_STATE/logs/$name.log" 2>&1 8>&- 9>&- &
  echo "$name $!" >>"$TCP_STATE/pids"
}

# ours NAME PID: the PID is alive and still the process we started (PIDs get reused)
ours() { [ -r "/proc/$2/cmdline" ] && tr '\0' ' ' <"/proc/$2/cmdline" | grep -q -- "/$1 "; }
api_ready() {
  curl -fsS --max-time 2 --cacert "$TCP_STATE/pki/ca.crt" -H "Authorization: Bearer $TOKEN" \
    "https://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1
}
# running: every process we started is alive and the API answers. A loaded machine can make the
# API slow for a while; restarting would pull it from under other tests, so give it 30 s.
running() {
  [ -s "$TCP_STATE/pids" ] && [ -f "$KC" ] || return 1
  local name pid i
  while read -r name pid; do ours "$name" "$pid" || return 1; done <"$TCP_STATE/pids"
  for ((i = 0; i < 30; i++)); do api_ready && return 0; sleep 1; done
  return 1
}
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for WHAT SECONDS COMMAND...: poll every 0.2 s
wait_for() {
  local what=$1 n=$(($2 * 5)) i
  shift 2
  for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what not ready after ${2}s; logs in $TCP_STATE/logs"
}

nodes_and_storage_class() {
  local i
  for ((i = 0; i < ${TCP_NODES:-1}; i++)); do sed "s/@NAME@/kwok-node-$i/g" "$CONF/node.yaml"; echo ---; done
  cat "$CONF/storage-class.yaml"
}

start_all() {
  local P=$TCP_STATE/pki kwok_port=$((BASE + 3)) data=$TCP_STATE/etcd p
  for p in "$BASE" $((BASE + 1)) "$API_PORT" "$kwok_port"; do
    ! port_busy "$p" || die "port $p is in use by something else; choose another TCP_PORT_BASE"
  done
  # etcd's data on tmpfs (it counts as memory, about 125 MiB): fast starts and no disk syncs
  [ -w /dev/shm ] && data=/dev/shm/berth-tcp-etcd-$(id -u)-$BASE
  rm -rf "$data"
  echo "$data" >"$TCP_STATE/etcd-data-dir"
  start etcd "$TCP_BIN/etcd" --name test --data-dir "$data" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$BASE" --advertise-client-urls "http://127.0.0.1:$BASE" \
    --listen-peer-urls "http://127.0.0.1:$((BASE + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((BASE + 1))" \
    --initial-cluster "test=http://127.0.0.1:$((BASE + 1))" --logger zap --log-level warn
  start kube-apiserver "$TCP_BIN/kube-apiserver" --etcd-servers="http://127.0.0.1:$BASE" \
    --bind-address=127.0.0.1 --secure-port="$API_PORT" --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --tls-cert-file="$P/serving.crt" --tls-private-key-file="$P/serving.key" \
    --client-ca-file="$P/ca.crt" --token-auth-file="$P/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$P/sa.pub" --service-account-signing-key-file="$P/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --allow-privileged=true \
    --enable-priority-and-fairness=false --profiling=false --kubelet-preferred-address-types=InternalIP
  wait_for kube-apiserver 90 api_ready
  # The fake nodes' health is not under test. With the default 40 s grace, one stall of kwok's
  # lease renewals on a loaded machine (seen in CI, load ~15) marked the node NotReady, the node
  # controller marked every pod not ready, and kwok never makes a Running pod Ready again: every
  # later rollout on the control plane failed. An hour of grace makes a stall harmless.
  start kube-controller-manager "$TCP_BIN/kube-controller-manager" \
    --kubeconfig="$KC" --authentication-kubeconfig="$KC" --authorization-kubeconfig="$KC" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false \
    --node-monitor-grace-period=1h --node-startup-grace-period=1h \
    --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
    --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key"
  # kwok never binds pods: without the scheduler they stay Pending
  start kube-scheduler "$TCP_BIN/kube-scheduler" \
    --kubeconfig="$KC" --authentication-kubeconfig="$KC" --authorization-kubeconfig="$KC" \
    --bind-address=127.0.0.1 --secure-port=0 --leader-elect=false
  start kwok "$TCP_BIN/kwok" --kubeconfig="$KC" --config="$TCP_STATE/kwok.yaml" --manage-all-nodes=true \
    --node-ip=127.0.0.1 --node-port="$kwok_port" --server-address="127.0.0.1:$kwok_port" \
    --tls-cert-file="$P/serving.crt" --tls-private-key-file="$P/serving.key"
}

up() {
  mkdir -p "$TCP_STATE/logs"
  exec 9>"$TCP_STATE/lock" # one up or down at a time for this state dir
  flock 9
  API_PORT=$((BASE + 2)) KC=$TCP_STATE/kubeconfig
  if running; then
    say "already running (pids in $TCP_STATE/pids)"
    echo "$KC"
    return 0
  fi
  stop_all # whatever is left of an earlier, broken start
  have_k8s_bins && [ -x "$TCP_BIN/kwok" ] || { say "binaries missing in $TCP_BIN; run: $0 build"; exit 3; }
  local start=$EPOCHREALTIME kc=$TCP_BIN/kubectl
  pki
  kwok_config
  write_kubeconfig
  start_all
  nodes_and_storage_class | "$kc" --kubeconfig="$KC" apply -f - >"$TCP_STATE/logs/apply.log" 2>&1 ||
    die "creating nodes failed, see $TCP_STATE/logs/apply.log"
  wait_for "fake nodes" 60 "$kc" --kubeconfig="$KC" wait --for=condition=Ready node --all --timeout=1s
  # pods can only be created once the ServiceAccount controller has made "default"
  wait_for "default ServiceAccount" 60 "$kc" --kubeconfig="$KC" -n default get serviceaccount default
  say "up in $(awk "BEGIN{printf \"%.1f\", $EPOCHREALTIME - $start}")s: API https://127.0.0.1:$API_PORT, logs in $TCP_STATE/logs"
  echo "$KC"
}

# ---------------------------------------------------------------- down

stop_all() {
  [ -f "$TCP_STATE/pids" ] || return 0
  local name pid i alive
  tac "$TCP_STATE/pids" | while read -r name pid; do ! ours "$name" "$pid" || kill "$pid"; done
  for ((i = 0; i < 100; i++)); do
    alive=0
    while read -r name pid; do ! ours "$name" "$pid" || alive=1; done <"$TCP_STATE/pids"
    [ $alive = 0 ] && break
    sleep 0.1
  done
  while read -r name pid; do ! ours "$name" "$pid" || kill -9 "$pid"; done <"$TCP_STATE/pids"
  rm -f "$TCP_STATE/pids"
  [ -f "$TCP_STATE/etcd-data-dir" ] && rm -rf "$(cat "$TCP_STATE/etcd-data-dir")" "$TCP_STATE/etcd-data-dir"
  return 0
}

down() {
  [ -d "$TCP_STATE" ] || return 0
  exec 9>"$TCP_STATE/lock"
  flock 9
  stop_all
  say "stopped; certificates and logs kept in $TCP_STATE"
}

case "${1:-}" in
build) build ;;
up) up ;;
down) down ;;
*) echo "usage: $0 build|up|down" >&2 && exit 2 ;;
esac
