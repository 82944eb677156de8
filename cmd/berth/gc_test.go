package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// gcPercent reads GOGC's current value (SetGCPercent returns the old one).
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestTuneGCPhases(t *testing.T) {
	t.Cleanup(func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		afterLoadGC = func() {}
	})
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC([]string{"up", "-f", "compose.yaml"})
	afterLoadGC()
	if got := gcPercent(); got != 100 {
		t.Fatalf("berth up: GOGC %d, want Go's default 100", got)
	}
	tuneGC([]string{"--strict", "convert", "-f", "compose.yaml"})
	if got := gcPercent(); got != 800 {
		t.Fatalf("while loading: GOGC %d, want 800", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 512<<20 {
		t.Fatalf("memory limit %d, want 512 MiB", got)
	}
	afterLoadGC()
	if got := gcPercent(); got != 200 {
		t.Fatalf("after the load: GOGC %d, want 200", got)
	}
}

func TestTuneGCLeavesUserSettings(t *testing.T) {
	t.Cleanup(func() { afterLoadGC = func() {} })
	t.Setenv("GOGC", "50")
	before := gcPercent()
	tuneGC([]string{"convert"})
	afterLoadGC()
	if got := gcPercent(); got != before {
		t.Fatalf("GOGC set by the user: %d became %d", before, got)
	}
}
