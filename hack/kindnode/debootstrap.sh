#!/bin/bash
# Build a Debian bookworm rootfs for the kind node base image, from the Debian
# mirror apt is already configured with (no other network access needed).
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}"
MIRROR=${MIRROR:-$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
ROOT=${ROOT:-$PWD/rootfs}
rm -rf "$ROOT"; mkdir -p "$ROOT"
PKGS=systemd,dbus,containerd,runc,containernetworking-plugins,iptables,nftables,conntrack,ethtool,socat,iproute2,util-linux,mount,kmod,ca-certificates,libseccomp2,pigz,e2fsprogs,bash,curl,jq,procps,ebtables,ipset
# --cache-dir keeps the downloaded .debs, so a rebuild after a script change only unpacks
DEBS=${DEBS:-$PWD/../debootstrap-debs}
mkdir -p "$DEBS"
debootstrap --variant=minbase --cache-dir="$(cd "$DEBS" && pwd)" --include="$PKGS" bookworm "$ROOT" "$MIRROR"
