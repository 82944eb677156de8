package web

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/a-h/templ"

	"berth/localenv"
)

// eventsShown is how many past events the service page lists.
const eventsShown = 50

func (s *Server) page(title, nav, kind, service string) PageView {
	return PageView{Title: title, Project: s.src.Project(), Nav: nav, Page: kind, Service: service}
}

func (s *Server) rows() []ServiceRow {
	return serviceRows(s.src.Snapshot(), s.hub.LastEvent, s.hub.colors.color)
}

func render(w http.ResponseWriter, r *http.Request, c templ.Component) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := c.Render(r.Context(), w); err != nil {
		http.Error(w, "rendering page failed", http.StatusInternalServerError)
	}
}

func (s *Server) handleOverview(w http.ResponseWriter, r *http.Request) {
	render(w, r, Overview(s.page("Overview", "overview", "overview", ""), s.rows()))
}

func (s *Server) handleRows(w http.ResponseWriter, r *http.Request) {
	render(w, r, OverviewRows(s.rows()))
}

func (s *Server) handleMergedLogs(w http.ResponseWriter, r *http.Request) {
	render(w, r, MergedLogs(s.page("Logs", "logs", "logs", "")))
}

func (s *Server) handleTopology(w http.ResponseWriter, r *http.Request) {
	v := layoutTopology(s.src.Snapshot(), s.src.Graph())
	v.Page = s.page("Topology", "topology", "topology", "")
	render(w, r, Topology(v))
}

func (s *Server) handleService(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	row, ok := s.findRow(name)
	if !ok {
		http.Error(w, "no such service", http.StatusNotFound)
		return
	}
	v := ServiceView{Page: s.page(name, "", "service", name), Row: row}
	if m, err := s.src.Manifests(name); err != nil {
		v.Notice = fmt.Sprintf("Manifests unavailable: %v", err)
	} else {
		v.Manifests, v.Diff, v.Report = m.Envs, diffLines(m.Diff), m.Report
	}
	v.Events = s.serviceEvents(r.Context(), name, &v)
	render(w, r, ServicePage(v))
}

func (s *Server) findRow(name string) (ServiceRow, bool) {
	for _, row := range s.rows() {
		if row.Name == name {
			return row, true
		}
	}
	return ServiceRow{}, false
}

// serviceEvents reads past events from the store, or falls back to the
// last event the hub saw when there is no store.
func (s *Server) serviceEvents(ctx context.Context, name string, v *ServiceView) []EventRow {
	if s.hist == nil {
		if e, ok := s.hub.LastEvent(name); ok {
			return eventRows([]localenv.Event{e})
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	events, err := s.hist.Events(ctx, s.src.Project(), name, eventsShown)
	if err != nil {
		v.Notice = fmt.Sprintf("Events unavailable: %v", err)
		return nil
	}
	return eventRows(events)
}

func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) {
	v := HistoryView{Page: s.page("History", "history", "history", "")}
	if s.hist == nil {
		v.Notice = "No history store is attached to this dashboard."
		render(w, r, HistoryPage(v))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	runs, err := s.hist.Runs(ctx, s.src.Project(), 100)
	if err != nil {
		v.Notice = fmt.Sprintf("Runs unavailable: %v", err)
	}
	proms, err := s.hist.Promotions(ctx, s.src.Project(), 100)
	if err != nil {
		v.Notice = fmt.Sprintf("Promotions unavailable: %v", err)
	}
	v.Runs, v.Promotions = runRows(runs), promotionRows(proms)
	render(w, r, HistoryPage(v))
}
