#!/usr/bin/env bash
# Builds, without any container registry, local stand-ins for the public images
# the demo in examples/demo uses, tagged like the real ones:
#
#   debian:bookworm-slim  a debootstrap --variant=minbase rootfs, slimmed
#   golang:1.26           that base plus this machine's Go toolchain
#   postgres:15           that base plus Debian's postgresql-15 and an official-like entrypoint
#   redis:7               that base plus Debian's redis-server 7.0 and an official-like entrypoint
#   mariadb:10.11         that base plus Debian's mariadb-server-core 10.11, the mysql client,
#                         mariadb-dump/mysqldump and mariadb-admin, an official-like entrypoint
#                         and healthcheck.sh
#   quay.io/prometheuscommunity/postgres-exporter:v0.15.0
#                         that base plus Debian's prometheus-postgres-exporter 0.11, run like
#                         the official image (the exporter sidecar berth renders for postgres)
#
# One rootfs is shared by all of them (it is the bottom layer of each). The result
# is cached as one compressed `docker save` archive in
# ${XDG_CACHE_HOME:-$HOME/.cache}/berth/, keyed on a hash of these scripts and
# the Go version, so a fresh Docker loads it in seconds.
#
# Idempotent: when the images already carry this hash it only prints them. An
# image with the same tag that this script did not build (say, a real one
# pulled from Docker Hub) is left alone unless FORCE=1.
#
# Needs root (debootstrap, chroot), docker, debootstrap and zstd; the network
# it uses is the Debian mirror apt is configured with. Env: MIRROR, SUITE,
# GOROOT_HOST, FORCE=1, KEEP_WORK=1 (debugging).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FILES=$HERE/demo-images
SUITE=${SUITE:-bookworm}
GOROOT_HOST=${GOROOT_HOST:-$(go env GOROOT 2>/dev/null || echo /usr/local/go)}
CACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/berth
LABEL=dev.berth.demo-images
PRIVATE=berth-demo-images # private repository; the public tags point at these
IMAGES=(debian:bookworm-slim golang:1.26 postgres:15 redis:7 mariadb:10.11
	quay.io/prometheuscommunity/postgres-exporter:v0.15.0)
# BUILDS: the name of each built image's recipe (hack/demo-images/NAME.Dockerfile).
declare -A BUILDS=([golang]=golang:1.26 [postgres]=postgres:15 [redis]=redis:7 [mariadb]=mariadb:10.11
	[postgres-exporter]=quay.io/prometheuscommunity/postgres-exporter:v0.15.0)

