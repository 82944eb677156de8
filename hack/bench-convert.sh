#!/usr/bin/env bash
# Whole-process time and peak memory of `berth convert` on generated compose
# files (make bench runs it). Each size runs RUNS times; the best wall time
# is shown with its CPU time and peak RSS. CPU time is the steadier number
# on a busy machine. BERTH=path/to/berth benchmarks a binary built
# elsewhere (an older commit, say) instead of building this checkout;
# berth convert tunes its GC itself (main.go tuneGC) unless GOGC or
# GOMEMLIMIT is set.
# Peak RSS includes the pages of the 57 MB binary that the kernel maps in
# whole page-cache folios at each fault: about 27 MB before any work
# (`berth version`; it was 35-46 MB while the binary linked client-go's
# clientset, see cmd/berth/deps_test.go), varying a little with how the
# binary's file sits in the page cache, so compare RSS across builds with
# care. The heap itself (about 28 MB at its peak for 1,000 services) shows
# in GODEBUG=gctrace=1.
# The kind cluster and the test control plane the tests leave running take
# about a third of a CPU here and slow every number by 20-30%: pause them
# while measuring (docker pause berth-test-control-plane; kill -STOP the
# control plane's processes) and resume them after.
# To see where a whole process spends its time:
#   BERTH_CPUPROFILE=cpu.prof berth convert -f big.yaml >/dev/null && go tool pprof -top -cum berth cpu.prof
# and when (which goroutines run at once, where the GC stops the world):
#   BERTH_TRACE=trace.out berth convert -f big.yaml >/dev/null && go tool trace trace.out
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
SIZES=${SIZES:-"10 100 1000 5000"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! [ -x /usr/bin/time ]; then
	echo "bench-convert: GNU time is missing; install it (apt-get install time)" >&2
	exit 1
fi
if [ -n "${BERTH:-}" ]; then
	cp "$BERTH" "$work/berth"
else
	go build -o "$work/berth" ./cmd/berth
fi
go build -o "$work/gencompose" ./hack/gencompose

printf '%-8s %8s %10s %10s %12s %12s %10s\n' shape services wall_ms cpu_ms peak_rss_MB us_per_svc out_MB
for shape in chain diamond; do
	for n in $SIZES; do
		dir="$work/$shape-$n"
		mkdir -p "$dir"
		"$work/gencompose" -n "$n" -shape "$shape" >"$dir/compose.yaml"
		best=""
		for _ in $(seq "$RUNS"); do
			# %e wall s, %U user s, %S system s, %M peak RSS KiB
			/usr/bin/time -f '%e %U %S %M' -o "$dir/time" \
				"$work/berth" convert -f "$dir/compose.yaml" >"$dir/out.yaml" 2>"$dir/stderr" ||
				{ cat "$dir/stderr" >&2; exit 1; }
			read -r wall user sys rss <"$dir/time"
			if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then
				best=$wall; bu=$user; bs=$sys; brss=$rss
			fi
		done
		out=$(stat -c %s "$dir/out.yaml")
		awk -v s="$shape" -v n="$n" -v w="$best" -v u="$bu" -v y="$bs" -v r="$brss" -v o="$out" 'BEGIN{
			printf "%-8s %8d %10.0f %10.0f %12.1f %12.0f %10.1f\n", s, n, w*1000, (u+y)*1000, r/1024, w*1e6/n, o/1048576 }'
	done
done
