// Command benchfanout measures the dashboard's log fan-out: by default
// 1,000,000 log lines at 50,000 lines/s to 10 websocket clients. It prints
// throughput, p99 emit→client latency and RSS, and exits non-zero when a
// goal is missed (50k lines/s sustained, p99 < 250 ms, RSS < 150 MB).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"berth/web/internal/fanoutbench"
)

func main() {
	cfg := fanoutbench.Config{}
	flag.IntVar(&cfg.Rate, "rate", 50000, "log lines per second to emit")
	flag.IntVar(&cfg.Lines, "lines", 1000000, "log lines in all")
	flag.IntVar(&cfg.Clients, "clients", 10, "websocket clients")
	flag.IntVar(&cfg.LineSize, "line-size", 120, "bytes per log message")
	flag.Parse()
	res, err := fanoutbench.Run(context.Background(), cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchfanout:", err)
		os.Exit(2)
	}
	fmt.Println("benchfanout:", res)
	var missed []string
	if res.MinReceived < int64(res.Emitted) || res.EmitRate < 0.98*float64(cfg.Rate) {
		missed = append(missed, "did not sustain the rate to every client")
	}
	if res.P99 >= 250*time.Millisecond {
		missed = append(missed, "p99 latency >= 250ms")
	}
	if res.RSSBytes >= 150<<20 {
		missed = append(missed, "RSS >= 150 MB")
	}
	if len(missed) > 0 {
		fmt.Println("benchfanout: goals missed:", missed)
		os.Exit(1)
	}
	fmt.Println("benchfanout: all goals met")
}
