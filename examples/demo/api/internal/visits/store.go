// Package visits keeps the demo's counters in PostgreSQL, the source of
// truth; Redis only caches them and carries jobs to the worker.
package visits

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"time"

	_ "github.com/lib/pq" // registers the "postgres" driver
)

const schema = `
CREATE TABLE IF NOT EXISTS counters (
	name  text PRIMARY KEY,
	value bigint NOT NULL DEFAULT 0
);
INSERT INTO counters (name, value) VALUES ('visits', 0), ('jobs_done', 0)
ON CONFLICT (name) DO NOTHING;`

// Store wraps the database handle.
type Store struct{ db *sql.DB }

// Open connects to url, retrying until the database answers or ctx ends
// (the database may still be starting when we do), then creates the table.
func Open(ctx context.Context, url string) (*Store, error) {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	for attempt := 1; ; attempt++ {
		pingCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		err = db.PingContext(pingCtx)
		cancel()
		if err == nil {
			break
		}
		log.Printf("database not ready (attempt %d): %v", attempt, err)
		select {
		case <-ctx.Done():
			_ = db.Close()
			return nil, fmt.Errorf("database never became ready: %w", err)
		case <-time.After(2 * time.Second):
		}
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return &Store{db: db}, nil
}

// Increment adds one to the named counter and returns its new value.
func (s *Store) Increment(ctx context.Context, name string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx,
		`UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value`, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("increment %s: %w", name, err)
	}
	return n, nil
}

// Get returns the named counter's value.
func (s *Store) Get(ctx context.Context, name string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT value FROM counters WHERE name = $1`, name).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	return n, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close releases the connection pool.
func (s *Store) Close() error { return s.db.Close() }
