package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenSetsWALAndForeignKeys(t *testing.T) {
	t.Parallel()
	s := openTest(t, Options{})
	var mode string
	if err := s.writer.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	for _, db := range []struct {
		name string
		q    querier
	}{{"writer", s.writer}, {"reader", s.reader}} {
		var fk, busy int
		if err := db.q.QueryRowContext(context.Background(), `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if err := db.q.QueryRowContext(context.Background(), `PRAGMA busy_timeout`).Scan(&busy); err != nil {
			t.Fatal(err)
		}
		if fk != 1 || busy != busyTimeoutMillis {
			t.Errorf("%s: foreign_keys=%d busy_timeout=%d, want 1 and %d", db.name, fk, busy, busyTimeoutMillis)
		}
	}
}

func TestDefaultPathFollowsXDG(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	got, err := DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "berth", "berth.db"); got != want {
		t.Errorf("DefaultPath = %q, want %q", got, want)
	}
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("HOME", dir)
	got, err = DefaultPath()
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, ".local", "state", "berth", "berth.db"); got != want {
		t.Errorf("DefaultPath without XDG = %q, want %q", got, want)
	}
	s, err := OpenDefault(context.Background(), Options{})
	if err != nil {
		t.Fatalf("OpenDefault: %v", err)
	}
	defer s.Close()
	if _, err := os.Stat(got); err != nil {
		t.Errorf("database file not created at default path: %v", err)
	}
}

func TestGarbageFileIsAClearError(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "berth.db")
	garbage := []byte(strings.Repeat("this is not a database, it is a shopping list\n", 200))
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(context.Background(), path, Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open of a garbage file succeeded")
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("error %v is not ErrCorrupt", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
	t.Logf("garbage file: %v", err)
}

// A real database whose pages were overwritten: the header is fine, the
// tables are not. Whatever fails must fail with an error, not a panic.
func TestDamagedPagesAreAnErrorNotAPanic(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "berth.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	appendAll(t, s, makeLines("p", "web", "hello", fixedTime, 0, 5000), 500)
	if _, err := s.writer.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	s.Close()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := 4096; i < len(data); i++ { // keep page 1 (header + schema), trash the rest
		data[i] = byte(i * 7)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("Open error %v is not ErrCorrupt", err)
		}
		t.Logf("damaged pages: Open: %v", err)
		return
	}
	defer s.Close()
	_, err = s.SearchLogs(ctx, LogQuery{Project: "p", Text: "hello"})
	if err == nil {
		_, err = s.Tail(ctx, "p", "web", 10)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("reading damaged pages: error %v, want ErrCorrupt", err)
	}
	t.Logf("damaged pages: %v", err)
}
