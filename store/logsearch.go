package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LogQuery selects log lines. Zero fields do not filter.
type LogQuery struct {
	Project  string
	Services []string // empty means every service of the project
	// Text is matched against the full-text index: every word must appear,
	// each as a word prefix ("conn refused" finds "connection refused").
	// Case-insensitive; punctuation separates words.
	Text string
	// Regex is a Go regular expression (RE2) every returned line must match.
	Regex    string
	Since    time.Time // lines at or after
	Until    time.Time // lines before
	BeforeID int64     // page backwards: lines with a smaller id
	AfterID  int64     // page forwards: lines with a greater id
	Limit    int       // <= 0 means 500; capped at 10,000
}

// LogPage is one page of lines in arrival order (ascending id).
type LogPage struct {
	Lines []LogLine
	// More is true when further lines match in the paging direction: older
	// ones (use Lines[0].ID as BeforeID) unless only AfterID was set, then
	// newer ones (use the last ID as AfterID).
	More bool
}

// SearchLogs returns one page of matching lines. Without AfterID it returns
// the newest matches (before BeforeID if set); with only AfterID, the oldest
// matches after it. Only one page is ever held in memory.
func (s *Store) SearchLogs(ctx context.Context, q LogQuery) (LogPage, error) {
	query, args, err := buildLogQuery(q)
	if err != nil {
		return LogPage{}, err
	}
	limit := clampLimit(q.Limit, 500)
	rows, err := s.reader.QueryContext(ctx, query, append(args, limit+1)...)
	if err != nil {
		return LogPage{}, s.wrap("search logs", err)
	}
	defer rows.Close()
	var page LogPage
	for rows.Next() {
		if len(page.Lines) == limit {
			page.More = true
			break
		}
		var l LogLine
		var t int64
		if err := rows.Scan(&l.ID, &l.Project, &l.Service, &l.Pod, &l.Container, &t, &l.Stream, &l.Line); err != nil {
			return LogPage{}, s.wrap("search logs", err)
		}
		l.Time = fromNanos(t)
		page.Lines = append(page.Lines, l)
	}
	if err := rows.Err(); err != nil {
		return LogPage{}, s.wrap("search logs", err)
	}
	if !forwards(q) {
		reverse(page.Lines)
	}
	return page, nil
}

// Tail returns the last n lines of a service (every service of the project
// when service is empty), oldest first, as `berth logs --tail n` prints them.
func (s *Store) Tail(ctx context.Context, project, service string, n int) ([]LogLine, error) {
	q := LogQuery{Project: project, Limit: n}
	if service != "" {
		q.Services = []string{service}
	}
	page, err := s.SearchLogs(ctx, q)
	return page.Lines, err
}

func forwards(q LogQuery) bool { return q.AfterID > 0 && q.BeforeID == 0 }

// buildLogQuery returns SQL ending in "LIMIT ?" and its arguments minus the limit.
// With text, the FTS table drives the loop (CROSS JOIN fixes the order) so
// SQLite walks its matches by rowid and stops at the limit instead of
// collecting every match first.
func buildLogQuery(q LogQuery) (string, []any, error) {
	var b strings.Builder
	var conds []string
	var args []any
	idCol := "l.id"
	b.WriteString(`SELECT l.id, l.project, l.service, l.pod, l.container, l.time, l.stream, l.line FROM `)
	if match := ftsQuery(q.Text); match != "" {
		b.WriteString(`log_fts f CROSS JOIN log_lines l ON l.id = f.rowid`)
		conds, args = append(conds, "log_fts MATCH ?"), append(args, match)
		idCol = "f.rowid"
	} else {
		b.WriteString(`log_lines l`)
	}
	// One service: walk the (project, service, id) index. Otherwise the unary
	// "+" keeps SQLite off that index, which would need a sort of every line of
	// the project; walking ids backwards stops as soon as the page is full.
	col := "+l."
	if len(q.Services) == 1 {
		col = "l."
	}
	if q.Project != "" {
		conds, args = append(conds, col+"project = ?"), append(args, q.Project)
	}
	if len(q.Services) > 0 {
		conds = append(conds, col+"service IN ("+strings.TrimSuffix(strings.Repeat("?,", len(q.Services)), ",")+")")
		for _, svc := range q.Services {
			args = append(args, svc)
		}
	}
	if !q.Since.IsZero() {
		conds, args = append(conds, "l.time >= ?"), append(args, q.Since.UnixNano())
	}
	if !q.Until.IsZero() {
		conds, args = append(conds, "l.time < ?"), append(args, q.Until.UnixNano())
	}
	if q.BeforeID > 0 {
		conds, args = append(conds, idCol+" < ?"), append(args, q.BeforeID)
	}
	if q.AfterID > 0 {
		conds, args = append(conds, idCol+" > ?"), append(args, q.AfterID)
	}
	if q.Regex != "" {
		if _, err := compileRegexp(q.Regex); err != nil {
			return "", nil, fmt.Errorf("store: search logs: bad regular expression %q: %w", q.Regex, err)
		}
		conds, args = append(conds, regexpFuncName+"(?, l.line)"), append(args, q.Regex)
	}
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	if forwards(q) {
		b.WriteString(" ORDER BY " + idCol + " ASC LIMIT ?")
	} else {
		b.WriteString(" ORDER BY " + idCol + " DESC LIMIT ?")
	}
	return b.String(), args, nil
}

// ftsQuery turns what a user typed into a safe FTS5 query: each word quoted
// (so FTS syntax characters in log text cannot make the query invalid) and
// made a prefix, all words required. Empty when there is nothing to match.
func ftsQuery(text string) string {
	words := strings.Fields(text)
	terms := make([]string, 0, len(words))
	for _, w := range words {
		if !hasWordChar(w) {
			continue // pure punctuation indexes to nothing; as a phrase it would match nothing
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(terms, " ")
}

func hasWordChar(w string) bool {
	for _, r := range w {
		if r == '_' || r > 127 || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return true
		}
	}
	return false
}
