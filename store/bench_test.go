package store

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAppendLogs measures sustained appends in batches of 1,000 lines
// across 4 services, with the FTS index and retention on (retention is
// lowered so pruning runs during the benchmark, as it does in a long `up`).
func BenchmarkAppendLogs(b *testing.B) {
	s := openTest(b, Options{LogRetention: 100_000})
	ctx := context.Background()
	const batch = 1000
	services := []string{"web", "api", "worker", "db"}
	batches := make([][]LogLine, len(services))
	for i, svc := range services {
		batches[i] = makeLines("shop", svc, "bench request served", fixedTime, 0, batch)
	}
	b.ResetTimer()
	start, cpuStart := time.Now(), cpuTime()
	for i := range b.N {
		if err := s.AppendLogs(ctx, batches[i%len(batches)]); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(b.N*batch)/elapsed.Seconds(), "lines/s")
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(b.N*batch), "ns/line")
	// CPU time is what the appends cost independent of other load on this
	// 2-core machine; lines per CPU-second is the rate on an idle core.
	b.ReportMetric(float64(b.N*batch)/(cpuTime()-cpuStart).Seconds(), "lines/cpu-s")
}

// cpuTime is the user+system CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSearchLogs searches 200,000 stored lines for a word that appears
// once every 1,000 lines, one page of 100, newest first.
func BenchmarkSearchLogs(b *testing.B) {
	s := openTest(b, Options{})
	ctx := context.Background()
	seedSearch(b, s, 200_000)
	cases := []struct {
		name string
		q    LogQuery
	}{
		{"fts-rare", LogQuery{Project: "shop", Text: "timeout", Limit: 100}},
		{"fts-common", LogQuery{Project: "shop", Text: "GET", Limit: 100}},
		{"regex", LogQuery{Project: "shop", Services: []string{"web"}, Regex: `items/99\d `, Limit: 100}},
		{"fts+regex", LogQuery{Project: "shop", Text: "timeout", Regex: `upstream \d+`, Limit: 100}},
		{"tail", LogQuery{Project: "shop", Services: []string{"web"}, Limit: 100}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				page, err := s.SearchLogs(ctx, c.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(page.Lines) == 0 {
					b.Fatal("no results")
				}
			}
		})
	}
}

func seedSearch(b *testing.B, s *Store, n int) {
	b.Helper()
	lines := makeLines("shop", "web", "request", fixedTime, 0, n)
	for i := range lines {
		if i%1000 == 0 {
			lines[i].Line = fmt.Sprintf("ERROR upstream %d timeout after 30s", i)
		}
	}
	appendAll(b, s, lines, 5000)
}
