#!/usr/bin/env bash
# Build etcd, coredns (and optionally more) from wrapper modules in ./mods/*
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}"
t() { local s=$(date +%s); "$@"; echo "  took $(( $(date +%s) - s ))s"; }
for what in "$@"; do
[ -x "bin/${what/lpp/local-path-provisioner}" ] && { echo "cached $what"; continue; }
case "$what" in
etcd)    (cd mods/etcd && t env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o ../../bin/etcd go.etcd.io/etcd/server/v3) ;;
coredns) (cd mods/coredns && t env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o ../../bin/coredns github.com/coredns/coredns) ;;
lpp)     (cd mods/lpp && t env CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o ../../bin/local-path-provisioner github.com/rancher/local-path-provisioner) ;;
*) echo "unknown $what"; exit 1;;
esac
echo "built $what: $(du -h bin/${what/lpp/local-path-provisioner} | cut -f1)"
done
