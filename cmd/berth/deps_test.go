package main

import (
	"os/exec"
	"strings"
	"testing"
)

// leftOut are packages the berth binary must not link. Each costs every
// berth process, `berth convert` included, resident memory at start-up.
var leftOut = map[string]string{
	"k8s.io/client-go/kubernetes":          "the clientset and its scheme of all 56 API group-versions (about 8 MB RSS); use berth/internal/kube/typed",
	"k8s.io/client-go/discovery":           "it registers the clientset's whole scheme; berth/internal/kube maps kinds itself",
	"k8s.io/client-go/applyconfigurations": "the clientset's apply types and their schema",
	"github.com/chromedp":                  "a test dependency",
}

// TestBinaryLeavesOutHeavyPackages keeps the imports that made `berth
// convert` of a 1,000-service file use 69 MB instead of 61 MB from coming
// back unnoticed.
func TestBinaryLeavesOutHeavyPackages(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 100 {
		t.Fatalf("go list -deps listed %d packages; expected the binary's whole graph", len(deps))
	}
	for _, dep := range deps {
		for prefix, why := range leftOut {
			if dep == prefix || strings.HasPrefix(dep, prefix+"/") {
				t.Errorf("berth links %s: %s", dep, why)
			}
		}
	}
}
