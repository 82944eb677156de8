#!/usr/bin/env bash
# Create the wrapper Go modules that pin and build every binary of the node image.
# Only the Go module proxy is used. Safe to re-run.
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}"
K8S=v1.31.4 STAGING=v0.31.4 ETCD=v3.5.15 COREDNS=v1.11.3 LPP=v0.0.30

# Kubernetes: k8s.io/kubernetes requires its staging repos as v0.0.0, so every one
# of them must be pinned with a replace to the matching v0.31.x tag.
mkdir -p k8s/cmd
# our two small programs live in the repo under hack/kindnode/_go (the "_" keeps them out of
# berth's ./... patterns) and are built inside this wrapper module to reuse its dependencies
rm -rf k8s/cmd/kindnet-lite k8s/cmd/crictl
cp -r "${KN_SRC:?}"/_go/cmd/kindnet-lite "${KN_SRC:?}"/_go/cmd/crictl k8s/cmd/
cd k8s
[ -f go.mod ] || go mod init example.local/kindnode-k8s
for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
  cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api \
  cri-client csi-translation-lib dynamic-resource-allocation endpointslice kms kube-aggregator \
  kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils \
  pod-security-admission sample-apiserver sample-cli-plugin sample-controller; do
  go mod edit -replace "k8s.io/$m=k8s.io/$m@$STAGING"
done
go mod edit -require "k8s.io/kubernetes@$K8S"
for c in kube-apiserver kube-controller-manager kube-scheduler kube-proxy kubeadm kubelet kubectl; do
  go mod edit -tool "k8s.io/kubernetes/cmd/$c"
done
go mod tidy   # also covers ./cmd/kindnet-lite and ./cmd/crictl if present
cd ..

wrap() { # dir module version main-package
  mkdir -p "$1" && (cd "$1" && { [ -f go.mod ] || go mod init "example.local/$(basename "$1")"; } \
    && go get "$2@$3" && go mod edit -tool "$4" && go mod tidy)
}
# etcd's own go.mod has replace directives, so `go install ...@version` refuses it: wrap it.
wrap mods/etcd go.etcd.io/etcd/server/v3 "$ETCD" go.etcd.io/etcd/server/v3
wrap mods/coredns github.com/coredns/coredns "$COREDNS" github.com/coredns/coredns
wrap mods/lpp github.com/rancher/local-path-provisioner "$LPP" github.com/rancher/local-path-provisioner
