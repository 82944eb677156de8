package kube

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors callers branch on (use errors.Is).
var (
	// ErrNoReadyPod: no pod matching the selector is Ready (port-forward, exec).
	ErrNoReadyPod = errors.New("no ready pod")
	// ErrUnknownKind: the cluster does not serve the object's kind (missing CRD, wrong apiVersion).
	ErrUnknownKind = errors.New("kind not served by the cluster")
	// ErrNotReady: Wait ended (deadline, cancel) before every object was Current.
	ErrNotReady = errors.New("objects not ready")
	// ErrNoConfig: a streaming call on a Client built without a rest.Config.
	ErrNoConfig = errors.New("client has no rest config")
	// ErrPortInUse: the local port of a port-forward is taken.
	ErrPortInUse = errors.New("local port in use")
)

// NotReadyError lists the objects that were not Current when Wait gave up.
// It matches ErrNotReady with errors.Is.
type NotReadyError struct {
	Pending []ObjectStatus
	Cause   error // why waiting stopped, usually the context's error
}

func (e *NotReadyError) Error() string {
	parts := make([]string, 0, len(e.Pending))
	for _, s := range e.Pending {
		p := fmt.Sprintf("%s/%s: %s", s.Ref.Kind, s.Ref.Name, s.Status)
		if s.Message != "" {
			p += " (" + s.Message + ")"
		}
		parts = append(parts, p)
	}
	return fmt.Sprintf("%d not ready: %s: %v", len(e.Pending), strings.Join(parts, "; "), e.Cause)
}

// Is makes errors.Is(err, ErrNotReady) true.
func (e *NotReadyError) Is(target error) bool { return target == ErrNotReady }

// Unwrap exposes the cause (e.g. context.DeadlineExceeded).
func (e *NotReadyError) Unwrap() error { return e.Cause }
