package localenv

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"berth/store"
)

// record runs a Recorder's loop over events, as one `up` or background
// process would, until they are all written.
func record(t *testing.T, st *store.Store, runID int64, events ...Event) {
	t.Helper()
	ch := make(chan Event, len(events))
	for _, e := range events {
		ch <- e
	}
	close(ch)
	r := &Recorder{Store: st, RunID: runID}
	r.loop(context.Background(), "shop", ch)
}

// TestRecorderSkipsReplayedTail: each new `up -d` starts a background
// process that streams every container's tail again; lines the store
// already holds are not recorded twice, new lines are.
func TestRecorderSkipsReplayedTail(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "berth.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	base := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	line := func(pod, container string, sec int, msg string) Event {
		return Event{Time: base.Add(time.Duration(sec) * time.Second), Service: "web", Kind: EventLog, Pod: pod, Stream: container, Message: msg}
	}
	first := []Event{
		line("web-1", "wait-db", 0, "waiting for db"),
		line("web-1", "web", 1, "listening"),
		line("web-1", "web", 2, "GET / visits=1"),
	}
	record(t, st, 1, first...)
	replay := append(append([]Event{}, first...),
		line("web-1", "web", 3, "GET / visits=2"),                                              // new since the last process
		line("web-2", "web", 1, "listening"),                                                   // another pod, same time and text
		Event{Service: "web", Kind: EventLog, Pod: "web-1", Stream: "web", Message: "untimed"}, // no time: kept
	)
	record(t, st, 2, replay...)
	tail, err := st.Tail(ctx, "shop", "web", 100)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, l := range tail {
		count[l.Pod+"/"+l.Container+" "+l.Line]++
	}
	want := map[string]int{
		"web-1/wait-db waiting for db": 1, "web-1/web listening": 1, "web-1/web GET / visits=1": 1,
		"web-1/web GET / visits=2": 1, "web-2/web listening": 1, "web-1/web untimed": 1,
	}
	if len(count) != len(want) {
		t.Errorf("stored %v, want %v", count, want)
	}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%q stored %d times, want %d", k, count[k], n)
		}
	}
}
