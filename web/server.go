package web

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"sort"
	"time"

	"berth/localenv"
)

// DefaultAddr is where the dashboard listens unless told otherwise.
const DefaultAddr = "127.0.0.1:7788"

//go:embed static
var staticFS embed.FS

// Options configure a Server.
type Options struct {
	Source  Source      // required: the running environment
	Logs    LogSearcher // optional: stored logs for search and paging
	History History     // optional: past runs, promotions and events
	Token   string      // optional: a random token is made when empty
	Hub     HubOptions
}

// Server is the dashboard. Create it with New, start it with Serve.
type Server struct {
	src          Source
	logs         LogSearcher
	hist         History
	token        string
	hub          *Hub
	loopbackOnly bool
}

// ErrNoSource is returned by New without a Source.
var ErrNoSource = errors.New("web: a Source is required")

// New returns a Server for o.
func New(o Options) (*Server, error) {
	if o.Source == nil {
		return nil, ErrNoSource
	}
	token := o.Token
	if token == "" {
		var err error
		if token, err = NewToken(); err != nil {
			return nil, err
		}
	}
	s := &Server{src: o.Source, logs: o.Logs, hist: o.History, token: token,
		hub: NewHub(o.Hub), loopbackOnly: true}
	s.hub.colors.seed(serviceNames(o.Source.Snapshot()))
	return s, nil
}

func serviceNames(snap []localenv.ServiceStatus) []string {
	names := make([]string, 0, len(snap))
	for _, st := range snap {
		names = append(names, st.Service)
	}
	sort.Strings(names)
	return names
}

// Token returns the session token the URL must carry.
func (s *Server) Token() string { return s.token }

// Hub returns the server's websocket hub (for tests and metrics).
func (s *Server) Hub() *Hub { return s.hub }

// URL is what berth prints: the dashboard's address with its token.
func (s *Server) URL(addr net.Addr) string {
	return fmt.Sprintf("http://%s/?token=%s", addr.String(), s.token)
}

// Listen opens addr (DefaultAddr when empty). Listening beyond loopback is
// allowed but then the Host check is off: the token is the only guard.
func (s *Server) Listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dashboard listen on %s: %w", addr, err)
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		s.loopbackOnly = false
	}
	return ln, nil
}

// Serve serves the dashboard on ln until ctx is done, then shuts down.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	stop := s.Start()
	defer stop()
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("dashboard: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("dashboard shutdown: %w", err)
	}
	return nil
}

// Start subscribes the hub to the Source and returns a function that
// unsubscribes, which closes every websocket. Serve calls it; tests that
// mount Handler themselves call it directly.
func (s *Server) Start() (stop func()) {
	events, unsubscribe := s.src.Subscribe(s.hub.opts.Subscribe)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.hub.Run(events)
	}()
	return func() {
		unsubscribe()
		<-done
	}
}

// Handler returns the dashboard's routes, every one but the static assets
// behind the token.
func (s *Server) Handler() http.Handler {
	static, _ := fs.Sub(staticFS, "static") // cannot fail: the directory is embedded
	mux := http.NewServeMux()
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	guarded := http.NewServeMux()
	guarded.HandleFunc("GET /{$}", s.handleOverview)
	guarded.HandleFunc("GET /services/{name}", s.handleService)
	guarded.HandleFunc("GET /logs", s.handleMergedLogs)
	guarded.HandleFunc("GET /topology", s.handleTopology)
	guarded.HandleFunc("GET /history", s.handleHistory)
	guarded.HandleFunc("GET /api/snapshot", s.handleSnapshot)
	guarded.HandleFunc("GET /api/rows", s.handleRows)
	guarded.HandleFunc("GET /api/logs", s.handleLogs)
	guarded.HandleFunc("GET /api/logs/download", s.handleDownload)
	guarded.HandleFunc("GET /ws", s.serveWS)
	guarded.Handle("POST /api/services/{name}/{action}", requireSameOrigin(http.HandlerFunc(s.handleAction)))
	mux.Handle("/", s.requireToken(guarded))
	return s.allowHosts(securityHeaders(mux))
}
