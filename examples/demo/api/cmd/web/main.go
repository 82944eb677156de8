// Command web is the demo's HTTP service: GET / counts visits in PostgreSQL,
// caches the count in Redis and queues a job for the worker.
//
// `web healthcheck` probes the running server; the runtime image has no curl,
// so the compose healthcheck calls the binary itself.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"example.com/berth-demo/api/internal/resp"
	"example.com/berth-demo/api/internal/visits"
)

// greeting is what GET / says; edit it to watch `berth up` rebuild and roll.
const greeting = "hello from the berth demo"

type server struct {
	store *visits.Store
	cache *resp.Client
	host  string
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	port := envOr("PORT", "8080")
	if len(os.Args) > 1 && os.Args[1] == "healthcheck" {
		if err := healthcheck(port); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := run(port); err != nil {
		log.Printf("web: %v", err)
		os.Exit(1)
	}
}

func run(port string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := visits.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer store.Close()
	host, _ := os.Hostname()
	s := &server{store: store, cache: resp.New(envOr("REDIS_ADDR", "localhost:6379")), host: host}
	defer s.cache.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /stats", s.handleStats)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	srv := &http.Server{Addr: ":" + port, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Printf("web listening on :%s", port)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Printf("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// handleIndex counts the visit (PostgreSQL is the source of truth), refreshes
// the cached count and hands the worker a job. A Redis outage degrades the
// answer but does not fail it.
func (s *server) handleIndex(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	n, err := s.store.Increment(ctx, "visits")
	if err != nil {
		log.Printf("GET / failed: %v", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	count := strconv.FormatInt(n, 10)
	if _, err := s.cache.String(ctx, "SET", "visits", count); err != nil {
		log.Printf("cache: %v", err)
	}
	if _, err := s.cache.Int(ctx, "LPUSH", "jobs", "visit-"+count); err != nil {
		log.Printf("queue: %v", err)
	}
	log.Printf("GET / visits=%d", n)
	writeJSON(w, map[string]any{"message": greeting, "visits": n, "host": s.host})
}

// handleStats reads counts from the cache first and falls back to the
// database, filling the cache, when Redis does not have them.
func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	out := map[string]any{}
	for _, name := range []string{"visits", "jobs_done"} {
		if v, err := s.cache.String(ctx, "GET", name); err == nil {
			out[name], out[name+"_from"] = v, "cache"
			continue
		}
		n, err := s.store.Get(ctx, name)
		if err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		_, _ = s.cache.String(ctx, "SET", name, strconv.FormatInt(n, 10))
		out[name], out[name+"_from"] = strconv.FormatInt(n, 10), "database"
	}
	log.Printf("GET /stats visits=%v jobs_done=%v", out["visits"], out["jobs_done"])
	writeJSON(w, out)
}

func (s *server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		http.Error(w, "database: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, map[string]string{"status": "ok"})
}

func healthcheck(port string) error {
	client := http.Client{Timeout: 3 * time.Second}
	res, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return errors.New("healthcheck: " + res.Status)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
