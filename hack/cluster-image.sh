#!/usr/bin/env bash
# Build (or load from cache) the kind node image berth runs clusters on, with nothing pulled
# from a container registry (see hack/README.md and shared/docs/kind-offline.md). It also
# leaves in Docker the small images berth uses offline (localhost/berth/wait:1,
# localhost/kindnode/busybox:1.35); both are preloaded in the node image too.
#
# Fast paths, in order:
#   1. the node image in Docker carries the current cache key  -> nothing to do
#   2. $CACHE/kind-node-<key>.tar.zst exists                    -> zstd -dc | docker load
#   3. otherwise build (Go binaries are cached in $CACHE/bin-<binkey>/ across rebuilds)
# The key is a hash of this script and everything under hack/kindnode/.
#
# The LAST line on stdout is the node image name; progress goes to stderr, step logs to
# $CACHE/logs/. env: XDG_CACHE_HOME, BERTH_NODE_IMAGE (override the name).
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
K8S_VERSION=v1.31.4
IMAGE=${BERTH_NODE_IMAGE:-localhost/berth/kind-node:$K8S_VERSION}
BASE_IMAGE=localhost/berth/kind-base:bookworm
SMALL_IMAGES=(localhost/berth/wait:1 localhost/kindnode/busybox:1.35)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/berth
export KN_SRC=$HACK/kindnode KN_WORK=$CACHE/kindnode-work

say() { echo "cluster-image: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# hash_files FILE... : one hash over the names and contents of the files, in a stable order
hash_files() {
  (cd "$HACK" && for f in "$@"; do echo "== $f"; cat "$f"; done) | sha256sum | cut -c1-16
}
all_sources() { (cd "$HACK" && { echo cluster-image.sh; find kindnode -type f | LC_ALL=C sort; }); }
bin_sources() {
  (cd "$HACK" && { echo kindnode/init-modules.sh kindnode/build-k8s.sh kindnode/build-addons.sh \
    | tr ' ' '\n'; find kindnode/_go -type f | LC_ALL=C sort; })
}

# shellcheck disable=SC2046 # one file name per line, none with spaces
KEY=$(hash_files $(all_sources))
# shellcheck disable=SC2046
BINKEY=$(hash_files $(bin_sources))
export KN_KEY=$KEY
ARCHIVE=$CACHE/kind-node-$K8S_VERSION-$KEY.tar.zst
SMALL_ARCHIVE=$CACHE/small-images-$KEY.tar.zst
LOGS=$CACHE/logs
BIN=$CACHE/bin-$BINKEY

image_key() { docker image inspect -f '{{index .Config.Labels "berth.cache-key"}}' "$1" 2>/dev/null || true; }
have_small_images() {
  local i
  for i in "${SMALL_IMAGES[@]}"; do docker image inspect "$i" >/dev/null 2>&1 || return 1; done
}
current_in_docker() { [ "$(image_key "$IMAGE")" = "$KEY" ] && have_small_images; }

load_from_cache() {
  [ -f "$ARCHIVE" ] && [ -f "$SMALL_ARCHIVE" ] || return 1
  say "loading $IMAGE from $ARCHIVE"
  zstd -dc "$ARCHIVE" | docker load >&2
  zstd -dc "$SMALL_ARCHIVE" | docker load >&2
  current_in_docker || die "loaded $ARCHIVE but $IMAGE does not carry key $KEY"
}

# step NAME COMMAND...: run one pipeline step with its output in $LOGS/step-NAME.log
step() {
  local name=$1 start
  shift
  start=$(date +%s)
  say "step $name ..."
  if ! "$@" >"$LOGS/step-$name.log" 2>&1; then
    tail -25 "$LOGS/step-$name.log" >&2
    die "step $name failed, see $LOGS/step-$name.log"
  fi
  say "step $name: $(($(date +%s) - start))s"
}

build_pause() {
  [ -x bin/pause ] && return 0
  local dir
  dir=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | jq -r .Dir)
  gcc -Os -static -DVERSION=3.10 -o bin/pause.tmp "$dir/build/pause/linux/pause.c" \
    && strip bin/pause.tmp && mv bin/pause.tmp bin/pause
}
# (functions run by step are in an `if`, where set -e is off: chain with &&)
build_local_tools() {
  (cd k8s && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o ../bin/kindnet-lite ./cmd/kindnet-lite \
    && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o ../bin/crictl ./cmd/crictl)
}
build_kind_cli() {
  [ -x bin/kind ] || GOBIN=$PWD/bin CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" sigs.k8s.io/kind@v0.33.0
}
bins_complete() {
  local b
  for b in kubeadm kubelet kubectl kube-proxy kube-apiserver kube-controller-manager kube-scheduler \
    etcd coredns local-path-provisioner kindnet-lite crictl kind pause; do
    [ -x "bin/$b" ] || return 1
  done
}

build_all() {
  mkdir -p "$KN_WORK" "$BIN" "$LOGS"
  cd "$KN_WORK"
  ln -sfn "$BIN" bin
  step debootstrap "$KN_SRC/debootstrap.sh"
  if ! bins_complete; then
    step modules "$KN_SRC/init-modules.sh"
    step pause build_pause
    step k8s-binaries "$KN_SRC/build-k8s.sh"
    step etcd "$KN_SRC/build-addons.sh" etcd
    step coredns "$KN_SRC/build-addons.sh" coredns
    step lpp "$KN_SRC/build-addons.sh" lpp
    step local-tools build_local_tools
    step kind-cli build_kind_cli
  fi
  step base-image "$KN_SRC/build-base.sh" "$BASE_IMAGE"
  step images "$KN_SRC/build-images.sh"
  step node-image "$KN_SRC/build-node.sh" "$IMAGE" "$BASE_IMAGE"
  step save save_archives
  rm -rf "$KN_WORK/rootfs" "$KN_WORK/images" # 1 GB of intermediates; the debs stay cached
  find "$CACHE" -maxdepth 1 -name 'bin-*' ! -name "bin-$BINKEY" -exec rm -rf {} + # binaries of older sources
}

save_archives() {
  rm -f "$CACHE"/kind-node-*.tar.zst "$CACHE"/small-images-*.tar.zst # older keys
  docker save "$IMAGE" | zstd -q -f -T0 -3 -o "$ARCHIVE.tmp" \
    && docker save "${SMALL_IMAGES[@]}" | zstd -q -f -T0 -3 -o "$SMALL_ARCHIVE.tmp" \
    && mv "$ARCHIVE.tmp" "$ARCHIVE" && mv "$SMALL_ARCHIVE.tmp" "$SMALL_ARCHIVE" \
    && ls -l "$ARCHIVE" "$SMALL_ARCHIVE"
}

main() {
  docker info >/dev/null 2>&1 || die "no Docker engine answers; run hack/ensure-docker.sh first"
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.cluster-image.lock" # two builds at once would share one work dir
  flock 9
  if current_in_docker; then
    say "$IMAGE is current (key $KEY)"
  elif ! load_from_cache; then
    say "building $IMAGE (key $KEY); logs in $LOGS"
    local start
    start=$(date +%s)
    (build_all)
    current_in_docker || die "built $IMAGE but it is not current in Docker"
    say "built $IMAGE in $(($(date +%s) - start))s"
  fi
  echo "$IMAGE"
}

main "$@"
