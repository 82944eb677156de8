package main

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// fakeSteps records the order of deploy's steps.
type fakeSteps struct {
	calls      *[]string
	connectErr error
	deployErr  error
}

func (f fakeSteps) Connect(context.Context) error {
	*f.calls = append(*f.calls, "connect")
	return f.connectErr
}

func (f fakeSteps) Deploy(context.Context) error {
	*f.calls = append(*f.calls, "deploy")
	return f.deployErr
}

// TestDeployStartsDashboardBeforeWaiting: in the foreground the dashboard
// starts once the cluster is known and before the build and wait, so it
// shows them; --detach leaves it to the background process; a failed
// deploy is still an error (non-zero exit) and a failed connect starts
// nothing.
func TestDeployStartsDashboardBeforeWaiting(t *testing.T) {
	notReady := errors.New("services not ready")
	for _, c := range []struct {
		name    string
		detach  bool
		steps   fakeSteps
		want    string
		wantErr error
	}{
		{name: "foreground", want: "connect,live,deploy"},
		{name: "detach", detach: true, want: "connect,deploy"},
		{name: "never ready", steps: fakeSteps{deployErr: notReady}, want: "connect,live,deploy", wantErr: notReady},
		{name: "no cluster", steps: fakeSteps{connectErr: notReady}, want: "connect", wantErr: notReady},
	} {
		t.Run(c.name, func(t *testing.T) {
			var calls []string
			c.steps.calls = &calls
			o := &upOptions{detach: c.detach}
			err := o.deploy(context.Background(), c.steps, func() { calls = append(calls, "live") })
			if got := strings.Join(calls, ","); got != c.want {
				t.Errorf("steps %s, want %s", got, c.want)
			}
			if !errors.Is(err, c.wantErr) {
				t.Errorf("error %v, want %v", err, c.wantErr)
			}
		})
	}
}
