// Package store keeps berth's history in a SQLite database: runs of `berth up`,
// their events, container log lines (bounded per service, searchable with FTS5)
// and the promotion audit trail.
//
// The database lives in the user's state folder by default (see DefaultPath) and
// runs in WAL mode, so the dashboard can read while `berth up` writes. Inside one
// process every write goes through a single connection (writes in SQLite are
// serialised anyway, and this avoids lock upgrades failing with SQLITE_BUSY);
// reads use a small pool of read-only connections.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors callers can branch on with errors.Is.
var (
	// ErrNotFound is returned when a requested row does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrCorrupt is returned when the file is not a SQLite database or is damaged.
	ErrCorrupt = errors.New("store: database file is corrupt or not a berth database")
	// ErrSchemaTooNew is returned when the database was written by a newer berth.
	ErrSchemaTooNew = errors.New("store: database schema is newer than this berth")
)

// DefaultLogRetention is how many log lines are kept per service by default.
const DefaultLogRetention = 200_000

// busyTimeoutMillis is how long a connection waits for another process's lock.
const busyTimeoutMillis = 10_000

// readerConns bounds the read pool; the dashboard pages, it never streams everything.
const readerConns = 4

// Options tune a Store. The zero value is valid.
type Options struct {
	// LogRetention is the number of log lines kept per (project, service).
	// Zero means DefaultLogRetention.
	LogRetention int
}

// Store is a handle on berth's SQLite database. It is safe for concurrent use.
type Store struct {
	path   string
	writer *sql.DB // exactly one connection: writes are serialised in Go, not by SQLITE_BUSY
	reader *sql.DB // read-only pool

	retention int
	prune     pruneState
}

// DefaultPath returns ${XDG_STATE_HOME:-~/.local/state}/berth/berth.db.
func DefaultPath() (string, error) {
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("store: find home directory: %w", err)
		}
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "berth", "berth.db"), nil
}

// OpenDefault opens (creating if needed) the database at DefaultPath.
func OpenDefault(ctx context.Context, o Options) (*Store, error) {
	path, err := DefaultPath()
	if err != nil {
		return nil, err
	}
	return Open(ctx, path, o)
}

// Open opens the database at path, creating it and its folder if missing, and
// applies any pending schema migrations.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	if err := registerFunctions(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("store: create folder for %s: %w", path, err)
	}
	s := &Store{path: path, retention: o.LogRetention}
	if s.retention <= 0 {
		s.retention = DefaultLogRetention
	}
	s.prune.init()
	if err := s.openPools(); err != nil {
		return nil, err
	}
	if err := s.init(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openPools() error {
	var err error
	// synchronous=NORMAL is durable across application crashes in WAL mode and
	// is what makes batched log appends fast; a power cut may lose the last batch.
	// A 16 MB writer cache and checkpoints every 4,000 pages (~16 MB of WAL)
	// cut append CPU by ~15% (pages rewritten between checkpoints are copied once).
	s.writer, err = sql.Open("sqlite", dsn(s.path, "_txlock=immediate&_journal_mode=WAL&_synchronous=NORMAL&_pragma=cache_size(-16000)&_pragma=wal_autocheckpoint(4000)"))
	if err != nil {
		return fmt.Errorf("store: open %s: %w", s.path, err)
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetConnMaxIdleTime(0)
	s.reader, err = sql.Open("sqlite", dsn(s.path, "_query_only=1"))
	if err != nil {
		s.writer.Close()
		return fmt.Errorf("store: open %s: %w", s.path, err)
	}
	s.reader.SetMaxOpenConns(readerConns)
	return nil
}

// init touches the file through the writer first, so that WAL mode and the
// schema exist before any reader connects.
func (s *Store) init(ctx context.Context) error {
	if err := s.writer.PingContext(ctx); err != nil {
		return s.wrap("open", err)
	}
	if err := migrate(ctx, s.writer, migrations); err != nil {
		return s.wrap("migrate", err)
	}
	if err := s.reader.PingContext(ctx); err != nil {
		return s.wrap("open reader", err)
	}
	return nil
}

func dsn(path, extra string) string {
	u := url.Values{}
	u.Set("_busy_timeout", fmt.Sprint(busyTimeoutMillis))
	u.Set("_foreign_keys", "1")
	return path + "?" + u.Encode() + "&" + extra
}

// Path is the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close releases both connection pools.
func (s *Store) Close() error {
	return errors.Join(s.reader.Close(), s.writer.Close())
}

// wrap names the file and turns SQLite's corruption codes into ErrCorrupt, so
// the command can tell the user to move the file aside instead of printing a
// bare "file is not a database".
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // primary result code
		case sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT:
			return fmt.Errorf("%w: %s (%s; move the file aside to start a fresh history): %w",
				ErrCorrupt, s.path, op, err)
		}
	}
	return fmt.Errorf("store: %s %s: %w", op, s.path, err)
}

var registerOnce = sync.OnceValue(func() error {
	return sqlite.RegisterDeterministicScalarFunction(regexpFuncName, 2, sqlRegexp)
})

func registerFunctions() error {
	if err := registerOnce(); err != nil {
		return fmt.Errorf("store: register SQL functions: %w", err)
	}
	return nil
}
