#!/usr/bin/env bash
# Build every container image the node needs from scratch (a directory tree piped
# into `docker import`: no base image, no registry, no BuildKit), and save each
# as a docker-archive tar in images/tars/ for preloading into the node's containerd.
#   needs: bin/* (built by build-k8s.sh / build-addons.sh), rootfs/ (debootstrap),
#          busybox-static (Debian package) on the host.
set -euo pipefail
cd "${KN_WORK:?run through hack/cluster-image.sh}"
K8S=v1.31.4
B=$PWD/bin
R=$PWD/rootfs
W=$PWD/images/work
OUT=$PWD/images/tars
rm -rf "$W"; mkdir -p "$W" "$OUT"
BUSYBOX=${BUSYBOX:-/bin/busybox}

# ---- a minimal "distroless-like" skeleton shared by the static images ----
skel() { # $1 = dir
  local d=$1
  mkdir -p "$d"/etc/ssl/certs "$d"/tmp "$d"/run "$d"/var "$d"/usr/local/bin
  chmod 1777 "$d"/tmp
  ln -s ../run "$d"/var/run
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$d"/etc/passwd
  printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' > "$d"/etc/group
  printf 'hosts: files dns\n' > "$d"/etc/nsswitch.conf
  cp "$R"/etc/ssl/certs/ca-certificates.crt "$d"/etc/ssl/certs/
  cp "$R"/etc/protocols "$R"/etc/services "$d"/etc/
}

# build IMAGE-TAG DIR [docker-import --change lines...]
# (tar --xattrs keeps file capabilities, e.g. coredns' cap_net_bind_service)
build() {
  local tag=$1 dir=$2; shift 2
  local ch=(); for c in "$@"; do ch+=(--change "$c"); done
  tar --xattrs --xattrs-include=security.capability --numeric-owner -C "$dir" -c . \
    | docker import "${ch[@]}" - "$tag" >/dev/null
  echo "built $tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.1f MB", $1/1e6}'))"
}

# ---- control plane (names exactly as `kubeadm config images list` prints) ----
for c in kube-apiserver kube-controller-manager kube-scheduler; do
  d=$W/$c; skel "$d"; cp "$B/$c" "$d"/usr/local/bin/
  build "registry.k8s.io/$c:$K8S" "$d" \
    'ENV PATH=/usr/local/bin:/usr/bin:/bin' "ENTRYPOINT [\"/usr/local/bin/$c\"]"
done

d=$W/etcd; skel "$d"; cp "$B/etcd" "$d"/usr/local/bin/; mkdir -p "$d"/var/lib/etcd
build "registry.k8s.io/etcd:3.5.15-0" "$d" \
  'ENV PATH=/usr/local/bin:/usr/bin:/bin' 'CMD ["/usr/local/bin/etcd"]'

d=$W/coredns; skel "$d"; cp "$B/coredns" "$d"/coredns
# like the upstream image: run as nonroot, allowed to bind :53 via a file capability
# (kubeadm's Deployment drops ALL caps and adds NET_BIND_SERVICE; for a non-root user
# that only works with the file capability)
setcap cap_net_bind_service=+ep "$d"/coredns
build "registry.k8s.io/coredns/coredns:v1.11.3" "$d" \
  'EXPOSE 53 53/udp' 'USER 65532:65532' 'ENTRYPOINT ["/coredns"]'

d=$W/pause; mkdir -p "$d"; cp "$B"/pause "$d"/pause
build "registry.k8s.io/pause:3.10" "$d" 'USER 65535:65535' 'ENTRYPOINT ["/pause"]'

# ---- kube-proxy: needs iptables/ip6tables (legacy + nft), nft, conntrack, ipset ----
d=$W/kube-proxy; skel "$d"
mkdir -p "$d"/usr/lib/x86_64-linux-gnu "$d"/usr/lib64 "$d"/usr/sbin "$d"/usr/bin
ln -s usr/lib "$d"/lib; ln -s usr/lib64 "$d"/lib64; ln -s usr/bin "$d"/bin; ln -s usr/sbin "$d"/sbin
cp "$B/kube-proxy" "$d"/usr/local/bin/
tools="/usr/sbin/xtables-nft-multi /usr/sbin/xtables-legacy-multi /usr/sbin/nft /usr/sbin/conntrack /usr/sbin/ipset"
for t in $tools; do cp "$R$t" "$d$t"; done
# libraries of the tools AND of the xtables extensions (libxt_statistic.so needs libm, ...)
for lib in $(chroot "$R" sh -c "ldd $tools /usr/lib/x86_64-linux-gnu/xtables/*.so" 2>/dev/null | awk '$3 ~ /^\//{print $3}' | sort -u) /lib/x86_64-linux-gnu/ld-linux-x86-64.so.2; do
  cp -L "$R$lib" "$d"/usr/lib/x86_64-linux-gnu/
