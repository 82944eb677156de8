package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two handles on one file stand in for `berth up` (writing) and `berth ui` or
// `berth promote` (reading and writing) running at once. Nothing may fail with
// "database is locked" / SQLITE_BUSY.
func TestConcurrentWritersAndReaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "berth.db")
	up, err := Open(ctx, path, Options{LogRetention: 2000})
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close()
	ui, err := Open(ctx, path, Options{LogRetention: 2000})
	if err != nil {
		t.Fatal(err)
	}
	defer ui.Close()
	runID, err := up.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h"})
	if err != nil {
		t.Fatal(err)
	}

	const rounds = 40
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	do := func(name string, fn func(i int) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range rounds {
				if err := fn(i); err != nil {
					errs <- fmt.Errorf("%s round %d: %w", name, i, err)
					return
				}
			}
		}()
	}
	for w, st := range []*Store{up, ui} {
		svc := fmt.Sprintf("svc%d", w)
		do("logs "+svc, func(i int) error {
			return st.AppendLogs(ctx, makeLines("shop", svc, "concurrent", fixedTime, i*200, 200))
		})
		do("events "+svc, func(i int) error {
			return st.AddEvents(ctx, []Event{{RunID: runID, Service: svc, Kind: "rollout", Message: "step"}})
		})
		do("search "+svc, func(i int) error {
			_, err := st.SearchLogs(ctx, LogQuery{Project: "shop", Text: "concurrent", Limit: 50})
			return err
		})
		do("tail "+svc, func(i int) error {
			_, err := st.Tail(ctx, "shop", svc, 100)
			return err
		})
	}
	do("promotions", func(i int) error {
		_, err := ui.RecordPromotion(ctx, Promotion{Project: "shop", Context: "prod", Result: PromotionSucceeded})
		return err
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			t.Errorf("lock contention surfaced: %v", err)
		} else {
			t.Error(err)
		}
	}
	events, _ := up.ListEvents(ctx, EventFilter{RunID: runID, Limit: 1000})
	if len(events) != 2*rounds {
		t.Errorf("%d events stored, want %d", len(events), 2*rounds)
	}
	for _, svc := range []string{"svc0", "svc1"} {
		n := countRows(t, up, `SELECT count(*) FROM log_lines WHERE service = ?`, svc)
		if n < 2000 || n > 2000+pruneSlack(2000)+200 {
			t.Errorf("%s has %d lines, want retention ~2000", svc, n)
		}
	}
}

// A reader must see a consistent snapshot while a writer is mid-batch: never
// a partial batch (WAL readers see committed transactions only).
func TestReadersNeverSeePartialBatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	const batch = 500
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			if err := s.AppendLogs(ctx, makeLines("p", "web", "b", fixedTime, i*batch, batch)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case <-done:
			return
		case <-deadline:
			t.Fatal("writer did not finish")
		default:
		}
		n := countRows(t, s, `SELECT count(*) FROM log_lines`)
		if n%batch != 0 {
			t.Fatalf("reader saw %d rows: a partial batch", n)
		}
	}
}
