package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Event is something that happened during a run: a build, an image load, a
// rollout, a Kubernetes event, a readiness change.
type Event struct {
	ID      int64 // set by the store
	RunID   int64
	Time    time.Time
	Service string // empty for run-wide events
	Kind    string // build, load, apply, rollout, ready, failing, ...
	Message string
}

// AddEvents stores a batch of events in one transaction.
func (s *Store) AddEvents(ctx context.Context, events []Event) error {
	if len(events) == 0 {
		return nil
	}
	err := inTx(ctx, s.writer, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO events(run_id, time, service, kind, message) VALUES (?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, e := range events {
			t := e.Time
			if t.IsZero() {
				t = time.Now()
			}
			if _, err := stmt.ExecContext(ctx, e.RunID, t.UnixNano(), e.Service, e.Kind, e.Message); err != nil {
				return fmt.Errorf("event for run %d: %w", e.RunID, err)
			}
		}
		return nil
	})
	return s.wrap("add events", err)
}

// EventFilter selects events. Zero fields do not filter.
type EventFilter struct {
	RunID   int64
	Service string
	Since   time.Time // events at or after
	AfterID int64     // events with a greater id, for following a live run
	Limit   int       // <= 0 means 500
}

// ListEvents returns matching events in the order they happened (by id). When
// there are more than Limit, the newest Limit are returned unless AfterID is
// set, in which case the oldest after it are.
func (s *Store) ListEvents(ctx context.Context, f EventFilter) ([]Event, error) {
	where, args := f.where()
	order := "DESC"
	if f.AfterID > 0 {
		order = "ASC"
	}
	query := `SELECT id, run_id, time, service, kind, message FROM events` + where +
		` ORDER BY id ` + order + ` LIMIT ?`
	rows, err := s.reader.QueryContext(ctx, query, append(args, clampLimit(f.Limit, 500))...)
	if err != nil {
		return nil, s.wrap("list events", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		var t int64
		if err := rows.Scan(&e.ID, &e.RunID, &t, &e.Service, &e.Kind, &e.Message); err != nil {
			return nil, s.wrap("list events", err)
		}
		e.Time = fromNanos(t)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap("list events", err)
	}
	if order == "DESC" {
		reverse(out)
	}
	return out, nil
}

func (f EventFilter) where() (string, []any) {
	var conds []string
	var args []any
	if f.RunID != 0 {
		conds, args = append(conds, "run_id = ?"), append(args, f.RunID)
	}
	if f.Service != "" {
		conds, args = append(conds, "service = ?"), append(args, f.Service)
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "time >= ?"), append(args, f.Since.UnixNano())
	}
	if f.AfterID > 0 {
		conds, args = append(conds, "id > ?"), append(args, f.AfterID)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}
