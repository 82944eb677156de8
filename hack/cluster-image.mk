# Included by the main Makefile: `make cluster-image` builds (or loads from
# ~/.cache/berth) the offline kind node image; see hack/README.md.
.PHONY: cluster-image ensure-docker
ensure-docker:
	hack/ensure-docker.sh

cluster-image: ensure-docker
	hack/cluster-image.sh
