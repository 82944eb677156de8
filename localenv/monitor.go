package localenv

import (
	"context"
	"reflect"
	"sort"
	"sync"
	"time"
)

// snapshots keeps the latest status of each service for the dashboard, and
// what the cluster cannot tell: which services `up` is still building or
// loading, and when each image was built. Monitor (reading the cluster) and
// the pipeline (building, applying) both write it, from different goroutines.
type snapshots struct {
	mu      sync.Mutex
	svc     map[string]ServiceStatus
	phase   map[string]ServiceStatus // service → building/loading/build failed, until applied
	builtAt map[string]time.Time     // service → when its image was last built
	pending bool                     // `up` has not applied everything yet
}

func (s *snapshots) init() {
	if s.svc == nil {
		s.svc, s.phase, s.builtAt = map[string]ServiceStatus{}, map[string]ServiceStatus{}, map[string]time.Time{}
	}
}

// set stores what Monitor read from the cluster, overlaid with what only
// the pipeline knows, and returns it with whether it changed.
func (s *snapshots) set(st ServiceStatus) (ServiceStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	if ph, ok := s.phase[st.Service]; ok {
		// the cluster still runs the old version (or nothing): say what `up` does
		st.State, st.Reason = ph.State, ph.Reason
	} else if s.pending && st.State == StateStopped {
		st.State, st.Reason = StateStarting, "waiting to be applied"
	}
	st.BuiltAt = s.builtAt[st.Service]
	if old, ok := s.svc[st.Service]; ok && reflect.DeepEqual(old, st) {
		return st, false
	}
	s.svc[st.Service] = st
	return st, true
}

// update applies a state change the pipeline saw to the last known status
// of a service (base when none is known yet), so an event that knows only
// the state never blanks the image, replicas or URLs a row already shows.
// A building or loading state (phase) holds until the service is applied.
func (s *snapshots) update(base ServiceStatus, state ServiceState, reason string, phase bool) ServiceStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	st, ok := s.svc[base.Service]
	if !ok {
		st = base
	}
	st.State, st.Reason, st.BuiltAt = state, reason, s.builtAt[base.Service]
	if phase {
		s.phase[base.Service] = st
	} else {
		delete(s.phase, base.Service)
	}
	s.svc[base.Service] = st
	return st
}

// applied ends every phase: the cluster's view is the truth again.
func (s *snapshots) applied() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	clear(s.phase)
	s.pending = false
}

func (s *snapshots) built(service string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	s.builtAt[service] = at
}

func (s *snapshots) list() []ServiceStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]ServiceStatus, 0, len(s.svc))
	for _, st := range s.svc {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	return out
}

// Snapshot returns the latest known status of every service.
func (s *Session) Snapshot() []ServiceStatus {
	return s.snap.list()
}

// RefreshStatus reads every service's status from the cluster once, keeps
// it for Snapshot and publishes an EventStatus for each one that changed.
// The dashboard calls it before its URL is printed, so its first page knows
// every service instead of waiting for Monitor's first round.
func (s *Session) RefreshStatus(ctx context.Context) error {
	sts, err := s.Status(ctx)
	if err != nil {
		return err
	}
	for _, st := range sts {
		if cur, changed := s.snap.set(st); changed {
			s.Pub.Publish(Event{Service: st.Service, Kind: EventStatus, Status: &cur})
		}
	}
	return nil
}

// Monitor calls RefreshStatus every interval, until ctx ends.
func (s *Session) Monitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		_ = s.RefreshStatus(ctx) // a failed read is retried at the next tick
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
