#!/usr/bin/env bash
# The whole test suite, as README.md's second command runs it: set the machine
# up (hack/ci-setup.sh), lint, then every test with the cluster and browser
# tests required (BERTH_E2E=1: they fail instead of skipping).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
eval "$(hack/ci-setup.sh)"
echo "ci-check: setup took $(( $(date +%s) - start ))s; node image $BERTH_NODE_IMAGE" >&2
make lint
# a control plane left running for a long time by earlier runs on this machine
# was seen to let its kwok node go NotReady: start the tests on a fresh one
hack/test-control-plane.sh down >/dev/null 2>&1 || true
# the browser tests save their screenshots here (web/browser_test.go)
export BERTH_ARTIFACTS=${BERTH_ARTIFACTS:-$PWD/artifacts}
mkdir -p "$BERTH_ARTIFACTS"
BERTH_E2E=1 go test -timeout 45m -p 2 ./...
# the loader and render work on every CPU, and apply maps kinds from several
# goroutines: their parallel paths under the race detector
go test -race -run 'Parallel|FastLoadEquals|ProjectJSON' ./convert ./render ./internal/kube
# the patched copy of mapstructure keeps upstream's tests (third_party/mapstructure/BERTH.md)
(cd third_party/mapstructure && go test ./...)
# and the lazily compiled metaschemas of the copy of jsonschema (third_party/jsonschema/BERTH.md)
(cd third_party/jsonschema && go test -race .)
echo "ci-check: done in $(( $(date +%s) - start ))s" >&2
