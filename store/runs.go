package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RunResult is how a `berth up` ended.
type RunResult string

// Run results.
const (
	RunRunning   RunResult = "running"
	RunSucceeded RunResult = "succeeded" // ended cleanly (e.g. `berth down`, Ctrl-C after everything was up)
	RunFailed    RunResult = "failed"
)

// Run is one `berth up`.
type Run struct {
	ID          int64
	Project     string
	ComposeHash string
	GitCommit   string
	Started     time.Time
	Ended       time.Time // zero while running
	Result      RunResult
	AllReady    bool // every service reached ready at some point during the run
	Services    int
}

// NewRun is what StartRun needs.
type NewRun struct {
	Project     string
	ComposeHash string
	GitCommit   string
	Services    int
	Started     time.Time // zero means now
}

// StartRun records the start of a `berth up` and returns its id.
func (s *Store) StartRun(ctx context.Context, r NewRun) (int64, error) {
	if r.Project == "" || r.ComposeHash == "" {
		return 0, errors.New("store: start run: project and compose hash are required")
	}
	started := r.Started
	if started.IsZero() {
		started = time.Now()
	}
	res, err := s.writer.ExecContext(ctx, `INSERT INTO runs(project, compose_hash, git_commit, started_at, result, services)
		VALUES (?, ?, ?, ?, ?, ?)`, r.Project, r.ComposeHash, r.GitCommit, started.UnixNano(), RunRunning, r.Services)
	if err != nil {
		return 0, s.wrap("start run", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, s.wrap("start run", err)
	}
	return id, nil
}

// MarkAllReady records that every service of the run is ready. `berth up` calls
// it as soon as that happens, so the promote gate holds even for a run that is
// still going or that is later interrupted.
func (s *Store) MarkAllReady(ctx context.Context, runID int64) error {
	return s.updateRun(ctx, "mark run ready", `UPDATE runs SET all_ready = 1 WHERE id = ?`, runID)
}

// FinishRun records the end of a run. allReady is OR-ed with what MarkAllReady
// recorded, never cleared.
func (s *Store) FinishRun(ctx context.Context, runID int64, result RunResult, allReady bool) error {
	return s.updateRun(ctx, "finish run",
		`UPDATE runs SET ended_at = ?, result = ?, all_ready = MAX(all_ready, ?) WHERE id = ?`,
		time.Now().UnixNano(), result, allReady, runID)
}

func (s *Store) updateRun(ctx context.Context, op, query string, args ...any) error {
	res, err := s.writer.ExecContext(ctx, query, args...)
	if err != nil {
		return s.wrap(op, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.wrap(op, err)
	}
	if n == 0 {
		return fmt.Errorf("%s %d: %w", op, args[len(args)-1], ErrNotFound)
	}
	return nil
}

const runColumns = `id, project, compose_hash, git_commit, started_at, ended_at, result, all_ready, services`

// LastSuccessfulRun is the latest run of project in which every service became
// ready and which did not fail. Promote's gate compares its compose hash and
// commit with what is about to be promoted. ErrNotFound if there is none.
func (s *Store) LastSuccessfulRun(ctx context.Context, project string) (Run, error) {
	row := s.reader.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs
		WHERE project = ? AND all_ready = 1 AND result <> ? ORDER BY id DESC LIMIT 1`, project, RunFailed)
	r, err := scanRun(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("no successful run of %q: %w", project, ErrNotFound)
	}
	return r, s.wrap("last successful run", err)
}

// GetRun returns one run by id.
func (s *Store) GetRun(ctx context.Context, id int64) (Run, error) {
	r, err := scanRun(s.reader.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	return r, s.wrap("get run", err)
}

// ListRuns returns project's runs, newest first, at most limit (<= 0 means 100).
func (s *Store) ListRuns(ctx context.Context, project string, limit int) ([]Run, error) {
	rows, err := s.reader.QueryContext(ctx, `SELECT `+runColumns+` FROM runs
		WHERE project = ? ORDER BY id DESC LIMIT ?`, project, clampLimit(limit, 100))
	if err != nil {
		return nil, s.wrap("list runs", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, s.wrap("list runs", err)
		}
		out = append(out, r)
	}
	return out, s.wrap("list runs", rows.Err())
}

type scanner interface{ Scan(dest ...any) error }

func scanRun(sc scanner) (Run, error) {
	var r Run
	var started int64
	var ended sql.NullInt64
	err := sc.Scan(&r.ID, &r.Project, &r.ComposeHash, &r.GitCommit, &started, &ended, &r.Result, &r.AllReady, &r.Services)
	if err != nil {
		return Run{}, err
	}
	r.Started = fromNanos(started)
	if ended.Valid {
		r.Ended = fromNanos(ended.Int64)
	}
	return r, nil
}

func fromNanos(n int64) time.Time { return time.Unix(0, n) }

// clampLimit keeps page sizes bounded so no caller can load a whole table.
func clampLimit(limit, def int) int {
	const maxLimit = 10_000
	switch {
	case limit <= 0:
		return def
	case limit > maxLimit:
		return maxLimit
	}
	return limit
}
