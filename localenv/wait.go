package localenv

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"berth/convert"
	"berth/internal/kube"

	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// workloads returns the workload objects of the bundle.
func (s *Session) workloads() []runtime.Object {
	var out []runtime.Object
	_, b := s.View()
	for _, o := range b.Objects {
		if convert.IsWorkloadKind(convert.Kind(o)) {
			out = append(out, o)
		}
	}
	return out
}

// serviceOfRef maps a workload reference back to its compose service.
func (s *Session) serviceOfRef(ref kube.ObjectRef) string {
	for _, o := range s.Bundle.Objects {
		if o.GetName() == ref.Name && convert.Kind(o) == ref.Kind {
			return serviceOf(o.GetAnnotations())
		}
	}
	return ref.Name
}

// onStatus turns kstatus readings into per-service progress events.
func (s *Session) onStatus(st kube.ObjectStatus) {
	svc := s.serviceOfRef(st.Ref)
	state := StateStarting
	switch st.Status {
	case status.CurrentStatus:
		state = StateReady
	case status.FailedStatus:
		state = StateFailing
	}
	cur := s.snap.update(s.baseStatus(svc), state, st.Message, false)
	s.Pub.Publish(Event{Service: svc, Kind: EventStatus, Message: st.Message, Status: &cur})
	if state == StateReady {
		s.Pub.Publish(Event{Service: svc, Kind: EventReady, Message: "ready"})
	}
}

// waitReady waits until every workload is ready; when time runs out it names
// each service that is not, with the reason and its last log lines.
func (s *Session) waitReady(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, s.Opts.Timeout)
	defer cancel()
	err := s.Cluster.Client.Wait(wctx, s.workloads(), s.onStatus)
	if err == nil {
		return nil
	}
	var nre *kube.NotReadyError
	if !errors.As(err, &nre) || ctx.Err() != nil {
		return err
	}
	return s.explainNotReady(ctx, nre)
}

func (s *Session) explainNotReady(ctx context.Context, nre *kube.NotReadyError) error {
	var b strings.Builder
	fmt.Fprintf(&b, "not ready after %s:", s.Opts.Timeout)
	for _, st := range nre.Pending {
		svc := s.serviceOfRef(st.Ref)
		fmt.Fprintf(&b, "\n  %s: %s", svc, st.Message)
		problems, _ := s.Cluster.Client.PodProblems(ctx, s.Namespace, s.ServiceSelector(svc), 10)
		for _, p := range problems {
			fmt.Fprintf(&b, "\n    %s (container %s in pod %s)", p.Reason, p.Container, p.Pod)
			if p.Message != "" {
				fmt.Fprintf(&b, ": %s", p.Message)
			}
			if len(p.Logs) > 0 {
				fmt.Fprintf(&b, "\n    last log lines:\n      %s", strings.Join(p.Logs, "\n      "))
			}
		}
		s.Pub.Publish(Event{Service: svc, Kind: EventFailing, Message: st.Message})
	}
	return fmt.Errorf("%w: %s", ErrNotReady, b.String())
}
