package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Page sizes for log requests.
const (
	defaultLogPage = 500
	maxLogPage     = 2000
	downloadPage   = 2000
	maxDownload    = 1_000_000 // lines per download, so one request cannot run forever
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) handleSnapshot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, s.src.Snapshot())
}

// apiLine is a stored log line as the script receives it.
type apiLine struct {
	ID      int64     `json:"id"`
	Time    time.Time `json:"time"`
	Service string    `json:"service"`
	Pod     string    `json:"pod,omitempty"`
	Stream  string    `json:"stream,omitempty"`
	Message string    `json:"message"`
	Color   int       `json:"c"`
}

type apiPage struct {
	Lines []apiLine `json:"lines"` // oldest first, ready to append
	Older int64     `json:"older"` // cursor for the next older page, 0 when none
}

var errBadQuery = errors.New("bad query")

// parseLogQuery reads service, q, regex, since, until, before and limit.
// Times are RFC 3339 or the browser's datetime-local form (local time).
func parseLogQuery(r *http.Request, limit int) (LogQuery, error) {
	v := r.URL.Query()
	q := LogQuery{Service: v.Get("service"), Text: v.Get("q"), Regex: v.Get("regex") == "1", Limit: limit}
	if q.Regex {
		if _, err := regexp.Compile(q.Text); err != nil {
			return q, fmt.Errorf("%w: regular expression: %w", errBadQuery, err)
		}
	}
	var err error
	if q.Since, err = parseTime(v.Get("since")); err != nil {
		return q, err
	}
	if q.Until, err = parseTime(v.Get("until")); err != nil {
		return q, err
	}
	if b := v.Get("before"); b != "" {
		if q.Before, err = strconv.ParseInt(b, 10, 64); err != nil {
			return q, fmt.Errorf("%w: before: %w", errBadQuery, err)
		}
	}
	if l := v.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 {
			return q, fmt.Errorf("%w: limit %q", errBadQuery, l)
		}
		q.Limit = min(n, maxLogPage)
	}
	return q, nil
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: time %q", errBadQuery, s)
}

func (s *Server) handleLogs(w http.ResponseWriter, r *http.Request) {
	if s.logs == nil {
		writeJSON(w, apiPage{Lines: []apiLine{}})
		return
	}
	q, err := parseLogQuery(r, defaultLogPage)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	page, err := s.logs.SearchLogs(r.Context(), q)
	if err != nil {
		http.Error(w, "log search failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	out := apiPage{Lines: make([]apiLine, 0, len(page.Lines)), Older: page.Older}
	for i := len(page.Lines) - 1; i >= 0; i-- { // newest first → oldest first
		l := page.Lines[i]
		out.Lines = append(out.Lines, apiLine{ID: l.ID, Time: l.Time, Service: l.Service, Pod: l.Pod,
			Stream: l.Stream, Message: l.Line, Color: s.hub.colors.color(l.Service)})
	}
	writeJSON(w, out)
}

// handleDownload streams every matching line as text, newest first (the
// order the store pages in), one "time service | line" per row. Memory
// stays at one page whatever the volume.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	if s.logs == nil {
		http.Error(w, "no log store attached", http.StatusNotFound)
		return
	}
	q, err := parseLogQuery(r, downloadPage)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	name := "berth-logs.txt"
	if q.Service != "" {
		name = "berth-logs-" + strings.Map(safeFileRune, q.Service) + ".txt"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	for written := 0; written < maxDownload; {
		page, err := s.logs.SearchLogs(r.Context(), q)
		if err != nil {
			_, _ = fmt.Fprintf(w, "\n[download interrupted: %v]\n", err)
			return
		}
		for _, l := range page.Lines {
			_, _ = fmt.Fprintf(w, "%s %s | %s\n", l.Time.Format(time.RFC3339Nano), l.Service, l.Line)
		}
		written += len(page.Lines)
		if page.Older == 0 || len(page.Lines) == 0 {
			return
		}
		q.Before = page.Older
	}
}

func safeFileRune(r rune) rune {
	if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
		return r
	}
	return '_'
}

func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	name, action := r.PathValue("name"), r.PathValue("action")
	if _, ok := s.findRow(name); !ok {
		http.Error(w, "no such service", http.StatusNotFound)
		return
	}
	var err error
	switch action {
	case "restart":
		err = s.src.Restart(r.Context(), name)
	case "rebuild":
		err = s.src.Rebuild(r.Context(), name)
	default:
		http.Error(w, "unknown action", http.StatusNotFound)
		return
	}
	if err != nil {
		http.Error(w, fmt.Sprintf("%s %s: %v", action, name, err), http.StatusInternalServerError)
		return
	}
	writeJSON(w, map[string]string{"result": action + " of " + name + " started"})
}
