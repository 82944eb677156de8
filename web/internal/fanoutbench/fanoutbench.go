// Package fanoutbench measures the dashboard's log fan-out: it emits log
// lines at a fixed rate through a localenv.Publisher into a real web.Server
// and reads them back over real websockets, measuring throughput, latency
// from emit to client and the process's resident memory.
package fanoutbench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"berth/localenv"
	"berth/web"
)

// Config says how hard to push.
type Config struct {
	Rate     int // lines per second to emit
	Lines    int // lines in all
	Clients  int // websocket clients following all logs
	LineSize int // bytes of each log message
}

// Result is what one run measured.
type Result struct {
	Config
	Emitted     int
	Elapsed     time.Duration // from the first emit to the last line at the slowest client
	EmitRate    float64       // lines/s actually emitted
	MinReceived int64         // lines received by the client that got fewest
	Throughput  float64       // lines/s delivered per client (slowest client)
	P50, P99    time.Duration // emit → client latency, weighted per line
	Max         time.Duration
	Dropped     int   // clients dropped by the hub for being slow
	RSSBytes    int64 // resident set size of this process after the run
	HeapBytes   uint64
}

func (r Result) String() string {
	return fmt.Sprintf("emitted %d lines at %.0f lines/s to %d clients; slowest client got %d (%.1f%%) at %.0f lines/s; "+
		"latency p50 %v p99 %v max %v; dropped clients %d; RSS %.1f MB (Go heap %.1f MB)",
		r.Emitted, r.EmitRate, r.Clients, r.MinReceived, 100*float64(r.MinReceived)/float64(max(r.Emitted, 1)),
		r.Throughput, r.P50, r.P99, r.Max, r.Dropped, float64(r.RSSBytes)/(1<<20), float64(r.HeapBytes)/(1<<20))
}

// source is the minimal web.Source the benchmark needs: one service and
// a publisher.
type source struct{ pub *localenv.Publisher }

func (s source) Project() string { return "bench" }
func (s source) Subscribe(n int) (<-chan localenv.Event, func()) {
	return s.pub.Subscribe(n)
}
func (s source) Snapshot() []localenv.ServiceStatus {
	return []localenv.ServiceStatus{{Service: "app", State: localenv.StateReady, Ready: 1, Desired: 1}}
}
func (s source) Manifests(string) (web.ServiceManifests, error) { return web.ServiceManifests{}, nil }
func (s source) Graph() []web.Edge                              { return nil }
func (s source) Restart(context.Context, string) error          { return nil }
func (s source) Rebuild(context.Context, string) error          { return nil }

