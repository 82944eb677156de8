package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestRetentionBoundsRowsPerService(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const keep = 1000
	s := openTest(t, Options{LogRetention: keep})
	web := makeLines("shop", "web", "web", fixedTime, 0, 20_000)
	db := makeLines("shop", "db", "db", fixedTime, 0, 300)
	for i := 0; i < len(web); i += 250 {
		appendAll(t, s, web[i:i+250], 250)
		if i == 0 {
			appendAll(t, s, db, 300)
		}
		if n := countRows(t, s, `SELECT count(*) FROM log_lines WHERE service = 'web'`); n > keep+pruneSlack(keep)+250 {
			t.Fatalf("after %d lines web has %d rows, bound is %d", i+250, n, keep+pruneSlack(keep)+250)
		}
	}
	if n := countRows(t, s, `SELECT count(*) FROM log_lines WHERE service = 'db'`); n != 300 {
		t.Errorf("db has %d lines, want all 300: retention must be per service", n)
	}
	if err := s.PruneLogs(ctx); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, s, `SELECT count(*) FROM log_lines WHERE service = 'web'`); n != keep {
		t.Errorf("after PruneLogs web has %d rows, want %d", n, keep)
	}
	tail, err := s.Tail(ctx, "shop", "web", 1)
	if err != nil || len(tail) != 1 || tail[0].Line != web[len(web)-1].Line {
		t.Errorf("newest line not kept: %+v, %v", tail, err)
	}
	// The index shrinks with the table: a pruned line is not found any more.
	page, err := s.SearchLogs(ctx, LogQuery{Project: "shop", Services: []string{"web"}, Text: "line 5", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range page.Lines {
		if l.Line == web[5].Line {
			t.Errorf("pruned line still searchable: %q", l.Line)
		}
	}
	if n := countRows(t, s, `SELECT count(*) FROM log_fts WHERE log_fts MATCH '"web"'`); n != keep {
		t.Errorf("FTS index holds %d web lines, want %d", n, keep)
	}
}

func TestFullTextSearchFindsOldLine(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	lines := makeLines("shop", "api", "request", fixedTime, 0, 30_000)
	lines[3].Line = `panic: connection refused to postgres://db:5432 (attempt 3)`
	appendAll(t, s, lines, 2000)
	appendAll(t, s, makeLines("shop", "web", "request", fixedTime, 0, 5000), 2000)

	for _, text := range []string{"connection refused", "CONN refus", "postgres://db:5432", `"attempt 3)`} {
		page, err := s.SearchLogs(ctx, LogQuery{Project: "shop", Text: text, Limit: 50})
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		if len(page.Lines) != 1 || page.Lines[0].Line != lines[3].Line || page.Lines[0].Service != "api" {
			t.Errorf("search %q found %d lines: %+v", text, len(page.Lines), page.Lines)
		}
	}
	// Text that is only FTS syntax must not be an error.
	for _, text := range []string{`"`, `AND OR NOT`, `*`, `(`, `NEAR(`} {
		if _, err := s.SearchLogs(ctx, LogQuery{Project: "shop", Text: text}); err != nil {
			t.Errorf("search %q: %v", text, err)
		}
	}
}

func TestRegexFilterAndTimeRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	appendAll(t, s, makeLines("shop", "web", "req", fixedTime, 0, 3000), 1000)

	page, err := s.SearchLogs(ctx, LogQuery{Project: "shop", Regex: `^req line 1\d{3} GET`, Limit: 5000})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Lines) != 1000 || page.More {
		t.Errorf("regex matched %d lines (more=%v), want 1000", len(page.Lines), page.More)
	}
	for _, l := range page.Lines {
		if !strings.HasPrefix(l.Line, "req line 1") {
			t.Fatalf("regex returned %q", l.Line)
		}
	}
	combined, _ := s.SearchLogs(ctx, LogQuery{Project: "shop", Text: "GET", Regex: `in 29\dms$`,
		Since: fixedTime.Add(1000 * time.Millisecond), Until: fixedTime.Add(2000 * time.Millisecond), Limit: 5000})
	if len(combined.Lines) != 30 { // k in [1000,2000) with k%300 in [290,300)
		t.Errorf("text+regex+time matched %d lines, want 30", len(combined.Lines))
	}
	for _, l := range combined.Lines {
		if l.Time.Before(fixedTime.Add(time.Second)) || !l.Time.Before(fixedTime.Add(2*time.Second)) {
			t.Errorf("line outside time range: %v", l.Time)
		}
	}
	if _, err := s.SearchLogs(ctx, LogQuery{Project: "shop", Regex: `(unclosed`}); err == nil ||
		!strings.Contains(err.Error(), "bad regular expression") {
		t.Errorf("bad regex: %v", err)
	}
}

func TestPagingWalksEveryLineOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	appendAll(t, s, makeLines("shop", "web", "w", fixedTime, 0, 1050), 300)
	appendAll(t, s, makeLines("shop", "db", "d", fixedTime, 0, 10), 300)
	appendAll(t, s, makeLines("other", "web", "o", fixedTime, 0, 10), 300)

	q := LogQuery{Project: "shop", Services: []string{"web"}, Limit: 100}
	seen := map[int64]bool{}
	var last int64
	pages := 0
	for {
		page, err := s.SearchLogs(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for i, l := range page.Lines {
			if seen[l.ID] || l.Service != "web" || l.Project != "shop" {
				t.Fatalf("page %d: duplicate or foreign line %+v", pages, l)
			}
			if i > 0 && l.ID <= page.Lines[i-1].ID {
				t.Fatalf("page %d not in ascending order", pages)
			}
			seen[l.ID] = true
		}
		if last != 0 && page.Lines[len(page.Lines)-1].ID >= last {
			t.Fatal("backward page overlaps the previous one")
		}
		last = page.Lines[0].ID
		if !page.More {
			break
		}
		q.BeforeID = page.Lines[0].ID
	}
	if len(seen) != 1050 || pages != 11 {
		t.Errorf("paged %d lines in %d pages, want 1050 in 11", len(seen), pages)
	}
	// Forward from a cursor, as a client catching up after a pause.
	fwd, _ := s.SearchLogs(ctx, LogQuery{Project: "shop", Services: []string{"web"}, AfterID: last, Limit: 5})
	if len(fwd.Lines) != 5 || fwd.Lines[0].ID <= last || !fwd.More {
		t.Errorf("forward page after %d: %+v more=%v", last, fwd.Lines, fwd.More)
	}
	merged, _ := s.Tail(ctx, "shop", "", 20)
	services := map[string]int{}
	for _, l := range merged {
		services[l.Service]++
	}
	if services["db"] != 10 || services["web"] != 10 {
		t.Errorf("merged tail of all services: %v", services)
	}
}

func TestAppendRoundTripsFields(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	want := LogLine{Project: "p", Service: "s", Pod: "s-1", Container: "c", Time: fixedTime, Stream: "stderr", Line: "x\ty ünïcode"}
	if err := s.AppendLogs(ctx, []LogLine{want, {Project: "p", Service: "s", Line: "defaults"}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Tail(ctx, "p", "s", 10)
	if err != nil || len(got) != 2 {
		t.Fatalf("Tail: %+v, %v", got, err)
	}
	want.ID = got[0].ID
	got[0].Time = got[0].Time.UTC()
	if got[0] != want {
		t.Errorf("round trip:\n got %+v\nwant %+v", got[0], want)
	}
	if got[1].Stream != "stdout" || got[1].Time.IsZero() {
		t.Errorf("defaults not applied: %+v", got[1])
	}
	if fmt.Sprint(got[1].ID) == "0" {
		t.Error("no id assigned")
	}
}

func TestLastLogTimeIsPerContainer(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := openTest(t, Options{})
	appendAll(t, s, makeLines("shop", "web", "web", fixedTime, 0, 50), 50)
	other := makeLines("shop", "web", "web", fixedTime, 100, 5)
	for i := range other {
		other[i].Pod = "web-other"
	}
	appendAll(t, s, other, 5)
	for _, c := range []struct {
		project, pod, container string
		want                    time.Time
	}{
		{"shop", "web-7d9f-abc", "web", fixedTime.Add(49 * time.Millisecond)},
		{"shop", "web-other", "web", fixedTime.Add(104 * time.Millisecond)},
		{"shop", "web-7d9f-abc", "wait-db", time.Time{}},
		{"other", "web-7d9f-abc", "web", time.Time{}},
	} {
		got, err := s.LastLogTime(ctx, c.project, "web", c.pod, c.container)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("LastLogTime(%s, %s/%s) = %v, %v; want %v", c.project, c.pod, c.container, got, err, c.want)
		}
	}
}
