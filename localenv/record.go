package localenv

import (
	"berth/internal/gitinfo"
	"context"
	"time"

	"berth/store"
)

// Recorder writes what a run publishes to the store: the run itself (so
// `promote` can check the compose content last ran locally with every
// service ready), its events, and the log lines the dashboard searches.
type Recorder struct {
	Store *store.Store
	RunID int64
	stop  context.CancelFunc
	done  chan struct{}
}

// StartRecording opens a run in the store and records events until ctx
// ends or the publisher closes; flush intervals keep writes batched.
func StartRecording(ctx context.Context, st *store.Store, s *Session) (*Recorder, error) {
	id, err := st.StartRun(ctx, store.NewRun{
		Project: s.Project, ComposeHash: s.Loaded.ComposeHash,
		GitCommit: GitCommit(s.Loaded.Project.WorkingDir), Services: len(s.Loaded.Project.Services),
	})
	if err != nil {
		return nil, err
	}
	return AttachRecording(ctx, st, s, id), nil
}

// AttachRecording records a session's events and logs into an existing run
// (the background process of `up --detach` continues the run `up` started).
func AttachRecording(ctx context.Context, st *store.Store, s *Session, id int64) *Recorder {
	lctx, stop := context.WithCancel(ctx)
	r := &Recorder{Store: st, RunID: id, stop: stop, done: make(chan struct{})}
	ch, cancel := s.Pub.Subscribe(16384)
	go func() {
		defer close(r.done)
		defer cancel()
		r.loop(lctx, s.Project, ch)
	}()
	return r
}

func (r *Recorder) loop(ctx context.Context, project string, ch <-chan Event) {
	var events []store.Event
	var logs []store.LogLine
	stored := &storedLogs{st: r.Store, project: project, newest: map[logSource]time.Time{}}
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	flush := func() {
		// a fresh context: the last batch is written even as the run stops
		fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if len(events) > 0 {
			_ = r.Store.AddEvents(fctx, events)
			events = events[:0]
		}
		if len(logs) > 0 {
			_ = r.Store.AppendLogs(fctx, logs)
			logs = logs[:0]
		}
	}
	defer flush()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			flush()
		case e, ok := <-ch:
			if !ok {
				return
			}
			if e.Kind == EventLog {
				if stored.has(e) {
					continue
				}
				logs = append(logs, store.LogLine{Project: project, Service: e.Service, Pod: e.Pod, Container: e.Stream, Time: e.Time, Stream: "stdout", Line: e.Message})
			} else if e.Kind != EventStatus {
				events = append(events, store.Event{RunID: r.RunID, Time: e.Time, Service: e.Service, Kind: string(e.Kind), Message: e.Message})
			}
			if len(logs) >= 2000 {
				flush()
			}
		}
	}
}

// logSource is one container's log stream.
type logSource struct{ service, pod, container string }

// storedLogs knows, per container, the newest line the store held when the
// recorder first saw that container. Lines at or before it are replays:
// every new `up` and background process streams each container's tail
// again, which would otherwise store those lines once more.
type storedLogs struct {
	st      *store.Store
	project string
	newest  map[logSource]time.Time
}

func (s *storedLogs) has(e Event) bool {
	if e.Time.IsZero() {
		return false
	}
	k := logSource{e.Service, e.Pod, e.Stream}
	t, ok := s.newest[k]
	if !ok {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		t, _ = s.st.LastLogTime(ctx, s.project, k.service, k.pod, k.container) // on error: record, as before
		cancel()
		s.newest[k] = t
	}
	return !e.Time.After(t)
}

// Ready marks that every service of the run is ready.
func (r *Recorder) Ready(ctx context.Context) error { return r.Store.MarkAllReady(ctx, r.RunID) }

// Finish stops recording, writes what is pending and records how the run ended.
func (r *Recorder) Finish(err error, allReady bool) {
	r.stop()
	<-r.done
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	result := store.RunSucceeded
	if err != nil {
		result = store.RunFailed
	}
	_ = r.Store.FinishRun(ctx, r.RunID, result, allReady)
}

// GitCommit returns the commit checked out in dir (see gitinfo.Commit).
func GitCommit(dir string) string { return gitinfo.Commit(dir) }
