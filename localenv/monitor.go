package localenv

import (
	"context"
	"reflect"
	"sort"
	"sync"
	"time"
)

// snapshots keeps the latest status of each service for the dashboard.
type snapshots struct {
	mu  sync.Mutex
	svc map[string]ServiceStatus
}

func (s *snapshots) set(st ServiceStatus) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.svc == nil {
		s.svc = map[string]ServiceStatus{}
	}
	if old, ok := s.svc[st.Service]; ok && reflect.DeepEqual(old, st) {
		return false
	}
	s.svc[st.Service] = st
	return true
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

// Monitor reads every service's status from the cluster every interval and
// publishes an EventStatus for each one that changed, until ctx ends.
func (s *Session) Monitor(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		sts, err := s.Status(ctx)
		if err == nil {
			for _, st := range sts {
				st.BuiltAt = s.builtAt[st.Service]
				if s.snap.set(st) {
					cp := st
					s.Pub.Publish(Event{Service: st.Service, Kind: EventStatus, Status: &cp})
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
