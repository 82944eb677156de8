package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestEventsFilterAndOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	run1, _ := s.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h"})
	run2, _ := s.StartRun(ctx, NewRun{Project: "shop", ComposeHash: "h"})
	var batch []Event
	for i := range 30 {
		svc := []string{"web", "db", ""}[i%3]
		batch = append(batch, Event{RunID: run1, Time: fixedTime.Add(time.Duration(i) * time.Second),
			Service: svc, Kind: "rollout", Message: fmt.Sprintf("event %d", i)})
	}
	batch = append(batch, Event{RunID: run2, Time: fixedTime, Service: "web", Kind: "build", Message: "other run"})
	if err := s.AddEvents(ctx, batch); err != nil {
		t.Fatal(err)
	}

	all, err := s.ListEvents(ctx, EventFilter{RunID: run1})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 30 || all[0].Message != "event 0" || all[29].Message != "event 29" {
		t.Fatalf("ListEvents(run1) returned %d events, first %q", len(all), all[0].Message)
	}
	web, _ := s.ListEvents(ctx, EventFilter{RunID: run1, Service: "web"})
	if len(web) != 10 {
		t.Errorf("web events = %d, want 10", len(web))
	}
	since, _ := s.ListEvents(ctx, EventFilter{RunID: run1, Since: fixedTime.Add(25 * time.Second)})
	if len(since) != 5 || since[0].Message != "event 25" {
		t.Errorf("since +25s: %d events, first %+v", len(since), since)
	}
	newest, _ := s.ListEvents(ctx, EventFilter{RunID: run1, Limit: 3})
	if len(newest) != 3 || newest[2].Message != "event 29" || newest[0].Message != "event 27" {
		t.Errorf("limit 3 should be the newest three in order: %+v", newest)
	}
	after, _ := s.ListEvents(ctx, EventFilter{RunID: run1, AfterID: all[9].ID, Limit: 2})
	if len(after) != 2 || after[0].Message != "event 10" {
		t.Errorf("after event 9: %+v", after)
	}
	if !all[3].Time.Equal(fixedTime.Add(3 * time.Second)) {
		t.Errorf("time not round-tripped: %v", all[3].Time)
	}
}

func TestEventForUnknownRunIsRejected(t *testing.T) {
	t.Parallel()
	s := openTest(t, Options{})
	err := s.AddEvents(context.Background(), []Event{{RunID: 42, Kind: "build"}})
	if err == nil {
		t.Fatal("event for a missing run stored: foreign keys are off")
	}
	if n := countRows(t, s, `SELECT count(*) FROM events`); n != 0 {
		t.Errorf("%d events stored after a failed batch", n)
	}
}
