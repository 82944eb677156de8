package promote

import (
	"sync"
	"time"

	"berth/internal/kube"

	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// FailFastAfter is how long a workload may stay Failed (kstatus: a pod stuck
// in CrashLoopBackOff, ImagePullBackOff, ...) before the rollout stops
// waiting and rolls back, instead of waiting for the whole timeout. A crash
// loop can recover, hence the grace.
var FailFastAfter = 90 * time.Second

// failFast cancels a wait once some workload has been Failed for
// FailFastAfter without interruption.
type failFast struct {
	mu     sync.Mutex
	since  map[kube.ObjectRef]time.Time
	cancel func()
	done   chan struct{}
}

func newFailFast(cancel func()) *failFast {
	f := &failFast{since: map[kube.ObjectRef]time.Time{}, cancel: cancel, done: make(chan struct{})}
	go f.loop()
	return f
}

func (f *failFast) observe(s kube.ObjectStatus) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.Status != status.FailedStatus {
		delete(f.since, s.Ref)
	} else if _, ok := f.since[s.Ref]; !ok {
		f.since[s.Ref] = time.Now()
	}
}

func (f *failFast) loop() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-f.done:
			return
		case <-t.C:
			if f.expired() {
				f.cancel()
				return
			}
		}
	}
}

func (f *failFast) expired() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, t := range f.since {
		if time.Since(t) >= FailFastAfter {
			return true
		}
	}
	return false
}

func (f *failFast) stop() { close(f.done) }
