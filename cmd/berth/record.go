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

func startRecording(ctx context.Context, s *localenv.Session) *recording {
	st, err := store.OpenDefault(ctx, store.Options{})
	if err != nil {
		fmt.Fprintf(os.Stderr, "warning: run history is not recorded: %v\n", err)
		return &recording{}
	}
	rec, err := localenv.StartRecording(ctx, st, s)
	if err != nil {
		fmt.Fprintf(os.Stderr, "warning: run history is not recorded: %v\n", err)
		_ = st.Close()
		return &recording{}
	}
	return &recording{rec: rec, st: st}
}

func (r *recording) ready(ctx context.Context) {
	if r.rec != nil {
		_ = r.rec.Ready(ctx)
	}
}

func (r *recording) finish(err error, allReady bool) {
	if r.rec == nil {
		return
	}
	r.rec.Finish(err, allReady)
	_ = r.st.Close()
	r.rec = nil
}