done
ln -s ../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2 "$d"/usr/lib64/ld-linux-x86-64.so.2
cp -a "$R"/usr/lib/x86_64-linux-gnu/xtables "$d"/usr/lib/x86_64-linux-gnu/
cp "$R"/etc/ethertypes "$d"/etc/
for m in nft legacy; do for v in iptables ip6tables; do for s in "" -save -restore; do
  ln -s "xtables-$m-multi" "$d/usr/sbin/$v-$m$s"; done; done; done
cp "$BUSYBOX" "$d"/usr/bin/busybox
for a in sh grep ln wc cat; do ln -s busybox "$d/usr/bin/$a"; done
cat > "$d"/usr/sbin/iptables-wrapper <<'EOF'
#!/bin/sh
# Pick the iptables backend the node uses (same rule as kind's node entrypoint:
# legacy if it has at least as many rules as nft), re-point the iptables*
# symlinks at it once, then run the requested command.
legacy=$( (iptables-legacy-save; ip6tables-legacy-save) 2>/dev/null | grep -c '^-')
nft=$( (iptables-nft-save; ip6tables-nft-save) 2>/dev/null | grep -c '^-')
if [ "${legacy:-0}" -ge "${nft:-0}" ]; then mode=legacy; else mode=nft; fi
for x in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -sf "xtables-$mode-multi" "/usr/sbin/$x"
done
exec "$0" "$@"
EOF
chmod 0755 "$d"/usr/sbin/iptables-wrapper
for x in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
  ln -s iptables-wrapper "$d/usr/sbin/$x"; done
build "registry.k8s.io/kube-proxy:$K8S" "$d" \
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'ENTRYPOINT ["/usr/local/bin/kube-proxy"]'

# every iptables extension and tool must find its libraries inside the image
docker run --rm --entrypoint /bin/sh "registry.k8s.io/kube-proxy:$K8S" -c \
  'for f in /usr/lib/x86_64-linux-gnu/xtables/*.so /usr/sbin/*-multi /usr/sbin/nft /usr/sbin/conntrack /usr/sbin/ipset; do
     /lib64/ld-linux-x86-64.so.2 --list "$f" | grep "not found" && { echo "unresolved libs in $f"; exit 1; }; done; exit 0'

# ---- busybox (helper image for local-path-provisioner, and for tests) ----
d=$W/busybox; mkdir -p "$d"/bin "$d"/tmp "$d"/etc; chmod 1777 "$d"/tmp
cp "$BUSYBOX" "$d"/bin/busybox
for a in $("$BUSYBOX" --list); do [ "$a" = busybox ] || ln -s busybox "$d/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$d"/etc/passwd
printf 'root:x:0:\nnobody:x:65534:\n' > "$d"/etc/group
build "localhost/kindnode/busybox:1.35" "$d" 'ENV PATH=/bin' 'CMD ["sh"]'

# ---- berth's wait image: what init containers use to wait for a dependency
# (sh, nc, wget, nslookup and a few shell helpers from the static busybox; nothing else) ----
d=$W/berth-wait; mkdir -p "$d"/bin "$d"/tmp "$d"/etc; chmod 1777 "$d"/tmp
cp "$BUSYBOX" "$d"/bin/busybox
for a in sh nc wget nslookup sleep timeout echo printf cat true false test [ env date seq expr; do
  ln -s busybox "$d/bin/$a"; done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$d"/etc/passwd
printf 'root:x:0:\nnobody:x:65534:\n' > "$d"/etc/group
build "localhost/berth/wait:1" "$d" 'ENV PATH=/bin' 'CMD ["sh"]'

# ---- default CNI (kindnet-lite) and storage (local-path-provisioner) ----
d=$W/kindnet-lite; skel "$d"; cp "$B/kindnet-lite" "$d"/usr/local/bin/
build "localhost/kindnode/kindnet-lite:v1" "$d" \
  'ENV PATH=/usr/local/bin' 'ENTRYPOINT ["/usr/local/bin/kindnet-lite"]'
d=$W/lpp; skel "$d"; cp "$B/local-path-provisioner" "$d"/usr/local/bin/
build "localhost/kindnode/local-path-provisioner:v0.0.30" "$d" \
  'ENV PATH=/usr/local/bin' 'ENTRYPOINT ["/usr/local/bin/local-path-provisioner"]'

# ---- save archives ----
rm -f "$OUT"/*.tar
save() { docker save -o "$OUT/$2.tar" "$1"; }
save registry.k8s.io/kube-apiserver:$K8S kube-apiserver
save registry.k8s.io/kube-controller-manager:$K8S kube-controller-manager
save registry.k8s.io/kube-scheduler:$K8S kube-scheduler
save registry.k8s.io/kube-proxy:$K8S kube-proxy
save registry.k8s.io/etcd:3.5.15-0 etcd
save registry.k8s.io/coredns/coredns:v1.11.3 coredns
save registry.k8s.io/pause:3.10 pause
save localhost/kindnode/busybox:1.35 busybox
save localhost/berth/wait:1 berth-wait
save localhost/kindnode/kindnet-lite:v1 kindnet-lite
save localhost/kindnode/local-path-provisioner:v0.0.30 local-path-provisioner
du -ch "$OUT"/*.tar | tail -1
