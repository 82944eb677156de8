package web

import (
	"sort"
	"strings"
	"time"

	"berth/localenv"
)

// The view types below are what templ components render. They hold
// display-ready strings so the components stay free of logic and the
// golden tests can build them by hand.

// PageView is what every page shares.
type PageView struct {
	Title   string
	Project string
	Nav     string // "overview", "logs", "topology", "history" or "" for a service
	Page    string // data-page attribute the script reads
	Service string // data-service attribute: the service whose logs to follow
}

// ServiceRow is one service on the overview.
type ServiceRow struct {
	Name      string
	State     string
	Reason    string
	Ready     int32
	Desired   int32
	Restarts  int32
	Image     string
	BuiltAt   string
	URLs      []string
	LastEvent string
	LastTime  string
	WaitsOn   []string
	Color     int
}

// EventRow is one event in a table.
type EventRow struct {
	Time    string
	Service string
	Kind    string
	Message string
}

// DiffLine is one line of a diff with the class that colours it.
type DiffLine struct {
	Class string // "add", "del", "hunk" or ""
	Text  string
}

// ServiceView is the service page.
type ServiceView struct {
	Page      PageView
	Row       ServiceRow
	Events    []EventRow
	Manifests []EnvManifest
	Diff      []DiffLine
	Report    []ReportEntry
	Notice    string // why something is missing, e.g. no store
}

// HistoryView is the history page.
type HistoryView struct {
	Page       PageView
	Runs       []RunRow
	Promotions []PromotionRow
	Notice     string
}

// RunRow is one run, formatted.
type RunRow struct {
	ID       int64
	Env      string
	Started  string
	Duration string
	Result   string
}

// PromotionRow is one promotion, formatted.
type PromotionRow struct {
	ID      int64
	Time    string
	Target  string
	User    string
	Result  string
	Summary string
}

const timeLayout = "2006-01-02 15:04:05"

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(timeLayout)
}

// serviceRows turns a snapshot into overview rows, sorted by name, with
// the last event the hub saw for each service and its colour.
func serviceRows(snap []localenv.ServiceStatus, last func(string) (localenv.Event, bool), color func(string) int) []ServiceRow {
	rows := make([]ServiceRow, 0, len(snap))
	for _, st := range snap {
		r := statusRow(st, color(st.Service))
		if e, ok := last(st.Service); ok {
			r.LastEvent = eventSummary(e)
			r.LastTime = formatTime(e.Time)
		}
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Name < rows[j].Name })
	return rows
}

func statusRow(st localenv.ServiceStatus, color int) ServiceRow {
	state := string(st.State)
	if state == "" {
		state = "unknown"
	}
	return ServiceRow{
		Name: st.Service, State: state, Reason: st.Reason,
		Ready: st.Ready, Desired: st.Desired, Restarts: st.Restarts,
		Image: st.Image, BuiltAt: formatTime(st.BuiltAt),
		URLs: st.URLs, WaitsOn: st.DependsOn, Color: color,
	}
}

func eventSummary(e localenv.Event) string {
	if e.Message == "" {
		return string(e.Kind)
	}
	return string(e.Kind) + ": " + e.Message
}

func eventRows(events []localenv.Event) []EventRow {
	rows := make([]EventRow, 0, len(events))
	for _, e := range events {
		rows = append(rows, EventRow{Time: formatTime(e.Time), Service: e.Service, Kind: string(e.Kind), Message: e.Message})
	}
	return rows
}

// diffLines classifies each line of a unified diff for colouring.
func diffLines(diff string) []DiffLine {
	if diff == "" {
		return nil
	}
	lines := strings.Split(strings.TrimSuffix(diff, "\n"), "\n")
	out := make([]DiffLine, 0, len(lines))
	for _, l := range lines {
		class := ""
		switch {
		case strings.HasPrefix(l, "+++"), strings.HasPrefix(l, "---"):
			class = "file"
		case strings.HasPrefix(l, "+"):
			class = "add"
		case strings.HasPrefix(l, "-"):
			class = "del"
		case strings.HasPrefix(l, "@@"):
			class = "hunk"
		}
		out = append(out, DiffLine{Class: class, Text: l})
	}
	return out
}

func runRows(runs []Run) []RunRow {
	out := make([]RunRow, 0, len(runs))
	for _, r := range runs {
		d := "running"
		if !r.Finished.IsZero() {
			d = r.Finished.Sub(r.Started).Round(time.Second).String()
		}
		out = append(out, RunRow{ID: r.ID, Env: r.Env, Started: formatTime(r.Started), Duration: d, Result: r.Result})
	}
	return out
}

func promotionRows(ps []Promotion) []PromotionRow {
	out := make([]PromotionRow, 0, len(ps))
	for _, p := range ps {
		out = append(out, PromotionRow{ID: p.ID, Time: formatTime(p.Time), Target: p.Target, User: p.User, Result: p.Result, Summary: p.Summary})
	}
	return out
}
