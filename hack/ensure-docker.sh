#!/usr/bin/env bash
# Make sure a Docker engine answers and can run privileged containers (kind needs both).
#   - installs the Debian packages the offline kind recipe needs, when missing;
#   - starts dockerd in the background (no systemd in these VMs) when nothing answers;
#   - where `docker run --privileged` fails (kernel bounding set without CAP_SYS_RESOURCE),
#     installs hack/runc-nosysresource as Docker's default runtime and restarts dockerd.
# Idempotent; returns in about a second when everything already works.
# env: DOCKERD_LOG (default /var/log/berth-dockerd.log)
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
PKGS=(docker.io debootstrap busybox-static jq libcap2-bin gcc libc6-dev zstd curl)
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/berth-dockerd.log}
WRAPPER=/usr/local/sbin/runc-nosysresource
PROBE_IMAGE=berth-probe:1

say() { echo "ensure-docker: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing_packages() {
  local p
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

install_packages() {
  local missing
  missing=$(missing_packages)
  [ -z "$missing" ] && return 0
  say "installing: $(echo $missing)"
  as_root apt-get update -qq >&2
  # shellcheck disable=SC2086 # word splitting of the package list is wanted
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

docker_answers() { docker info >/dev/null 2>&1; }

wait_for_docker() {
  local i
  for i in $(seq 1 60); do
    docker_answers && return 0
    sleep 1
  done
  return 1
}

start_dockerd() {
  if [ -d /run/systemd/system ]; then
    say "starting docker with systemctl"
    as_root systemctl start docker
  else
    say "starting dockerd in the background (log: $DOCKERD_LOG)"
    # 9>&-: dockerd must not inherit (and hold forever) this script's lock
    if [ "$(id -u)" = 0 ]; then
      setsid dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null 9>&- &
    else
      sudo -b sh -c "exec setsid dockerd >>'$DOCKERD_LOG' 2>&1 </dev/null" 9>&-
    fi
  fi
  wait_for_docker || die "dockerd did not answer within 60s; see $DOCKERD_LOG"
}

stop_dockerd() {
  local pid i
  pid=$(cat /var/run/docker.pid 2>/dev/null || true)
  [ -n "$pid" ] || die "dockerd is running but /var/run/docker.pid is missing; restart it by hand"
  as_root kill "$pid"
  for i in $(seq 1 30); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 1
  done
  die "dockerd (pid $pid) did not stop within 30s"
}

restart_dockerd() {
  if [ -d /run/systemd/system ]; then
    as_root systemctl restart docker
    wait_for_docker || die "docker did not come back after restart"
  else
    stop_dockerd
    start_dockerd
  fi
}

# A tiny image made locally (no registry): static busybox as /bin/sh.
ensure_probe_image() {
  docker image inspect "$PROBE_IMAGE" >/dev/null 2>&1 && return 0
  local d
  d=$(mktemp -d)
  mkdir -p "$d/bin"
  cp /bin/busybox "$d/bin/busybox"
  ln -s busybox "$d/bin/sh"
  ln -s busybox "$d/bin/true"
  tar -C "$d" -c . | docker import - "$PROBE_IMAGE" >/dev/null
  rm -rf "$d"
}

privileged_works() {
  ensure_probe_image
  docker run --rm --privileged "$PROBE_IMAGE" /bin/true >/dev/null 2>&1
}

privileged_exec_works() {
  local id ok=1
  id=$(docker run -d --privileged "$PROBE_IMAGE" /bin/busybox sleep 30) || return 1
  docker exec --privileged "$id" /bin/true >/dev/null 2>&1 && ok=0
  docker rm -f "$id" >/dev/null 2>&1 || true
  return "$ok"
}

install_runc_wrapper() {
  say "docker run --privileged fails here: installing $WRAPPER as Docker's default runtime"
  as_root install -m 0755 "$HACK/runc-nosysresource" "$WRAPPER"
  local cfg=/etc/docker/daemon.json current='{}'
  as_root mkdir -p /etc/docker
  [ -s "$cfg" ] && current=$(cat "$cfg")
  jq --arg p "$WRAPPER" '.runtimes.nosysresource.path = $p | ."default-runtime" = "nosysresource"' \
    <<<"$current" | as_root tee "$cfg.tmp" >/dev/null
  as_root mv "$cfg.tmp" "$cfg"
  restart_dockerd
}

main() {
  command -v apt-get >/dev/null || die "this script supports Debian/Ubuntu hosts only"
  exec 9>/tmp/berth-ensure-docker.lck # two callers at once must not start two dockerds
  flock 9
  install_packages
  docker_answers || start_dockerd
  if [ "$(docker info -f '{{.DefaultRuntime}}' 2>/dev/null)" = nosysresource ]; then
    # keep the installed wrapper current with the repo's copy
    cmp -s "$HACK/runc-nosysresource" "$WRAPPER" || as_root install -m 0755 "$HACK/runc-nosysresource" "$WRAPPER"
    say "docker ready (runtime nosysresource)"
    return 0
  fi
  if ! privileged_works; then
    install_runc_wrapper
    privileged_works || die "docker run --privileged still fails with the runc wrapper"
  fi
  privileged_exec_works || die "docker exec --privileged fails (see hack/README.md)"
  say "docker ready"
}

main "$@"
