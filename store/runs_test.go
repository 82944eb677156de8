package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRunsLifecycleAndPromoteGate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})

	if _, err := s.LastSuccessfulRun(ctx, "shop"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("LastSuccessfulRun on empty store: %v, want ErrNotFound", err)
	}
	ready, err := s.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h1", GitCommit: "c1", Services: 3, Started: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.MarkAllReady(ctx, ready); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, ready, RunSucceeded, false); err != nil {
		t.Fatal(err)
	}
	// A later run that never got ready, one that failed, and another project.
	notReady, _ := s.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h2", GitCommit: "c2", Services: 3})
	if err := s.FinishRun(ctx, notReady, RunSucceeded, false); err != nil {
		t.Fatal(err)
	}
	failed, _ := s.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h3", Services: 3})
	if err := s.FinishRun(ctx, failed, RunFailed, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartRun(ctx, NewRun{Project: "other", ComposeHash: "o1"}); err != nil {
		t.Fatal(err)
	}

	got, err := s.LastSuccessfulRun(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != ready || got.ComposeHash != "h1" || got.GitCommit != "c1" || !got.AllReady || got.Services != 3 {
		t.Errorf("LastSuccessfulRun = %+v, want run %d (h1, c1, all ready, 3 services)", got, ready)
	}
	if !got.Started.Equal(fixedTime) || got.Ended.IsZero() || got.Result != RunSucceeded {
		t.Errorf("times/result not round-tripped: %+v", got)
	}

	runs, err := s.ListRuns(ctx, "shop", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != failed || runs[1].ID != notReady {
		t.Errorf("ListRuns(limit 2) = %+v, want newest two (%d, %d)", runs, failed, notReady)
	}
	if err := s.FinishRun(ctx, 9999, RunFailed, false); !errors.Is(err, ErrNotFound) {
		t.Errorf("FinishRun of unknown run: %v, want ErrNotFound", err)
	}
}

func TestRunningRunThatIsReadyPassesGate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	id, _ := s.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h", Started: time.Now()})
	if _, err := s.LastSuccessfulRun(ctx, "shop"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a run not yet ready passed the gate: %v", err)
	}
	if err := s.MarkAllReady(ctx, id); err != nil {
		t.Fatal(err)
	}
	r, err := s.LastSuccessfulRun(ctx, "shop")
	if err != nil || r.ID != id || r.Result != RunRunning || !r.Ended.IsZero() {
		t.Errorf("running ready run: %+v, %v", r, err)
	}
}

func TestStartRunValidates(t *testing.T) {
	t.Parallel()
	s := openTest(t, Options{})
	if _, err := s.StartRun(context.Background(), NewRun{Project: "shop"}); err == nil {
		t.Error("StartRun without compose hash succeeded")
	}
}
