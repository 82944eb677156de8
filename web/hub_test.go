package web

import (
	"encoding/json"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"berth/localenv"
)

// readMessages reads n newline-separated messages from c.
func readMessages(t *testing.T, c *websocket.Conn, n int) []wireEvent {
	t.Helper()
	var out []wireEvent
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(out) < n {
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("after %d of %d messages: %v", len(out), n, err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			var e wireEvent
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("bad message %q: %v", line, err)
			}
			out = append(out, e)
		}
	}
	return out
}

func TestHubFanOutOrder(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{})
	const n = 3000
	clients := []*websocket.Conn{env.dial(t, "logs=1"), env.dial(t, "logs=1"), env.dial(t, "logs=1&service=api")}
	waitFor(t, 2*time.Second, "3 clients registered", func() bool { return env.srv.Hub().Clients() == 3 })
	for i := 0; i < n; i++ {
		svc := "api"
		if i%2 == 1 {
			svc = "worker"
		}
		env.src.Publish(localenv.Event{Service: svc, Kind: localenv.EventLog, Message: fmt.Sprintf("line %d", i)})
	}
	for ci, c := range clients {
		want := n
		if ci == 2 {
			want = n / 2 // only api's lines
		}
		got := readMessages(t, c, want)
		if len(got) != want {
			t.Fatalf("client %d: got %d messages, want %d", ci, len(got), want)
		}
		step := 1
		if ci == 2 {
			step = 2
		}
		for i, e := range got {
			if wantMsg := fmt.Sprintf("line %d", i*step); e.Message != wantMsg {
				t.Fatalf("client %d message %d = %q, want %q (order broken)", ci, i, e.Message, wantMsg)
			}
			if want := env.srv.Hub().colors.color(e.Service); e.Color != want {
				t.Fatalf("colour %d for %s, want %d", e.Color, e.Service, want)
			}
		}
	}
}

func TestHubNonLogEventsReachEveryone(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{})
	overview := env.dial(t, "") // no logs asked
	waitFor(t, 2*time.Second, "client registered", func() bool { return env.srv.Hub().Clients() == 1 })
	env.src.Publish(localenv.Event{Service: "api", Kind: localenv.EventLog, Message: "not for the overview"})
	st := localenv.ServiceStatus{Service: "api", State: localenv.StateFailing, Reason: "probe failed"}
	env.src.Publish(localenv.Event{Service: "api", Kind: localenv.EventStatus, Status: &st})
	got := readMessages(t, overview, 1)
	if got[0].Kind != localenv.EventStatus || got[0].Status.Reason != "probe failed" {
		t.Fatalf("overview got %+v, want the status event only", got[0])
	}
}

// TestHubDropsSlowClient: a client that never reads is dropped once its
// queue fills, while a reading client still gets every line in order.
func TestHubDropsSlowClient(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{Hub: HubOptions{SendQueue: 10000, WriteWait: 500 * time.Millisecond}})
	base := runtime.NumGoroutine()
	slow := env.dial(t, "logs=1")
	defer slow.Close()
	fast := env.dial(t, "logs=1")
	waitFor(t, 2*time.Second, "2 clients", func() bool { return env.srv.Hub().Clients() == 2 })

	// 30 MB in all: socket buffers hold a few MB of it, so the slow client's
	// queue must pass 10,000 lines, while the fast one would have to fall
	// half a second behind to be dropped.
	const n = 30000
	line := strings.Repeat("x", 1000)
	done := make(chan []wireEvent)
	go func() { done <- readMessagesNoFatal(fast, n) }()
	start := time.Now()
	for i := 0; i < n; i++ {
		env.src.Publish(localenv.Event{Service: "api", Kind: localenv.EventLog, Message: fmt.Sprintf("%d %s", i, line)})
		if i%20 == 19 {
			time.Sleep(time.Millisecond) // ~20k lines/s: the fast reader keeps up, the slow one never does
		}
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("publishing %d lines took %v: the slow client slowed the server", n, took)
	}
	got := <-done
	if len(got) != n {
		t.Fatalf("fast client got %d of %d lines", len(got), n)
	}
	for i, e := range got {
		if !strings.HasPrefix(e.Message, fmt.Sprintf("%d ", i)) {
			t.Fatalf("fast client line %d = %.20q", i, e.Message)
		}
	}
	waitFor(t, 3*time.Second, "slow client dropped", func() bool { return env.srv.Hub().Clients() == 1 })
	// The slow client, once it reads what was already in flight, finds its
	// connection closed by the server (close frame or reset), not idle.
	_ = slow.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		_, _, err := slow.ReadMessage()
		if err == nil {
			continue
		}
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Fatalf("slow client connection still open after being dropped: %v", err)
		}
		break
	}
	// Nothing of the dropped client (nor of the fast one, once it leaves) lingers.
	_ = fast.Close()
	waitFor(t, 3*time.Second, "hub empty", func() bool { return env.srv.Hub().Clients() == 0 })
	waitFor(t, 5*time.Second, fmt.Sprintf("goroutines back to %d", base), func() bool { return runtime.NumGoroutine() <= base+2 })
}

