#!/usr/bin/env bash
# Print the directory where hack/cluster-image.sh caches the Kubernetes and etcd binaries it
# builds for the kind node image: ${XDG_CACHE_HOME:-~/.cache}/berth/bin-<key>. The key is a hash
# of the build scripts; to stay in step with cluster-image.sh when its file list changes, this
# reads cluster-image.sh's own hash_files and bin_sources functions instead of copying them.
# Needs no Docker. The directory may not exist yet.
set -euo pipefail
HACK=$(cd "$(dirname "$0")/.." && pwd)
src=$HACK/cluster-image.sh
# shellcheck disable=SC1090 # the two function definitions, exactly as cluster-image.sh has them
source <(sed -n -e '/^hash_files() {$/,/^}$/p' -e '/^bin_sources() {$/,/^}$/p' "$src")
if ! declare -F hash_files >/dev/null || ! declare -F bin_sources >/dev/null; then
  echo "k8s-bin-dir: $src no longer defines hash_files and bin_sources; update $0" >&2
  exit 1
fi
# shellcheck disable=SC2046 # one file name per line, none with spaces (as in cluster-image.sh)
echo "${XDG_CACHE_HOME:-$HOME/.cache}/berth/bin-$(hash_files $(bin_sources))"
