package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"
)

// LogLine is one line a container wrote.
type LogLine struct {
	ID        int64 // set by the store; grows with arrival, used for paging
	Project   string
	Service   string
	Pod       string
	Container string
	Time      time.Time
	Stream    string // stdout or stderr
	Line      string
}

// AppendLogs stores a batch of lines in one transaction, then enforces the
// per-service retention for services that have grown enough since their last
// prune. Callers should batch (hundreds to thousands of lines): one transaction
// per line would be far slower.
func (s *Store) AppendLogs(ctx context.Context, lines []LogLine) error {
	if len(lines) == 0 {
		return nil
	}
	if err := inTx(ctx, s.writer, func(tx *sql.Tx) error { return insertLogs(ctx, tx, lines) }); err != nil {
		// The transaction rolled back the rows and their index entries together.
		return s.wrap("append logs", err)
	}
	// The lines are committed; a failed prune below is reported but only
	// delays retention until the service's next prune.
	for _, k := range s.prune.add(lines, s.retention) {
		if err := s.pruneService(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// logsPerInsert rows go in one INSERT statement: fewer round trips through
// database/sql per line, well under SQLite's bound-parameter limit.
const logsPerInsert = 64

const logColumns = 7

// insertLogs inserts the rows, then indexes them all in one statement (see the
// schema). Ids only grow and the writer is alone, so "id > the max before" is
// exactly this batch.
func insertLogs(ctx context.Context, tx *sql.Tx, lines []LogLine) error {
	var before int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM log_lines`).Scan(&before); err != nil {
		return err
	}
	if err := insertLogRows(ctx, tx, lines); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO log_fts(rowid, line) SELECT id, line FROM log_lines WHERE id > ?`, before)
	return err
}

func insertLogRows(ctx context.Context, tx *sql.Tx, lines []LogLine) error {
	full, err := tx.PrepareContext(ctx, insertLogsSQL(logsPerInsert))
	if err != nil {
		return err
	}
	defer full.Close()
	args := make([]any, 0, logsPerInsert*logColumns)
	for start := 0; start < len(lines); start += logsPerInsert {
		chunk := lines[start:min(start+logsPerInsert, len(lines))]
		args = args[:0]
		now := time.Now()
		for _, l := range chunk {
			t := l.Time
			if t.IsZero() {
				t = now
			}
			stream := l.Stream
			if stream == "" {
				stream = "stdout"
			}
			args = append(args, l.Project, l.Service, l.Pod, l.Container, t.UnixNano(), stream, l.Line)
		}
		if len(chunk) == logsPerInsert {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, insertLogsSQL(len(chunk)), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func insertLogsSQL(rows int) string {
	const head = `INSERT INTO log_lines(project, service, pod, container, time, stream, line) VALUES `
	const tuple = `(?,?,?,?,?,?,?)`
	b := make([]byte, 0, len(head)+rows*(len(tuple)+1))
	b = append(b, head...)
	for i := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, tuple...)
	}
	return string(b)
}

// serviceKey names one retention bucket.
type serviceKey struct{ project, service string }

// pruneState counts lines appended per service since its last prune, so
// retention costs one indexed lookup and one range delete every slack lines
// instead of a count on every batch. Rows per service stay under retention+slack.
type pruneState struct {
	mu      sync.Mutex
	pending map[serviceKey]int
}

func (p *pruneState) init() { p.pending = map[serviceKey]int{} }

// pruneSlack is how far past retention a service may grow before it is pruned.
func pruneSlack(retention int) int { return max(retention/10, 1) }

// add counts lines and returns the services now due for pruning. A service not
// seen since Open is due at once, so a lowered retention applies immediately.
func (p *pruneState) add(lines []LogLine, retention int) []serviceKey {
	p.mu.Lock()
	defer p.mu.Unlock()
	slack := pruneSlack(retention)
	var due []serviceKey
	for _, l := range lines {
		k := serviceKey{l.Project, l.Service}
		n, seen := p.pending[k]
		if !seen {
			n = slack
		}
		p.pending[k] = n + 1
	}
	for k, n := range p.pending {
		if n >= slack {
			due = append(due, k)
			p.pending[k] = 0
		}
	}
	return due
}

// pruneService deletes all but the newest retention lines of one service. The
// boundary id comes from the (project, service, id) index, then one range
// delete removes everything at or below it (the FTS rows go by trigger).
func (s *Store) pruneService(ctx context.Context, k serviceKey) error {
	var boundary int64
	err := s.writer.QueryRowContext(ctx, `SELECT id FROM log_lines WHERE project = ? AND service = ?
		ORDER BY id DESC LIMIT 1 OFFSET ?`, k.project, k.service, s.retention).Scan(&boundary)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return s.wrap("find log retention boundary", err)
	}
	_, err = s.writer.ExecContext(ctx, `DELETE FROM log_lines WHERE project = ? AND service = ? AND id <= ?`,
		k.project, k.service, boundary)
	if err != nil {
		return s.wrap(fmt.Sprintf("prune logs of %s/%s", k.project, k.service), err)
	}
	return nil
}

// PruneLogs enforces retention on every service now, e.g. after lowering it.
func (s *Store) PruneLogs(ctx context.Context) error {
	rows, err := s.reader.QueryContext(ctx, `SELECT DISTINCT project, service FROM log_lines`)
	if err != nil {
		return s.wrap("list log services", err)
	}
	var keys []serviceKey
	for rows.Next() {
		var k serviceKey
		if err := rows.Scan(&k.project, &k.service); err != nil {
			rows.Close()
			return s.wrap("list log services", err)
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return s.wrap("list log services", err)
	}
	for _, k := range keys {
		if err := s.pruneService(ctx, k); err != nil {
			return err
		}
	}
	return nil
}

// LastLogTime returns the time of the newest stored line of one container of
// a service (zero when none is stored), so a log stream that replays a
// container's tail can skip the lines already recorded.
func (s *Store) LastLogTime(ctx context.Context, project, service, pod, container string) (time.Time, error) {
	var n sql.NullInt64
	err := s.reader.QueryRowContext(ctx, `SELECT MAX(time) FROM log_lines
		WHERE project = ? AND service = ? AND pod = ? AND container = ?`, project, service, pod, container).Scan(&n)
	if err != nil {
		return time.Time{}, s.wrap("newest stored log line", err)
	}
	if !n.Valid {
		return time.Time{}, nil
	}
	return fromNanos(n.Int64), nil
}
