package web

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"berth/localenv"
)

// fakeSource is a Source for tests: a real localenv.Publisher, a snapshot
// kept up to date from status events, and fixed manifests and graph.
type fakeSource struct {
	pub *localenv.Publisher

	mu       sync.Mutex
	status   map[string]localenv.ServiceStatus
	actions  []string
	logs     *fakeLogs // when set, log events are also stored, like the store does
	edges    []Edge
	manifest map[string]ServiceManifests
}

var testEpoch = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func newFakeSource() *fakeSource {
	f := &fakeSource{pub: localenv.NewPublisher(), status: map[string]localenv.ServiceStatus{}, manifest: map[string]ServiceManifests{}}
	for _, st := range []localenv.ServiceStatus{
		{Service: "api", State: localenv.StateReady, Ready: 2, Desired: 2, Restarts: 1, Image: "demo/api:3f2a1c", BuiltAt: testEpoch, URLs: []string{"http://localhost:8080"}, DependsOn: []string{"db", "cache"}},
		{Service: "worker", State: localenv.StateCrashLoop, Ready: 0, Desired: 1, Restarts: 7, Image: "demo/worker:3f2a1c", BuiltAt: testEpoch, DependsOn: []string{"db"}, Reason: "CrashLoopBackOff: exit 1"},
		{Service: "db", State: localenv.StateReady, Ready: 1, Desired: 1, Image: "postgres:16"},
		{Service: "cache", State: localenv.StateStarting, Ready: 0, Desired: 1, Image: "redis:7"},
		{Service: "web", State: localenv.StateBuilding, Desired: 1, Image: "demo/web:dev", DependsOn: []string{"api"}, URLs: []string{"http://localhost:3000"}},
	} {
		f.status[st.Service] = st
	}
	f.edges = []Edge{
		{From: "api", To: "db", Why: EdgeDependsOn}, {From: "api", To: "cache", Why: EdgeDependsOn},
		{From: "worker", To: "db", Why: EdgeDependsOn}, {From: "web", To: "api", Why: EdgeDependsOn},
		{From: "worker", To: "cache", Why: EdgeNetpol}, {From: "web", To: "cache", Why: EdgeLink},
	}
	f.manifest["api"] = ServiceManifests{
		Envs: []EnvManifest{
			{Env: "local", YAML: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 1\n"},
			{Env: "prod", YAML: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n"},
		},
		Diff: "--- local\n+++ prod\n@@ -5 +5 @@\n-  replicas: 1\n+  replicas: 3\n",
		Report: []ReportEntry{
			{Key: "ports", Status: "mapped", Why: "Service api:8080"},
			{Key: "healthcheck", Status: "approximated", Why: "readiness probe (exec) from test command"},
			{Key: "cap_add", Status: "dropped", Why: "not allowed by the restricted pod security profile"},
		},
	}
	return f
}

func (f *fakeSource) Project() string { return "demo" }

func (f *fakeSource) Subscribe(buffer int) (<-chan localenv.Event, func()) {
	return f.pub.Subscribe(buffer)
}

func (f *fakeSource) Snapshot() []localenv.ServiceStatus {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]localenv.ServiceStatus, 0, len(f.status))
	for _, st := range f.status {
		out = append(out, st)
	}
	return out
}

func (f *fakeSource) Manifests(service string) (ServiceManifests, error) {
	m, ok := f.manifest[service]
	if !ok {
		return ServiceManifests{}, errors.New("not converted yet")
	}
	return m, nil
}

func (f *fakeSource) Graph() []Edge { return f.edges }

func (f *fakeSource) Restart(_ context.Context, service string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, "restart "+service)
	return nil
}

func (f *fakeSource) Rebuild(_ context.Context, service string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, "rebuild "+service)
	return nil
}

func (f *fakeSource) Actions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.actions...)
}

// Publish updates the snapshot for status events, stores log lines, and
// publishes, in the order localenv and the store would see them.
func (f *fakeSource) Publish(e localenv.Event) {
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	e.Project = "demo"
	if e.Kind == localenv.EventStatus && e.Status != nil {
		f.mu.Lock()
		f.status[e.Status.Service] = *e.Status
		f.mu.Unlock()
	}
	if e.Kind == localenv.EventLog && f.logs != nil {
		f.logs.add(e)
	}
	f.pub.Publish(e)
}

// fakeLogs is an in-memory LogSearcher with the store's paging contract.
type fakeLogs struct {
	mu    sync.Mutex
	lines []LogLine // ID i+1 at index i
}

func (l *fakeLogs) add(e localenv.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, LogLine{ID: int64(len(l.lines) + 1), Time: e.Time, Service: e.Service, Pod: e.Pod, Stream: e.Stream, Line: e.Message})
}

func (l *fakeLogs) SearchLogs(_ context.Context, q LogQuery) (LogPage, error) {
	var re *regexp.Regexp
	if q.Regex {
		var err error
		if re, err = regexp.Compile(q.Text); err != nil {
			return LogPage{}, fmt.Errorf("regex: %w", err)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	var page LogPage
	for i := len(l.lines) - 1; i >= 0; i-- {
		ln := l.lines[i]
		if !matches(ln, q, re) {
			continue
		}
		if len(page.Lines) == q.Limit {
			page.Older = page.Lines[len(page.Lines)-1].ID
			break
		}
		page.Lines = append(page.Lines, ln)
	}
	return page, nil
}

func matches(ln LogLine, q LogQuery, re *regexp.Regexp) bool {
	switch {
	case q.Before != 0 && ln.ID >= q.Before,
		q.Service != "" && ln.Service != q.Service,
		!q.Since.IsZero() && ln.Time.Before(q.Since),
		!q.Until.IsZero() && !ln.Time.Before(q.Until):
		return false
	case re != nil:
		return re.MatchString(ln.Line)
	default:
		return strings.Contains(ln.Line, q.Text)
	}
}

// fakeHistory is a fixed History.
type fakeHistory struct{}

func (fakeHistory) Runs(context.Context, string, int) ([]Run, error) {
	return []Run{
		{ID: 2, Project: "demo", Env: "local", Started: testEpoch.Add(time.Hour), Result: "running"},
		{ID: 1, Project: "demo", Env: "local", Started: testEpoch, Finished: testEpoch.Add(42 * time.Second), Result: "ok"},
	}, nil
}

func (fakeHistory) Promotions(context.Context, string, int) ([]Promotion, error) {
	return []Promotion{{ID: 1, Time: testEpoch.Add(2 * time.Hour), Project: "demo", Target: "prod-eu", User: "ana", Result: "applied", Summary: "3 changed, 1 created"}}, nil
}

func (fakeHistory) Events(_ context.Context, _ string, service string, _ int) ([]localenv.Event, error) {
	return []localenv.Event{
		{Time: testEpoch.Add(time.Minute), Service: service, Kind: localenv.EventReady, Message: "2/2 replicas ready"},
		{Time: testEpoch, Service: service, Kind: localenv.EventBuild, Message: "built in 4.2s"},
	}, nil
}
