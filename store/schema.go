package store

// migrations is the schema, in order. Times are Unix nanoseconds (INTEGER) so
// they sort and compare without parsing.
var migrations = []migration{
	{1, "runs and events", `
CREATE TABLE runs (
	id           INTEGER PRIMARY KEY,
	project      TEXT    NOT NULL,
	compose_hash TEXT    NOT NULL,
	git_commit   TEXT    NOT NULL DEFAULT '',
	started_at   INTEGER NOT NULL,
	ended_at     INTEGER,
	result       TEXT    NOT NULL DEFAULT 'running',
	all_ready    INTEGER NOT NULL DEFAULT 0,
	services     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_by_project ON runs(project, id);

CREATE TABLE events (
	id      INTEGER PRIMARY KEY,
	run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	time    INTEGER NOT NULL,
	service TEXT    NOT NULL DEFAULT '',
	kind    TEXT    NOT NULL,
	message TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX events_by_run ON events(run_id, id);
CREATE INDEX events_by_service ON events(service, id);
`},
	{2, "log lines with full-text index", `
CREATE TABLE log_lines (
	id        INTEGER PRIMARY KEY,
	project   TEXT    NOT NULL,
	service   TEXT    NOT NULL,
	pod       TEXT    NOT NULL DEFAULT '',
	container TEXT    NOT NULL DEFAULT '',
	time      INTEGER NOT NULL,
	stream    TEXT    NOT NULL DEFAULT 'stdout',
	line      TEXT    NOT NULL
);
-- Paging and retention walk (project, service) by id; ids grow with arrival.
CREATE INDEX log_lines_by_service ON log_lines(project, service, id);

-- External-content FTS5: the text is stored once, in log_lines. There is no
-- insert trigger on purpose: AppendLogs indexes a whole batch with one
-- INSERT ... SELECT, because FTS5 flushes its pending terms at the end of every
-- statement and per-statement flushes made appends twice as slow.
CREATE VIRTUAL TABLE log_fts USING fts5(line, content='log_lines', content_rowid='id');
INSERT INTO log_fts(log_fts, rank) VALUES ('automerge', 8);
CREATE TRIGGER log_lines_ad AFTER DELETE ON log_lines BEGIN
	INSERT INTO log_fts(log_fts, rowid, line) VALUES ('delete', old.id, old.line);
END;
`},
	{3, "promotions audit", `
CREATE TABLE promotions (
	id            INTEGER PRIMARY KEY,
	project       TEXT    NOT NULL,
	user          TEXT    NOT NULL DEFAULT '',
	host          TEXT    NOT NULL DEFAULT '',
	started_at    INTEGER NOT NULL,
	duration_ns   INTEGER NOT NULL DEFAULT 0,
	context       TEXT    NOT NULL,
	namespace     TEXT    NOT NULL DEFAULT '',
	env           TEXT    NOT NULL DEFAULT '',
	git_commit    TEXT    NOT NULL DEFAULT '',
	compose_hash  TEXT    NOT NULL DEFAULT '',
	manifest_hash TEXT    NOT NULL DEFAULT '',
	image_digests TEXT    NOT NULL DEFAULT '{}',
	diff_summary  TEXT    NOT NULL DEFAULT '{}',
	result        TEXT    NOT NULL,
	error         TEXT    NOT NULL DEFAULT '',
	manifests     BLOB
);
CREATE INDEX promotions_by_target ON promotions(project, context, id);
`},
}
