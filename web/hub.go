package web

import (
	"sync"
	"time"

	"berth/localenv"
)

// HubOptions bound what the hub may hold.
type HubOptions struct {
	SendQueue  int           // messages queued per client before it is dropped (default 65536: >1s at 50k lines/s)
	SendBytes  int           // bytes queued per client before it is dropped (default 16 MiB)
	MaxClients int           // connections accepted at once (default 32)
	Subscribe  int           // buffer of the hub's own subscription to the Source (default 32768)
	PingPeriod time.Duration // how often the writer pings (default 20s)
	PongWait   time.Duration // how long the reader waits for a pong (default 30s)
	WriteWait  time.Duration // deadline for one write (default 10s)
	MaxBatch   int           // messages written in one websocket frame (default 2048)
	// FlushEvery is the shortest time between two frames to one client
	// (default 10ms). Under load, lines gather in the queue meanwhile and go
	// out in one frame: one write per client per interval instead of one
	// per line, which is what lets 2 cores fan 50,000 lines/s to 10 tabs.
	FlushEvery time.Duration
}

func (o HubOptions) withDefaults() HubOptions {
	if o.SendQueue <= 0 {
		o.SendQueue = 65536
	}
	if o.SendBytes <= 0 {
		o.SendBytes = 16 << 20
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 32
	}
	if o.Subscribe <= 0 {
		o.Subscribe = 32768
	}
	if o.PingPeriod <= 0 {
		o.PingPeriod = 20 * time.Second
	}
	if o.PongWait <= o.PingPeriod {
		o.PongWait = o.PingPeriod * 3 / 2
	}
	if o.WriteWait <= 0 {
		o.WriteWait = 10 * time.Second
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 2048
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = 10 * time.Millisecond
	}
	return o
}

// filter says which events a client wants. Non-log events go to everyone
// (they are few and the overview needs them); log lines only to clients
// that asked for logs of that service (or of all services).
type filter struct {
	logs    bool
	service string // "" for every service
}

func (f filter) wants(e *localenv.Event) bool {
	if e.Kind != localenv.EventLog {
		return true
	}
	return f.logs && (f.service == "" || f.service == e.Service)
}

// hubClient is the hub's side of one connection: a bounded queue of
// encoded messages. The hub closes the queue to drop the client.
type hubClient struct {
	queue   *sendQueue
	filter  filter
	dropped bool // set by the hub (under its lock) when the queue overflowed
}

// Hub fans the Source's events out to websocket clients. It encodes each
// event once, never blocks on a client, and drops a client whose queue is
// full. It holds nothing unbounded: at most MaxClients queues of at most
// SendQueue messages and SendBytes bytes, and the last event of at most
// maxTracked services.
type Hub struct {
	opts HubOptions

	colors *palette

	mu      sync.Mutex
	clients map[*hubClient]struct{}
	last    map[string]localenv.Event // last non-log event per service, bounded by maxTracked
	closed  bool
}

const maxTracked = 1024

// NewHub returns a hub; call Run to start it.
func NewHub(o HubOptions) *Hub {
	return &Hub{opts: o.withDefaults(), colors: newPalette(), clients: map[*hubClient]struct{}{}, last: map[string]localenv.Event{}}
}

// Run reads events until the channel closes, then disconnects every client.
func (h *Hub) Run(events <-chan localenv.Event) {
	for e := range events {
		h.broadcast(e)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		delete(h.clients, c)
		c.queue.close()
	}
}

func (h *Hub) broadcast(e localenv.Event) {
	msg, err := encodeEvent(e, h.colors.color(e.Service))
	if err != nil {
		return // an event that cannot be encoded is not worth a dropped connection
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.remember(e)
	for c := range h.clients {
		if !c.filter.wants(&e) {
			continue
		}
		if !c.queue.push(msg) { // too slow: drop it, never wait for it
			c.dropped = true
			delete(h.clients, c)
			c.queue.close()
		}
	}
}

func (h *Hub) remember(e localenv.Event) {
	if e.Kind == localenv.EventLog || e.Kind == localenv.EventStatus || e.Service == "" {
		return
	}
	if _, ok := h.last[e.Service]; !ok && len(h.last) >= maxTracked {
		return
	}
	h.last[e.Service] = e
}

// LastEvent returns the newest non-log event seen for a service.
func (h *Hub) LastEvent(service string) (localenv.Event, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.last[service]
	return e, ok
}

// register adds a client, or returns nil when the hub is full or closed.
func (h *Hub) register(f filter) *hubClient {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed || len(h.clients) >= h.opts.MaxClients {
		return nil
	}
	c := &hubClient{queue: newSendQueue(h.opts.SendQueue, h.opts.SendBytes), filter: f}
	h.clients[c] = struct{}{}
	return c
}

// unregister removes a client that went away on its own.
func (h *Hub) unregister(c *hubClient) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		c.queue.close()
	}
}

// wasDropped reports whether the hub dropped c for being slow.
func (h *Hub) wasDropped(c *hubClient) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return c.dropped
}

// Clients returns the number of connected clients.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// paletteSize is the number of service colours the stylesheet defines.
const paletteSize = 8

// palette gives each service its own colour while colours last, like
// docker compose's log prefixes: services known at start in name order,
// later ones in order of appearance. Past maxTracked names it falls back
// to a hash, so it stays bounded.
type palette struct {
	mu     sync.Mutex
	byName map[string]int
	next   int
}

func newPalette() *palette { return &palette{byName: map[string]int{}} }

// seed assigns colours to names (sorted by the caller) not yet coloured.
func (p *palette) seed(names []string) {
	for _, n := range names {
		p.color(n)
	}
}

func (p *palette) color(service string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.byName[service]; ok {
		return c
	}
	if len(p.byName) >= maxTracked {
		return hashColor(service)
	}
	c := p.next % paletteSize
	p.next++
	p.byName[service] = c
	return c
}

// hashColor is FNV-1a of the name modulo the palette.
func hashColor(service string) int {
	h := uint32(2166136261)
	for i := 0; i < len(service); i++ {
		h ^= uint32(service[i])
		h *= 16777619
	}
	return int(h % paletteSize)
}
