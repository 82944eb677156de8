#!/usr/bin/env bash
# Smoke test of the offline node image: create a kind cluster from it, wait for every
# system pod, run a pod of localhost/berth/wait:1 that waits (as berth's init containers do)
# for the API Service, check a pod gets Ready, delete the cluster. One PASS/FAIL line each.
# usage: verify-cluster.sh [node-image]   (default: what hack/cluster-image.sh prints)
# Uses its own kubeconfig file, so ~/.kube/config is left alone.
set -uo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
IMAGE=${1:-$("$HACK/cluster-image.sh" | tail -1)}
NAME=berth-verify-$$
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/berth
KIND=$(command -v kind || ls "$CACHE"/bin-*/kind 2>/dev/null | head -1)
[ -x "$KIND" ] || { echo "FAIL no kind binary (PATH or $CACHE/bin-*/kind)"; exit 1; }
TMP=$(mktemp -d)
K="kubectl --kubeconfig $TMP/kubeconfig"
fail=0
ok() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fail=1; }
now() { date +%s.%N; }
dt() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }
cleanup() {
  local t
  t=$(now)
  "$KIND" delete cluster --name "$NAME" --kubeconfig "$TMP/kubeconfig" >/dev/null 2>&1 \
    && ok "kind delete cluster: $(dt "$t")" || bad "kind delete cluster"
  rm -rf "$TMP"
  exit "$fail"
}
trap cleanup EXIT

t=$(now)
if "$KIND" create cluster --name "$NAME" --image "$IMAGE" --kubeconfig "$TMP/kubeconfig" \
  --wait 5m >"$TMP/create.log" 2>&1; then
  ok "kind create cluster --image $IMAGE (control plane Ready): $(dt "$t")"
else
  bad "kind create cluster"; tail -30 "$TMP/create.log"; exit 1
fi
t=$(now)
if $K wait --for=condition=Ready pods --all -A --timeout=180s >/dev/null; then
  ok "all system pods Ready: +$(dt "$t")"
else
  bad "system pods"; $K get pods -A
fi

# The wait image, used the way berth's init containers use it. Debian's busybox nc has no -z:
# `nc -w 2 HOST PORT </dev/null` exits 0 once it connects.
$K apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Pod
metadata: {name: waiter}
spec:
  restartPolicy: Never
  containers:
  - name: wait
    image: localhost/berth/wait:1
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'until nc -w 2 kubernetes.default.svc.cluster.local 443 </dev/null; do sleep 1; done; echo reachable']
---
apiVersion: v1
kind: Pod
metadata: {name: ready-check, labels: {app: ready-check}}
spec:
  containers:
  - name: web
    image: localhost/kindnode/busybox:1.35
    imagePullPolicy: IfNotPresent
    command: [sh, -c, 'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www']
    readinessProbe:
      httpGet: {path: /index.html, port: 8080}
      periodSeconds: 1
EOF
t=$(now)
if $K wait --for=jsonpath='{.status.phase}'=Succeeded pod/waiter --timeout=90s >/dev/null \
  && [ "$($K logs waiter)" = reachable ]; then
  ok "localhost/berth/wait:1 reached kubernetes.default:443 by DNS name: $(dt "$t")"
else
  bad "wait image"; $K describe pod waiter | tail -15
fi
if $K wait --for=condition=Ready pod/ready-check --timeout=90s >/dev/null; then
  ok "pod with an HTTP readinessProbe is Ready: $(dt "$t")"
else
  bad "ready-check pod"; $K describe pod ready-check | tail -15
fi
exit $fail