// Run starts a dashboard on loopback, connects the clients, emits the
// lines and waits until every client has read them (or stopped getting them).
func Run(ctx context.Context, cfg Config) (Result, error) {
	pub := localenv.NewPublisher()
	srv, err := web.New(web.Options{Source: source{pub}})
	if err != nil {
		return Result{}, err
	}
	ln, err := srv.Listen("127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	defer func() { cancel(); <-served }()

	clients, err := dialAll(ln.Addr().String(), srv.Token(), cfg.Clients)
	if err != nil {
		return Result{}, err
	}
	deadline := time.Now().Add(5 * time.Second)
	for srv.Hub().Clients() < cfg.Clients && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for _, c := range clients {
		wg.Add(1)
		go func() { defer wg.Done(); c.read(int64(cfg.Lines)) }()
	}
	start := time.Now()
	emitted := emit(pub, cfg)
	emitDone := time.Since(start)
	waitClients(&wg, clients, 10*time.Second)
	res := summarize(cfg, clients, emitted, emitDone, time.Since(start))
	res.Dropped = cfg.Clients - srv.Hub().Clients()
	for _, c := range clients {
		_ = c.conn.Close()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	res.HeapBytes = ms.HeapInuse
	res.RSSBytes = rss()
	return res, nil
}

// emit publishes cfg.Lines log lines at cfg.Rate, catching up every
// millisecond so the rate holds on average.
func emit(pub *localenv.Publisher, cfg Config) int {
	pad := strings.Repeat("x", max(cfg.LineSize-24, 0))
	start := time.Now()
	sent := 0
	for sent < cfg.Lines {
		due := min(int(time.Since(start).Seconds()*float64(cfg.Rate))+1, cfg.Lines)
		for ; sent < due; sent++ {
			pub.Publish(localenv.Event{Time: time.Now(), Service: "app", Kind: localenv.EventLog,
				Message: "line " + strconv.Itoa(sent) + " " + pad})
		}
		time.Sleep(time.Millisecond)
	}
	return sent
}

func waitClients(wg *sync.WaitGroup, clients []*client, idle time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for {
		select {
		case <-done:
			return
		case <-time.After(idle / 10):
			if time.Since(lastActivity(clients)) > idle {
				for _, c := range clients {
					_ = c.conn.Close() // lines were lost (dropped): stop waiting
				}
				<-done
				return
			}
		}
	}
}

func lastActivity(clients []*client) time.Time {
	var last int64
	for _, c := range clients {
		last = max(last, c.last.Load())
	}
	return time.Unix(0, last)
}

func summarize(cfg Config, clients []*client, emitted int, emitDur, elapsed time.Duration) Result {
	res := Result{Config: cfg, Emitted: emitted, Elapsed: elapsed, EmitRate: float64(emitted) / emitDur.Seconds()}
	var h histogram
	res.MinReceived = -1
	for _, c := range clients {
		h.merge(&c.hist)
		if n := c.received.Load(); res.MinReceived < 0 || n < res.MinReceived {
			res.MinReceived = n
		}
	}
	res.Throughput = float64(res.MinReceived) / elapsed.Seconds()
	res.P50, res.P99, res.Max = h.quantile(0.50), h.quantile(0.99), h.max()
	return res
}

// client is one websocket reader. It counts lines and takes the latency of
// the first (oldest) line of each frame as the latency of every line in
// it, which overstates latency a little and never understates it.
type client struct {
	conn     *websocket.Conn
	received atomic.Int64
	last     atomic.Int64
	hist     histogram
}

func dialAll(addr, token string, n int) ([]*client, error) {
	h := http.Header{}
	h.Set("Cookie", "berth_token="+token)
	h.Set("Origin", "http://"+addr)
	var out []*client
	for i := 0; i < n; i++ {
		conn, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws?logs=1", h)
		if err != nil {
			return nil, fmt.Errorf("client %d: %w", i, err)
		}
		out = append(out, &client{conn: conn})
	}
	return out, nil
}

var timePrefix = []byte(`{"time":"`)

func (c *client) read(want int64) {
	buf := make([]byte, 64<<10)
	for c.received.Load() < want {
		_, r, err := c.conn.NextReader()
		if err != nil {
			return
		}
		// Count the frame's lines while streaming it through one buffer;
		// the first bytes carry the time of its oldest line.
		n, first, err := countLines(r, buf)
		if err != nil {
			return
		}
		now := time.Now()
		c.last.Store(now.UnixNano())
		c.received.Add(n)
		if t, err := frameTime(first); err == nil {
			c.hist.add(now.Sub(t), n)
		}
	}
}

// countLines reads a frame to its end and returns its number of lines and
// a copy of its first bytes (enough to hold the first line's time).
func countLines(r io.Reader, buf []byte) (int64, []byte, error) {
	var first []byte
	n := int64(1)
	for {
		k, err := r.Read(buf)
		if first == nil && k > 0 {
			first = append([]byte(nil), buf[:min(k, 64)]...)
		}
		n += int64(bytes.Count(buf[:k], []byte{'\n'}))
		if err == io.EOF {
			return n, first, nil
		}
		if err != nil {
			return 0, nil, err
		}
	}
}

func frameTime(data []byte) (time.Time, error) {
	if !bytes.HasPrefix(data, timePrefix) {
		return time.Time{}, errors.New("frame does not start with a time")
	}
	rest := data[len(timePrefix):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return time.Time{}, errors.New("unterminated time")
	}
	return time.Parse(time.RFC3339Nano, string(rest[:end]))
}

// rss reads this process's resident set size from /proc (Linux).
func rss() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}
