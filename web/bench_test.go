package web_test

import (
	"context"
	"testing"

	"berth/web/internal/fanoutbench"
)

// BenchmarkFanout emits b.N log lines at 50,000 lines/s to 10 websocket
// clients. `make bench` runs it with -benchtime=1000000x:
//
//	go test ./web -run '^$' -bench Fanout -benchtime 1000000x
//
// It reports delivered lines/s (slowest client), p99 emit→client latency
// and the process RSS after the run (server and clients together).
func BenchmarkFanout(b *testing.B) {
	res, err := fanoutbench.Run(context.Background(), fanoutbench.Config{Rate: 50000, Lines: b.N, Clients: 10, LineSize: 120})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(res.Throughput, "lines/s")
	b.ReportMetric(float64(res.P99.Milliseconds()), "p99-ms")
	b.ReportMetric(float64(res.RSSBytes)/(1<<20), "RSS-MB")
	b.ReportMetric(100*float64(res.MinReceived)/float64(res.Emitted), "delivered-%")
	b.ReportMetric(float64(res.Dropped), "dropped-clients")
	b.Log(res)
	if res.MinReceived < int64(res.Emitted) {
		b.Errorf("slowest client got %d of %d lines", res.MinReceived, res.Emitted)
	}
}
