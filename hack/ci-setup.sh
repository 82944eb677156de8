#!/usr/bin/env bash
# Prepare a machine for the whole test suite: Debian packages (Chromium for
# the dashboard tests), a running Docker engine, the offline kind node image
# and the demo's base images. Everything is cached under ~/.cache/berth, so a
# warm run takes seconds. Progress goes to stderr; stdout is shell exports:
#   export BERTH_NODE_IMAGE=<image> BERTH_WAIT_IMAGE=<image>
# usage: ci-setup.sh [--no-browser]   (--no-browser: skip Chromium, for `make demo`)
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
say() { echo "ci-setup: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pkgs=(make git)
[ "${1:-}" = --no-browser ] || pkgs+=(chromium)
need=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

say "docker engine"
"$HACK/ensure-docker.sh" >&2
say "kind node image"
node_image=$("$HACK/cluster-image.sh" | tail -n 1)
[ -n "$node_image" ] || { say "cluster-image.sh printed no image name"; exit 1; }
say "test control plane binaries"
"$HACK/test-control-plane.sh" build >&2
if [ -x "$HACK/demo-images.sh" ]; then
  say "demo images"
  "$HACK/demo-images.sh" >&2
fi
echo "export BERTH_NODE_IMAGE=$node_image BERTH_WAIT_IMAGE=localhost/berth/wait:1"
