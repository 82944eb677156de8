#!/bin/sh
# Fails when `templ generate` would change the committed *_templ.go files
# (run from anywhere; used by `make check` / CI).
set -eu
cd "$(dirname "$0")"
TEMPL="go run github.com/a-h/templ/cmd/templ@v0.3.960"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Generate into a copy so the check never touches the working tree.
cp ./*.templ ./*_templ.go "$tmp"/
( cd "$tmp" && $TEMPL generate -path . >/dev/null 2>&1 ) || { echo "check-templ: templ generate failed" >&2; exit 1; }
status=0
for f in ./*_templ.go; do
	if ! cmp -s "$f" "$tmp/$(basename "$f")"; then
		echo "check-templ: $f is stale; run: cd web && $TEMPL generate" >&2
		status=1
	fi
done
for f in "$tmp"/*_templ.go; do
	[ -e "./$(basename "$f")" ] || { echo "check-templ: $(basename "$f") not committed" >&2; status=1; }
done
[ $status -eq 0 ] && echo "check-templ: generated files are up to date"
exit $status
