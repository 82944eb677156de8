#!/usr/bin/env bash
# Assemble the kind node image the way kind's own node-image builder does
# (pkg/build/nodeimage): run the base image with `sleep infinity`, docker cp the
# Kubernetes binaries to /usr/bin, write /kind/version and /kind/manifests/*,
# start containerd inside, `ctr images import` every image archive into the
# k8s.io namespace, stop containerd, `docker commit` with kind's entrypoint.
# usage: build-node.sh [node-image-tag] [base-image-tag]
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}"
IMAGE=${1:-kindnode/node:v1.31.4}
BASE=${2:-kindnode-base:bookworm}
K8S=v1.31.4
id=kindnode-build-$$
docker run -d --name "$id" --entrypoint=sleep --security-opt seccomp=unconfined "$BASE" infinity >/dev/null
trap 'docker rm -f -v "$id" >/dev/null 2>&1 || true' EXIT
ex() { docker exec -i "$id" "$@"; }

for b in kubeadm kubelet kubectl; do
  docker cp "bin/$b" "$id:/usr/bin/$b"; ex chown root:root "/usr/bin/$b"; ex chmod 0755 "/usr/bin/$b"
done
docker cp bin/crictl "$id:/usr/local/bin/crictl"; ex chmod 0755 /usr/local/bin/crictl

printf '%s' "$K8S" | ex tee /kind/version >/dev/null
ex mkdir -p /kind/manifests
ex tee /kind/manifests/default-cni.yaml < "${KN_SRC:?}"/manifests/default-cni.yaml >/dev/null
ex tee /kind/manifests/default-storage.yaml < "${KN_SRC:?}"/manifests/default-storage.yaml >/dev/null

# same steps as kind's containerdImporter
ex bash -c 'nohup containerd > /dev/null 2>&1 &'
ex bash -c 'for i in $(seq 1 30); do [ -S /run/containerd/containerd.sock ] && ctr version >/dev/null 2>&1 && exit 0; sleep 1; done; exit 1'
for t in images/tars/*.tar; do
  ex ctr --namespace=k8s.io images import --all-platforms --no-unpack --digests - < "$t" >/dev/null
done
have=$(ex ctr --namespace=k8s.io images list -q)
grep -v '^sha256:' <<<"$have"
# sanity: every image kubeadm will ask for (includes the sandbox image) is present
for img in $(ex kubeadm config images list --kubernetes-version "$K8S"); do
  grep -qx "$img" <<<"$have" || { echo "MISSING $img"; exit 1; }
done
ex pkill containerd || true
sleep 1

docker commit \
  --change 'ENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]' \
  --change 'ENV HTTP_PROXY="" HTTPS_PROXY="" NO_PROXY=""' \
  --change "LABEL berth.cache-key=${KN_KEY:-none}" \
  "$id" "$IMAGE" >/dev/null
docker image ls "$IMAGE"