log() { printf '%s demo-images: %s\n' "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

go_version() { "$GOROOT_HOST/bin/go" env GOVERSION; }

# The cache key: everything that shapes the images.
images_hash() {
	{ cat "$HERE/demo-images.sh" "$FILES"/*; echo "$SUITE"; go_version; } | sha256sum | cut -c1-12
}

private_name() { echo "$PRIVATE/$1"; }

# label_of IMAGE: the hash label, "none" for an image we did not build, "" if absent.
label_of() {
	docker image inspect "$1" >/dev/null 2>&1 || return 0
	local v
	v=$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$1")
	case "$v" in "" | "<no value>") echo none ;; *) echo "$v" ;; esac
}

# missing_images HASH: public tags that do not yet point at this hash's images.
missing_images() {
	local img have
	for img in "${IMAGES[@]}"; do
		have=$(label_of "$img")
		if [ "$have" = "$1" ]; then continue; fi
		if [ "$have" = none ] && [ "${FORCE:-}" != 1 ]; then
			log "keeping $img: it exists and was not built by this script (FORCE=1 replaces it)"
			continue
		fi
		echo "$img"
	done
}

# tag_public HASH: point the public tags at the private images (skipping foreign ones).
tag_public() {
	local img
	for img in $(missing_images "$1"); do
		docker tag "$(private_name "$img")" "$img"
	done
}

load_archive() {
	local archive=$1 start=$SECONDS
	log "loading $archive"
	zstd -dc "$archive" | docker load >/dev/null
	log "loaded in $((SECONDS - start))s"
}

main() {
	command -v docker >/dev/null || die "docker is not installed"
	docker info >/dev/null 2>&1 || die "docker is not running"
	local hash archive
	hash=$(images_hash)
	archive=$CACHE_DIR/demo-images-$hash.tar.zst
	if [ -z "$(missing_images "$hash")" ]; then
		log "up to date ($hash)"
	else
		if [ ! -s "$archive" ]; then
			build_all "$hash" "$archive"
		fi
		local all_private=1
		for img in "${IMAGES[@]}"; do
			[ "$(label_of "$(private_name "$img")")" = "$hash" ] || all_private=0
		done
		[ "$all_private" = 1 ] || load_archive "$archive"
		tag_public "$hash"
	fi
	local img
	for img in "${IMAGES[@]}"; do
		printf '%-54s %s MB\n' "$img" "$(($(docker image inspect -f '{{.Size}}' "$img") / 1000000))"
	done
}

# ---- building ----------------------------------------------------------------

WORK=""
cleanup() {
	[ -n "$WORK" ] || return 0
	local m
	for m in $(awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r); do umount -l "$m" || true; done
	if [ "${KEEP_WORK:-}" = 1 ]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}

mirror() {
	local m=${MIRROR:-}
	[ -n "$m" ] || m=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$m" ] || m=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	echo "${m:-http://deb.debian.org/debian}"
}

# write_sources DIR: the suite, its updates and, when the host has it, its
# security archive, so the images get the same fixes as the host.
write_sources() {
	local m security
	m=$(mirror)
	security=$(awk '/^URIs:/ && /security/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$security" ] || security=$(awk '$1=="deb" && $2 ~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	{
		echo "deb $m $SUITE main"
		echo "deb $m $SUITE-updates main"
		[ -z "$security" ] || echo "deb $security $SUITE-security main"
	} >"$1/etc/apt/sources.list"
}

# build_rootfs DIR: a minimal Debian, configured like the official slim images
# (no docs, man pages or translations; no recommends; services never start).
build_rootfs() {
	local root=$1
	debootstrap --variant=minbase "$SUITE" "$root" "$(mirror)" >"$WORK/debootstrap.log" 2>&1 ||
		{ tail -20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
	write_sources "$root"
	in_root "$root" sh -c 'apt-get update -q && apt-get -y -q upgrade' >"$WORK/upgrade.log" 2>&1 ||
		{ tail -20 "$WORK/upgrade.log" >&2; die "apt-get upgrade failed"; }
	umount "$root/proc"
	cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<-'EOF'
		path-exclude /usr/share/doc/*
		path-include /usr/share/doc/*/copyright
		path-exclude /usr/share/man/*
		path-exclude /usr/share/groff/*
		path-exclude /usr/share/info/*
		path-exclude /usr/share/lintian/*
		path-exclude /usr/share/locale/*
	EOF
	printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/docker-no-recommends"
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod +x "$root/usr/sbin/policy-rc.d"
	find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
	rm -rf "$root"/usr/share/{man,info,groff,lintian,locale}/* "$root"/var/cache/apt/*.bin \
		"$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/log/*.log
	: >"$root/etc/resolv.conf"
	echo localhost >"$root/etc/hostname"
}

# cached_rootfs DIR: build_rootfs, or unpack its cached result (keyed on the
# function's text and the mirror), so changing an image recipe skips debootstrap.
cached_rootfs() {
	local root=$1 key tarball
	key=$({ declare -f build_rootfs write_sources; echo "$SUITE $(mirror)"; } | sha256sum | cut -c1-12)
	tarball=$CACHE_DIR/demo-rootfs-$key.tar.zst
	if [ -s "$tarball" ]; then
		mkdir -p "$root" && zstd -dc "$tarball" | tar -C "$root" --numeric-owner -xf -
		log "rootfs from $tarball"
		return
	fi
	log "debootstrap $SUITE from $(mirror) (about a minute)"
	build_rootfs "$root"
	mkdir -p "$CACHE_DIR"
	tar -C "$root" --numeric-owner -cf - . | zstd -q -T0 -3 -o "$tarball.tmp" && mv "$tarball.tmp" "$tarball"
	find "$CACHE_DIR" -name 'demo-rootfs-*.tar.zst' ! -name "$(basename "$tarball")" -delete
}

# in_root DIR CMD...: run a command in the chroot with /proc and the host's DNS.
in_root() {
	local root=$1
	shift
	mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$root" "$@"
}

# changed_layer DIR STAMP OUT: a tar of what changed in DIR after STAMP (ctime
# cannot be preserved by a copy, so everything newer was written by apt).
changed_layer() {
	local root=$1 stamp=$2 out=$3
	: >"$root/etc/resolv.conf"
	umount "$root/proc"
	rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
		"$root"/var/log/apt/* "$root"/var/log/dpkg.log "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old
	(cd "$root" && find . -mindepth 1 -cnewer "$stamp" -print0 |
		tar --null --no-recursion --numeric-owner -T - -cf "$out")
}

# package_layer NAME PACKAGES...: base + packages, as a layer tar in $WORK/NAME/.
package_layer() {
	local name=$1 root=$WORK/root-$1
	shift
	mkdir -p "$WORK/$name"
	cp -a "$WORK/stage" "$root"
	touch "$WORK/stamp-$name"
	sleep 0.1 # timestamps are coarse; keep the copy strictly older than the stamp
	# The official postgres image also disables Debian's default "main" cluster.
	if [ "$name" = postgres ]; then
		in_root "$root" apt-get install -y -q postgresql-common >"$WORK/$name/apt-common.log" 2>&1
		sed -ri 's/#?(create_main_cluster) .*$/\1 = false/' "$root/etc/postgresql-common/createcluster.conf"
	fi
	in_root "$root" apt-get install -y -q "$@" >"$WORK/$name/apt.log" 2>&1 ||
		{ tail -20 "$WORK/$name/apt.log" >&2; die "apt-get install $* failed"; }
	# Of MariaDB's full client package only the dump and admin tools: the rest
	# (a dozen more tools, and the perl they need) would add about 100 MB.
	if [ "$name" = mariadb ]; then
		in_root "$root" sh -c 'cd /tmp && apt-get download -q mariadb-client &&
			dpkg-deb --fsys-tarfile mariadb-client_*.deb | tar -C / -xf - \
				./usr/bin/mariadb-dump ./usr/bin/mysqldump ./usr/bin/mariadb-admin ./usr/bin/mysqladmin &&
			rm mariadb-client_*.deb' >>"$WORK/$name/apt.log" 2>&1 ||
			{ tail -20 "$WORK/$name/apt.log" >&2; die "mariadb-dump from mariadb-client failed"; }
	fi
	changed_layer "$root" "$WORK/stamp-$name" "$WORK/$name/layer.tar"
	rm -rf "$root"
}

# go_layer: the host's Go toolchain at /usr/local/go, plus CA certificates.
go_layer() {
	package_layer golang ca-certificates
	local tmp=$WORK/golang/go-root
	mkdir -p "$tmp/usr/local"
	cp -a "$GOROOT_HOST" "$tmp/usr/local/go"
	rm -rf "$tmp/usr/local/go/test" "$tmp/usr/local/go/pkg/obj"
	tar -C "$tmp" --numeric-owner --owner=0 --group=0 -rf "$WORK/golang/layer.tar" usr/local/go
	rm -rf "$tmp"
}

# docker_build NAME BASE HASH: legacy builder (works offline, no buildx needed).
docker_build() {
	local name=$1 base=$2 hash=$3 ref
	ref=$(private_name "${BUILDS[$name]}")
	cp "$FILES/$name.Dockerfile" "$WORK/$name/Dockerfile"
	find "$FILES" -maxdepth 1 -type f -name '*.sh' -exec cp {} "$WORK/$name/" \;
	DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$base" --build-arg HASH="$hash" \
		-t "$ref" "$WORK/$name" >/dev/null 2>"$WORK/$name/build.log" ||
		{ cat "$WORK/$name/build.log" >&2; die "docker build $ref failed"; }
	log "built $ref"
}

# wait_all PID...: wait for background jobs; fail if any failed (each logs why).
wait_all() {
	local pid failed=0
	for pid; do wait "$pid" || failed=1; done
	[ "$failed" = 0 ] || die "a build step failed (see above)"
}

build_all() {
	local hash=$1 archive=$2 start=$SECONDS base
	[ "$(id -u)" = 0 ] || die "building needs root (debootstrap and chroot)"
	local tool
	for tool in debootstrap zstd chroot; do
		command -v "$tool" >/dev/null || die "$tool is missing (apt-get install debootstrap zstd)"
	done
	WORK=$(mktemp -d /var/tmp/berth-demo-images.XXXXXX)
	trap cleanup EXIT
	cached_rootfs "$WORK/base"
	base=$(private_name debian:bookworm-slim)
	tar -C "$WORK/base" --numeric-owner -c . | docker import \
		--change 'CMD ["bash"]' --change "LABEL $LABEL=$hash" --change 'ENV LANG=C.UTF-8' - "$base" >/dev/null
	log "imported $base ($((SECONDS - start))s)"

	cp -a "$WORK/base" "$WORK/stage"
	in_root "$WORK/stage" apt-get update -q >"$WORK/apt-update.log" 2>&1
	umount "$WORK/stage/proc"
	# The layers, then the images, are independent: build them side by side.
	local jobs=() name
	go_layer & jobs+=($!)
	package_layer postgres gosu postgresql-15 postgresql-client-15 & jobs+=($!)
	package_layer redis gosu redis-server redis-tools & jobs+=($!)
	package_layer mariadb gosu mariadb-server-core mariadb-client-core & jobs+=($!)
	package_layer postgres-exporter prometheus-postgres-exporter & jobs+=($!)
	wait_all "${jobs[@]}"
	log "package layers ready ($((SECONDS - start))s)"
	jobs=()
	for name in "${!BUILDS[@]}"; do docker_build "$name" "$base" "$hash" & jobs+=($!); done
	wait_all "${jobs[@]}"

	mkdir -p "$CACHE_DIR"
	local refs=() img
	for img in "${IMAGES[@]}"; do refs+=("$(private_name "$img")"); done
	docker save "${refs[@]}" | zstd -q -T0 -3 -o "$archive.tmp" && mv "$archive.tmp" "$archive"
	find "$CACHE_DIR" -name 'demo-images-*.tar.zst' ! -name "$(basename "$archive")" -delete
	log "cached $(du -h "$archive" | cut -f1) at $archive; built in $((SECONDS - start))s"
}

main "$@"
