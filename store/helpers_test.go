package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func openTest(t testing.TB, o Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "berth.db"), o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

// makeLines returns n lines of one service, timestamps a millisecond apart
// from base, text "<prefix> line <i>".
func makeLines(project, service, prefix string, base time.Time, from, n int) []LogLine {
	out := make([]LogLine, n)
	for i := range out {
		k := from + i
		out[i] = LogLine{
			Project: project, Service: service, Pod: service + "-7d9f-abc", Container: service,
			Time: base.Add(time.Duration(k) * time.Millisecond), Stream: "stdout",
			Line: fmt.Sprintf("%s line %d GET /api/items/%d 200 in %dms", prefix, k, k%997, k%300),
		}
	}
	return out
}

func appendAll(t testing.TB, s *Store, lines []LogLine, batch int) {
	t.Helper()
	for start := 0; start < len(lines); start += batch {
		if err := s.AppendLogs(context.Background(), lines[start:min(start+batch, len(lines))]); err != nil {
			t.Fatalf("AppendLogs: %v", err)
		}
	}
}

func countRows(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.reader.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
