# berth: developer entry points. `make check` is what CI runs (README.md says so; .ci/run reads it there).
GO ?= go
BIN := bin/berth

.PHONY: build test lint bench fuzz generate check demo

build:
	$(GO) build -o $(BIN) ./cmd/berth

test:
	$(GO) test ./...
	cd third_party/mapstructure && $(GO) test ./...
	cd third_party/jsonschema && $(GO) test -race .

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
	web/check-templ.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./convert/... ./store/...
	./hack/bench-convert.sh
	$(GO) run ./web/cmd/benchfanout
	./hack/bench-up.sh

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzConvert -fuzztime 30s ./convert

# The whole suite with its cluster and browser tests (README's second command; CI runs it).
check:
	hack/ci-check.sh

# berth's main job on the demo app (README's first command).
demo: build
	eval "$$(hack/ci-setup.sh --no-browser)" && $(BIN) up -f examples/demo/compose.yaml

include hack/cluster-image.mk
