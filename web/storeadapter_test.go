package web

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"berth/store"
)

// TestStoreAdapter runs the adapter against a real SQLite store.
func TestStoreAdapter(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "berth.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var lines []store.LogLine
	for i := 0; i < 1200; i++ {
		lines = append(lines, store.LogLine{Project: "demo", Service: []string{"api", "worker"}[i%2], Pod: "p", Container: "c",
			Time: testEpoch.Add(time.Duration(i) * time.Second), Stream: "stdout", Line: fmt.Sprintf("request %d took %dms", i, i%97)})
	}
	if err := st.AppendLogs(ctx, lines); err != nil {
		t.Fatal(err)
	}
	runID, err := st.StartRun(ctx, store.NewRun{Project: "demo", ComposeHash: "sha256:abc", Services: 2, Started: testEpoch})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddEvents(ctx, []store.Event{
		{RunID: runID, Time: testEpoch, Service: "api", Kind: "build", Message: "built"},
		{RunID: runID, Time: testEpoch.Add(time.Second), Service: "api", Kind: "ready", Message: "1/1"},
	}); err != nil {
		t.Fatal(err)
	}
	a := &StoreAdapter{Store: st, Project: "demo"}

	p, err := a.SearchLogs(ctx, LogQuery{Service: "api", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Lines) != 100 || p.Lines[0].Line != "request 1198 took 34ms" || p.Older == 0 {
		t.Fatalf("newest page: %d lines, first %q, older %d", len(p.Lines), p.Lines[0].Line, p.Older)
	}
	older, err := a.SearchLogs(ctx, LogQuery{Service: "api", Limit: 100, Before: p.Older})
	if err != nil {
		t.Fatal(err)
	}
	if older.Lines[0].Line != "request 998 took 28ms" {
		t.Fatalf("older page starts with %q", older.Lines[0].Line)
	}
	re, err := a.SearchLogs(ctx, LogQuery{Text: `^request 1[01]7 took \d+ms$`, Regex: true, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(re.Lines) != 2 || re.Lines[0].Line != "request 117 took 20ms" || re.Lines[1].Line != "request 107 took 10ms" {
		t.Fatalf("regex search: %+v", re.Lines)
	}
	events, err := a.Events(ctx, "demo", "api", 10)
	if err != nil || len(events) != 2 || events[0].Kind != "ready" {
		t.Fatalf("events newest first: %+v %v", events, err)
	}
	runs, err := a.Runs(ctx, "demo", 10)
	if err != nil || len(runs) != 1 || runs[0].Result != "running" {
		t.Fatalf("runs: %+v %v", runs, err)
	}
}
