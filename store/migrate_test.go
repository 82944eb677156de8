package store

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

var fixedTime = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func latestVersion() int { return migrations[len(migrations)-1].version }

func TestMigrationVersionsAreSequential(t *testing.T) {
	t.Parallel()
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migration %d (%s) has version %d, want %d", i, m.name, m.version, i+1)
		}
	}
}

func TestReopenUpToDateIsNoOp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "berth.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := schemaRows(t, s.reader)
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after := schemaRows(t, s.reader)
	if len(before) != latestVersion() {
		t.Fatalf("schema_version has %d rows, want %d", len(before), latestVersion())
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("schema_version row %d changed on reopen: %v -> %v", i, before[i], after[i])
		}
	}
}

func TestMigrateFromOlderVersionKeepsData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "berth.db")
	// An "old berth" that only knew migration 1 wrote a run.
	old, err := sql.Open("sqlite", dsn(path, "_txlock=immediate&_journal_mode=WAL"))
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, old, migrations[:1]); err != nil {
		t.Fatalf("migrate to v1: %v", err)
	}
	if _, err := old.Exec(`INSERT INTO runs(project, compose_hash, started_at, all_ready, result) VALUES ('shop', 'h1', 1, 1, 'succeeded')`); err != nil {
		t.Fatal(err)
	}
	if v, _ := schemaVersion(ctx, old); v != 1 {
		t.Fatalf("old database at version %d, want 1", v)
	}
	old.Close()

	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("Open migrates: %v", err)
	}
	defer s.Close()
	if v, _ := schemaVersion(ctx, s.reader); v != latestVersion() {
		t.Errorf("version after Open = %d, want %d", v, latestVersion())
	}
	r, err := s.LastSuccessfulRun(ctx, "shop")
	if err != nil || r.ComposeHash != "h1" {
		t.Errorf("run from v1 after migration: %+v, %v", r, err)
	}
	if err := s.AppendLogs(ctx, makeLines("shop", "web", "x", fixedTime, 0, 3)); err != nil {
		t.Errorf("tables from later migrations unusable: %v", err)
	}
}

func TestFailedMigrationRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite", dsn(filepath.Join(t.TempDir(), "berth.db"), "_txlock=immediate"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	steps := []migration{
		{1, "ok", `CREATE TABLE a (x INTEGER)`},
		{2, "half", `CREATE TABLE b (x INTEGER); THIS IS NOT SQL`},
	}
	if err := migrate(ctx, db, steps); err == nil {
		t.Fatal("broken migration applied without error")
	}
	if v, _ := schemaVersion(ctx, db); v != 1 {
		t.Errorf("version = %d, want 1", v)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'b'`).Scan(&n)
	if n != 0 {
		t.Error("table b from the failed migration exists: migration was not atomic")
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "berth.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.writer.Exec(`INSERT INTO schema_version VALUES (999, 'future', 0)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, path, Options{})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("Open of a newer schema: %v, want ErrSchemaTooNew", err)
	}
}

type schemaRow struct {
	version int
	name    string
	applied int64
}

func schemaRows(t *testing.T, db *sql.DB) []schemaRow {
	t.Helper()
	rows, err := db.Query(`SELECT version, name, applied_at FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []schemaRow
	for rows.Next() {
		var r schemaRow
		if err := rows.Scan(&r.version, &r.name, &r.applied); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}
