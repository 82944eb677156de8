package main

import (
	"context"
	"fmt"
	"os"

	"berth/localenv"
	"berth/store"
)

// recording wraps the optional store recording of a run: berth keeps working
// (with a warning) when its state folder cannot hold a database.
type recording struct {
	rec *localenv.Recorder
	st  *store.Store
}

func openStore(ctx context.Context) *store.Store {
	st, err := store.OpenDefault(ctx, store.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "warning: run history is not recorded: %v\n", err)
		return nil
	}
	return st
}

// startRecording opens a new run (runID 0) or continues an existing one.
func startRecording(ctx context.Context, s *localenv.Session, runID int64) *recording {
	st := openStore(ctx)
	if st == nil {
		return &recording{}
	}
	if runID > 0 {
		return &recording{rec: localenv.AttachRecording(ctx, st, s, runID), st: st}
	}
	rec, err := localenv.StartRecording(ctx, st, s)
	if err != nil {
		fmt.Fprintf(os.Stderr, "warning: run history is not recorded: %v\n", err)
		_ = st.Close()
		return &recording{}
	}
	return &recording{rec: rec, st: st}
}

func (r *recording) runID() int64 {
	if r.rec == nil {
		return 0
	}
	return r.rec.RunID
}

func (r *recording) ready(ctx context.Context) {
	if r.rec != nil {
		_ = r.rec.Ready(ctx)
	}
}

// finish records how the run ended and closes the store.
func (r *recording) finish(err error, allReady bool) {
	if r.rec == nil {
		return
	}
	r.rec.Finish(err, allReady)
	r.close()
}

// close stops recording without ending the run (it goes on in the
// background process).
func (r *recording) close() {
	if r.st != nil {
		_ = r.st.Close()
	}
	r.rec, r.st = nil, nil
}