func readMessagesNoFatal(c *websocket.Conn, n int) []wireEvent {
	var out []wireEvent
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	for len(out) < n {
		_, data, err := c.ReadMessage()
		if err != nil {
			return out
		}
		for _, line := range strings.Split(string(data), "\n") {
			var e wireEvent
			if json.Unmarshal([]byte(line), &e) == nil {
				out = append(out, e)
			}
		}
	}
	return out
}

// TestHubNoGoroutineLeak: after clients connect and go away (closing
// cleanly, vanishing, or being dropped), the goroutine count settles back.
func TestHubNoGoroutineLeak(t *testing.T) {
	env := startServer(t, newFakeSource(), Options{Hub: HubOptions{SendQueue: 8, WriteWait: 300 * time.Millisecond}})
	env.src.Publish(localenv.Event{Kind: localenv.EventInfo, Message: "warm up"})
	time.Sleep(50 * time.Millisecond)
	base := runtime.NumGoroutine()

	var conns []*websocket.Conn
	for i := 0; i < 20; i++ {
		conns = append(conns, env.dial(t, "logs=1"))
	}
	waitFor(t, 2*time.Second, "20 clients", func() bool { return env.srv.Hub().Clients() == 20 })
	if g := runtime.NumGoroutine(); g < base+36 { // 2 per connection, minus slack for transient ones in base
		t.Fatalf("goroutines %d, want at least %d (reader+writer per connection)", g, base+36)
	}
	for i, c := range conns {
		switch i % 2 {
		case 0: // polite close
			_ = c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
			_ = c.Close()
		case 1: // vanish
			_ = c.UnderlyingConn().Close()
		}
	}
	waitFor(t, 5*time.Second, "hub empty", func() bool { return env.srv.Hub().Clients() == 0 })
	waitFor(t, 5*time.Second, fmt.Sprintf("goroutines back to %d", base), func() bool {
		return runtime.NumGoroutine() <= base+2 // slack for the runtime's own helpers
	})
}

func TestHubBounds(t *testing.T) {
	h := NewHub(HubOptions{MaxClients: 2, SendQueue: 4})
	a, b := h.register(filter{}), h.register(filter{})
	if a == nil || b == nil {
		t.Fatal("first two clients refused")
	}
	if h.register(filter{}) != nil {
		t.Fatal("third client accepted beyond MaxClients")
	}
	for i := 0; i < 2000; i++ {
		h.broadcast(localenv.Event{Service: fmt.Sprintf("svc-%d", i), Kind: localenv.EventInfo})
	}
	if h.Clients() != 0 || !h.wasDropped(a) {
		t.Fatalf("clients with full queues not dropped: %d left", h.Clients())
	}
	if len(h.last) > maxTracked {
		t.Fatalf("hub tracks %d services, bound is %d", len(h.last), maxTracked)
	}
}

func TestPaletteGivesDistinctColours(t *testing.T) {
	p := newPalette()
	p.seed([]string{"api", "cache", "db", "web", "worker"})
	seen := map[int]string{}
	for _, n := range []string{"api", "cache", "db", "web", "worker"} {
		c := p.color(n)
		if other, ok := seen[c]; ok {
			t.Fatalf("%s and %s share colour %d", n, other, c)
		}
		seen[c] = n
	}
	if p.color("api") != 0 || p.color("worker") != 4 || p.color("late") != 5 {
		t.Fatal("colours not assigned in name order, then order of appearance")
	}
	for i := 0; i < 2*maxTracked; i++ {
		p.color(fmt.Sprintf("svc-%d", i))
	}
	if len(p.byName) > maxTracked {
		t.Fatalf("palette holds %d names, bound %d", len(p.byName), maxTracked)
	}
}
