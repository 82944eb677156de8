#!/usr/bin/env bash
# Build Kubernetes v1.31.4 binaries from the wrapper module in ./k8s (static, CGO off).
# usage: build-k8s.sh [component...]
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}/k8s"
V=v1.31.4
LDF="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDF="$LDF -X $p.gitVersion=$V -X $p.gitMajor=1 -X $p.gitMinor=31 -X $p.gitTreeState=clean -X $p.buildDate=1970-01-01T00:00:00Z"
done
comps=("$@"); [ ${#comps[@]} -eq 0 ] && comps=(kubeadm kubelet kubectl kube-proxy kube-apiserver kube-controller-manager kube-scheduler)
for c in "${comps[@]}"; do
  [ -x "../bin/$c" ] && { echo "cached $c"; continue; }
  s=$(date +%s)
  CGO_ENABLED=0 go build -trimpath -ldflags "$LDF" -o ../bin/$c k8s.io/kubernetes/cmd/$c
  echo "built $c in $(( $(date +%s) - s ))s, size $(du -h ../bin/$c | cut -f1)"
done
