package localenv

import (
	"context"
	"sync"
	"time"

	"berth/convert"
	"berth/internal/kube"
)

// LogOptions choose which lines StreamLogs sends.
type LogOptions struct {
	Follow    bool
	Since     time.Duration
	TailLines int64
	Services  []string // empty: all
}

// StreamLogs publishes the log lines of the project's services as EventLog
// events, one stream per service, until they end (or ctx ends when
// following).
func (s *Session) StreamLogs(ctx context.Context, o LogOptions) error {
	containers := map[string]string{} // container name → compose service
	for name := range s.Loaded.Project.Services {
		containers[convert.DNSName(name)] = name
	}
	want := map[string]bool{}
	for _, svc := range o.Services {
		want[svc] = true
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(s.Bundle.Objects))
	for _, w := range s.workloads() {
		svc := serviceOf(w.(convert.Object).GetAnnotations())
		if len(want) > 0 && !want[svc] && !anyGuestWanted(s, svc, want) {
			continue
		}
		wg.Add(1)
		go func(svc string) {
			defer wg.Done()
			ko := kube.LogOptions{Follow: o.Follow, Since: o.Since, TailLines: o.TailLines}
			err := s.Cluster.Client.StreamLogs(ctx, s.Namespace, s.ServiceSelector(svc), ko, func(l kube.LogLine) {
				from := svc
				if c, ok := containers[l.Container]; ok {
					from = c
				}
				if len(want) > 0 && !want[from] {
					return
				}
				s.Pub.Publish(Event{Time: l.Time, Service: from, Kind: EventLog, Pod: l.Pod, Stream: l.Container, Message: l.Line})
			})
			if err != nil && ctx.Err() == nil {
				errs <- err
			}
		}(svc)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func anyGuestWanted(s *Session, owner string, want map[string]bool) bool {
	for _, p := range s.Bundle.Ports {
		if p.Workload == owner && want[p.Service] {
			return true
		}
	}
	for name, svc := range s.Loaded.Project.Services {
		if want[name] && svc.NetworkMode == "service:"+owner {
			return true
		}
	}
	return false
}
