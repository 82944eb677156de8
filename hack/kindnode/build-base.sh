#!/usr/bin/env bash
# Turn the debootstrapped rootfs into a kind "base" image (the equivalent of
# kind's images/base/Dockerfile, but from Debian bookworm packages):
#   - kind's own base files (entrypoint, systemd units, containerd config...) taken
#     unmodified from the kind module in the Go module cache
#   - the same systemd trimming kind does
#   - small Debian adaptations (containerd path, CNI plugin path, cri-base.json)
# usage: build-base.sh [image-tag]   (default kindnode-base:bookworm)
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}"
TAG=${1:-kindnode-base:bookworm}
R=${ROOT:-$PWD/rootfs}
KIND_VERSION=${KIND_VERSION:-v0.33.0}
F=$(go mod download -json "sigs.k8s.io/kind@${KIND_VERSION}" | jq -r .Dir)/images/base/files
[ -d "$F" ] || { echo "kind base files not found: $F"; exit 1; }

# --- trim (same spirit as kind's clean-install) ---
rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/cache/apt/*.bin "$R"/var/lib/apt/lists/* \
  "$R"/var/cache/debconf/*-old "$R"/var/log/* "$R"/tmp/* "$R"/var/tmp/* \
  "$R"/usr/share/doc/* "$R"/usr/share/doc-base/* "$R"/usr/share/man/* "$R"/usr/share/locale/* \
  "$R"/usr/share/info/*

# --- kind base files (mirrors the COPY --chmod lines of kind's Dockerfile) ---
install -m 0755 "$F"/usr/local/bin/* "$R"/usr/local/bin/
mkdir -p "$R"/kind/bin "$R"/LICENSES "$R"/etc/containerd "$R"/etc/default "$R"/etc/sysctl.d \
  "$R"/etc/systemd/system/kubelet.service.d
install -m 0644 "$F"/kind/README.txt "$R"/kind/
install -m 0755 "$F"/kind/bin/* "$R"/kind/bin/
chmod 0755 "$R"/kind "$R"/kind/bin
install -m 0644 "$F"/LICENSES/* "$R"/LICENSES/
install -m 0644 "$F"/etc/crictl.yaml "$R"/etc/
install -m 0644 "$F"/etc/containerd/config.toml "$R"/etc/containerd/
install -m 0644 "$F"/etc/default/kubelet "$R"/etc/default/
install -m 0644 "$F"/etc/sysctl.d/* "$R"/etc/sysctl.d/
install -m 0644 "$F"/etc/systemd/system/*.service "$F"/etc/systemd/system/*.slice "$R"/etc/systemd/system/
install -m 0644 "$F"/etc/systemd/system/kubelet.service.d/* "$R"/etc/systemd/system/kubelet.service.d/

# --- Debian adaptations ---
# kind's containerd.service runs /usr/local/bin/containerd; Debian ships /usr/bin/containerd
ln -sf /usr/bin/containerd "$R"/usr/local/bin/containerd
# Debian installs CNI plugins in /usr/lib/cni; containerd/kubelet/CNI daemonsets expect /opt/cni/bin
mkdir -p "$R"/opt/cni/bin
for p in "$R"/usr/lib/cni/*; do ln -sf "/usr/lib/cni/$(basename "$p")" "$R/opt/cni/bin/$(basename "$p")"; done
# This machine's capability bounding set has no CAP_SYS_RESOURCE, so nothing in the node
# may LOWER an oom_score_adj (runc failed with "can't get final child's PID from pipe: EOF",
# root cause "failed to update /proc/self/oom_score_adj: Permission denied").
# restrict_oom_score_adj=true makes containerd clamp pod values to its own (the same
# switch kind's entrypoint flips for rootless nodes). Harmless on normal machines.
sed -i 's/restrict_oom_score_adj = false/restrict_oom_score_adj = true/' "$R"/etc/containerd/config.toml

# --- the RUN steps of kind's Dockerfile, in a chroot ---
chroot "$R" /bin/bash -euc '
find /lib/systemd/system/sysinit.target.wants/ -name "systemd-tmpfiles-setup.service" -delete
rm -f /lib/systemd/system/multi-user.target.wants/*
rm -f /etc/systemd/system/*.wants/*
rm -f /lib/systemd/system/local-fs.target.wants/*
rm -f /lib/systemd/system/sockets.target.wants/*udev*
rm -f /lib/systemd/system/sockets.target.wants/*initctl*
rm -f /lib/systemd/system/basic.target.wants/*
grep -q "^ReadKMsg=no" /etc/systemd/journald.conf || echo "ReadKMsg=no" >> /etc/systemd/journald.conf
ln -sf /usr/lib/systemd/systemd /sbin/init
systemctl enable kubelet.service containerd.service undo-mount-hacks.service
systemctl mask systemd-binfmt.service
mkdir -p /etc/kubernetes/manifests
ctr oci spec \
  | jq ".hooks.createContainer[.hooks.createContainer| length] |= . + {\"path\": \"/kind/bin/mount-product-files.sh\"}" \
  | jq "del(.process.rlimits)" > /etc/containerd/cri-base.json
containerd --version; runc --version | head -1
'
rm -f "$R"/etc/resolv.conf "$R"/etc/hostname
: > "$R"/etc/machine-id

tar --numeric-owner -C "$R" -c . | docker import - "$TAG-rootfs"
# docker import cannot set STOPSIGNAL, so add the metadata with a one-line build
# (legacy builder: BuildKit would try to resolve the base image remotely)
printf 'FROM %s\nENV container=docker\nSTOPSIGNAL SIGRTMIN+3\nENTRYPOINT [ "/usr/local/bin/entrypoint", "/sbin/init" ]\n' "$TAG-rootfs" \
  | DOCKER_BUILDKIT=0 docker build -q -t "$TAG" - >/dev/null
docker rmi "$TAG-rootfs" >/dev/null
docker image ls "$TAG"
