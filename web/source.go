// Package web serves berth's live dashboard: an overview of every service,
// a page per service (live logs, events, manifests, diff, report), the
// dependency topology and the run history. It never talks to the cluster:
// everything comes from a Source (implemented by localenv) and, for the
// past, from a LogSearcher and a History (implemented by the store through
// small adapters).
package web

import (
	"context"
	"time"

	"berth/localenv"
)

// Source is what the dashboard needs from a running environment.
// localenv implements it; tests use a fake.
type Source interface {
	// Project names the compose project shown in the page title.
	Project() string
	// Subscribe returns a channel of live events and a function that ends
	// the subscription (localenv.Publisher.Subscribe has this shape).
	Subscribe(buffer int) (<-chan localenv.Event, func())
	// Snapshot returns the current status of every service.
	Snapshot() []localenv.ServiceStatus
	// Manifests returns the rendered manifests of one service for every
	// environment, the local↔prod diff and the conversion report.
	// It must never contain secret values.
	Manifests(service string) (ServiceManifests, error)
	// Graph returns the dependency edges between services.
	Graph() []Edge
	// Restart restarts the service's pods.
	Restart(ctx context.Context, service string) error
	// Rebuild rebuilds the service's image, loads it and rolls it out.
	Rebuild(ctx context.Context, service string) error
}

// ServiceManifests is what the service page shows about the conversion.
type ServiceManifests struct {
	Envs   []EnvManifest // in display order, e.g. local then prod
	Diff   string        // unified diff local↔prod, empty when identical
	Report []ReportEntry // one entry per compose key of the service
}

// EnvManifest is the YAML of one service in one environment.
type EnvManifest struct {
	Env  string
	YAML string
}

// ReportEntry is one line of the conversion report.
type ReportEntry struct {
	Key    string // compose key, e.g. "ports", "healthcheck"
	Status string // mapped, approximated or dropped
	Why    string
}

// EdgeKind says why one service points at another.
type EdgeKind string

// Edge kinds drawn on the topology page.
const (
	EdgeDependsOn EdgeKind = "depends_on"
	EdgeLink      EdgeKind = "link"
	EdgeNetpol    EdgeKind = "netpol"
)

// Edge says From needs To (From depends on, links to, or may call To).
type Edge struct {
	From string
	To   string
	Why  EdgeKind
}

// LogQuery asks for a page of stored log lines, newest first.
type LogQuery struct {
	Service string    // "" for all services
	Text    string    // substring (or regular expression when Regex) to match; "" for all
	Regex   bool      // Text is a regular expression (RE2 syntax)
	Since   time.Time // zero for no lower bound
	Until   time.Time // zero for no upper bound (exclusive)
	Before  int64     // only lines with ID < Before; 0 for no cursor
	Limit   int       // page size
}

// LogLine is one stored log line.
type LogLine struct {
	ID      int64
	Time    time.Time
	Service string
	Pod     string
	Stream  string
	Line    string
}

// LogPage is a page of lines, newest first, and the cursor for the next
// older page (0 when there is none).
type LogPage struct {
	Lines []LogLine
	Older int64
}

// LogSearcher pages through stored log lines. The store satisfies it
// through an adapter.
type LogSearcher interface {
	SearchLogs(ctx context.Context, q LogQuery) (LogPage, error)
}

// Run is one past or current `berth up`.
type Run struct {
	ID       int64
	Project  string
	Env      string
	Started  time.Time
	Finished time.Time // zero while running
	Result   string
}

// Promotion is one recorded `berth promote`.
type Promotion struct {
	ID      int64
	Time    time.Time
	Project string
	Target  string // kube context or cluster name
	User    string
	Result  string
	Summary string
}

// History reads the past from the store.
type History interface {
	Runs(ctx context.Context, project string, limit int) ([]Run, error)
	Promotions(ctx context.Context, project string, limit int) ([]Promotion, error)
	// Events returns the newest events of a service (all services when
	// service is ""), newest first, excluding log lines.
	Events(ctx context.Context, project, service string, limit int) ([]localenv.Event, error)
}
