#!/usr/bin/env bash
# `make bench` part for `berth up` on the demo: cold up (no cluster), warm up
# (cluster exists, images cached), and edit-to-serving latency (save a source
# file of the web service until the new answer is served). Needs Docker and
# the offline images: it runs hack/ci-setup.sh --no-browser first.
# Goals (issue 5): warm < 15 s to all ready; edit-to-serving < 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(hack/ci-setup.sh --no-browser)"
go build -o bin/berth ./cmd/berth
CLUSTER=berth-bench
work=$(mktemp -d); trap 'bin/berth down -v --cluster --cluster-name $CLUSTER -f "$work/demo/compose.yaml" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cp -a examples/demo "$work/demo"
export XDG_STATE_HOME=$work/state
f=(-f "$work/demo/compose.yaml")
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }

bin/berth down --cluster --cluster-name $CLUSTER "${f[@]}" >/dev/null 2>&1 || true
t0=$(now); bin/berth up -d --cluster $CLUSTER "${f[@]}" >"$work/cold.log" 2>&1 || { tail -30 "$work/cold.log"; exit 1; }; cold=$(secs "$t0" "$(now)")
bin/berth down --cluster-name $CLUSTER "${f[@]}" >/dev/null 2>&1
t0=$(now); bin/berth up -d --cluster $CLUSTER "${f[@]}" >"$work/warm.log" 2>&1 || { tail -30 "$work/warm.log"; exit 1; }; warm=$(secs "$t0" "$(now)")

sed -i 's/^const greeting = .*/const greeting = "edited by bench-up"/' "$work/demo/api/cmd/web/main.go"
t0=$(now); edit="timeout"
for _ in $(seq 1 600); do
  if curl -fsS http://localhost:8080/ 2>/dev/null | grep -q 'edited by bench-up'; then edit=$(secs "$t0" "$(now)"); break; fi
  sleep 0.1
done

printf '\n%-28s %10s %10s\n' "berth up (demo)" "seconds" "goal"
printf '%-28s %10s %10s\n' "cold up (new cluster)" "$cold" "-"
printf '%-28s %10s %10s\n' "warm up (cluster exists)" "$warm" "< 15"
printf '%-28s %10s %10s\n' "edit to serving" "$edit" "< 10"
