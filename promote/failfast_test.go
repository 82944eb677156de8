package promote

import (
	"testing"
	"time"

	"berth/internal/kube"

	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func TestFailFastCancelsAfterGrace(t *testing.T) {
	old := FailFastAfter
	FailFastAfter = 50 * time.Millisecond
	t.Cleanup(func() { FailFastAfter = old })
	cancelled := make(chan struct{})
	f := newFailFast(func() { close(cancelled) })
	defer f.stop()
	web := kube.ObjectRef{Kind: "Deployment", Name: "web"}
	f.observe(kube.ObjectStatus{Ref: web, Status: status.FailedStatus})
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Fatal("a workload Failed past the grace did not stop the wait")
	}
}

func TestFailFastForgivesRecovery(t *testing.T) {
	old := FailFastAfter
	FailFastAfter = 1500 * time.Millisecond
	t.Cleanup(func() { FailFastAfter = old })
	cancelled := make(chan struct{})
	f := newFailFast(func() { close(cancelled) })
	defer f.stop()
	web := kube.ObjectRef{Kind: "Deployment", Name: "web"}
	f.observe(kube.ObjectStatus{Ref: web, Status: status.FailedStatus})
	f.observe(kube.ObjectStatus{Ref: web, Status: status.InProgressStatus})
	select {
	case <-cancelled:
		t.Fatal("a workload that recovered stopped the wait")
	case <-time.After(2500 * time.Millisecond):
	}
}
