package web

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"berth/localenv"
	"berth/store"
)

// StoreAdapter lets the dashboard read the store: it is a LogSearcher and
// a History for one project.
type StoreAdapter struct {
	Store   *store.Store
	Project string
	RunID   int64 // the run whose events the service page shows; 0 for the project's newest run
}

var (
	_ LogSearcher = (*StoreAdapter)(nil)
	_ History     = (*StoreAdapter)(nil)
)

// SearchLogs maps the dashboard's query onto the store's. Plain text uses
// the store's full-text index (every word, as a word prefix); regular
// expressions are matched by the store line by line.
func (a *StoreAdapter) SearchLogs(ctx context.Context, q LogQuery) (LogPage, error) {
	sq := store.LogQuery{Project: a.Project, Since: q.Since, Until: q.Until, BeforeID: q.Before, Limit: q.Limit}
	if q.Service != "" {
		sq.Services = []string{q.Service}
	}
	if q.Regex {
		sq.Regex = q.Text
	} else {
		sq.Text = q.Text
	}
	page, err := a.Store.SearchLogs(ctx, sq)
	if err != nil {
		return LogPage{}, fmt.Errorf("searching stored logs: %w", err)
	}
	out := LogPage{Lines: make([]LogLine, 0, len(page.Lines))}
	for i := len(page.Lines) - 1; i >= 0; i-- { // the store pages oldest first; we newest first
		l := page.Lines[i]
		out.Lines = append(out.Lines, LogLine{ID: l.ID, Time: l.Time, Service: l.Service, Pod: l.Pod, Stream: l.Container, Line: l.Line})
	}
	if page.More && len(page.Lines) > 0 {
		out.Older = page.Lines[0].ID
	}
	return out, nil
}

// Runs lists the project's runs, newest first.
func (a *StoreAdapter) Runs(ctx context.Context, project string, limit int) ([]Run, error) {
	runs, err := a.Store.ListRuns(ctx, project, limit)
	if err != nil {
		return nil, fmt.Errorf("listing runs: %w", err)
	}
	out := make([]Run, 0, len(runs))
	for _, r := range runs {
		out = append(out, Run{ID: r.ID, Project: r.Project, Env: "local", Started: r.Started, Finished: r.Ended, Result: string(r.Result)})
	}
	return out, nil
}

// Promotions lists the project's promotions, newest first.
func (a *StoreAdapter) Promotions(ctx context.Context, project string, limit int) ([]Promotion, error) {
	ps, err := a.Store.ListPromotions(ctx, project, limit)
	if err != nil {
		return nil, fmt.Errorf("listing promotions: %w", err)
	}
	out := make([]Promotion, 0, len(ps))
	for _, p := range ps {
		result := string(p.Result)
		if p.Error != "" {
			result += ": " + p.Error
		}
		target := p.Context
		if p.Namespace != "" {
			target += "/" + p.Namespace
		}
		out = append(out, Promotion{ID: p.ID, Time: p.Started, Project: p.Project, Target: target, User: p.User, Result: result, Summary: diffSummary(p.Diff)})
	}
	return out, nil
}

func diffSummary(d store.DiffSummary) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{len(d.Created), "created"}, {len(d.Changed), "changed"}, {len(d.Pruned), "pruned"}, {d.Unchanged, "unchanged"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return strings.Join(parts, ", ")
}

// Events returns the newest events of the run (a.RunID, or the project's
// newest run), newest first.
func (a *StoreAdapter) Events(ctx context.Context, project, service string, limit int) ([]localenv.Event, error) {
	runID := a.RunID
	if runID == 0 {
		runs, err := a.Store.ListRuns(ctx, project, 1)
		if err != nil {
			return nil, fmt.Errorf("finding the current run: %w", err)
		}
		if len(runs) == 0 {
			return nil, nil
		}
		runID = runs[0].ID
	}
	events, err := a.Store.ListEvents(ctx, store.EventFilter{RunID: runID, Service: service, Limit: limit})
	if err != nil {
		return nil, fmt.Errorf("listing events: %w", err)
	}
	out := make([]localenv.Event, 0, len(events))
	for _, e := range events {
		out = append(out, localenv.Event{Time: e.Time, Project: project, Service: e.Service, Kind: localenv.EventKind(e.Kind), Message: e.Message})
	}
	slices.Reverse(out) // the store lists in the order they happened
	return out, nil
}
