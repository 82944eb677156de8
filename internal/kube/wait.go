package kube

import (
	"context"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// ObjectStatus is the kstatus view of one object.
type ObjectStatus struct {
	Ref     ObjectRef
	Status  status.Status // InProgress, Current, Failed, Terminating, NotFound, Unknown
	Message string
}

// PollInterval is how often Wait reads the objects again.
var PollInterval = time.Second

// Wait polls objs until every one is Current (kstatus), calling onChange
// (when non-nil) each time an object's status or message changes, including
// the first reading. It returns a *NotReadyError (errors.Is ErrNotReady)
// listing what is not Current when ctx ends first. Failed objects keep being
// polled: a CrashLoopBackOff can still recover, and the caller's deadline
// decides.
func (c *Client) Wait(ctx context.Context, objs []runtime.Object, onChange func(ObjectStatus)) error {
	us, err := toUnstructuredAll(objs)
	if err != nil {
		return err
	}
	refs := make([]ObjectRef, len(us))
	for i, u := range us {
		refs[i] = RefOf(u)
	}
	last := make(map[string]ObjectStatus, len(refs))
	t := time.NewTicker(PollInterval)
	defer t.Stop()
	for {
		pending := c.pollStatuses(ctx, refs, last, onChange)
		if len(pending) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return &NotReadyError{Pending: pending, Cause: ctx.Err()}
		case <-t.C:
		}
	}
}

// pollStatuses reads every ref once, reports changes and returns those not Current.
func (c *Client) pollStatuses(ctx context.Context, refs []ObjectRef, last map[string]ObjectStatus, onChange func(ObjectStatus)) []ObjectStatus {
	statuses := make([]ObjectStatus, len(refs))
	readErrs := make([]error, len(refs))
	parallel(len(refs), func(i int) { statuses[i], readErrs[i] = c.status(ctx, refs[i]) })
	var pending []ObjectStatus
	for i, ref := range refs {
		s := statuses[i]
		if prev, seen := last[ref.key()]; seen && readErrs[i] != nil {
			// A failed read (API blip, or the deadline arriving mid-poll)
			// says nothing new: keep reporting what was last seen.
			s = prev
		}
		if prev, seen := last[ref.key()]; (!seen || prev.Status != s.Status || prev.Message != s.Message) && onChange != nil {
			onChange(s)
		}
		last[ref.key()] = s
		if s.Status != status.CurrentStatus {
			pending = append(pending, s)
		}
	}
	return pending
}

// Status computes the kstatus of one live object; a workload with a stuck pod
// (see ProblemReasons) is Failed, with the pod's problem as message. Errors reading it are
// reported as Unknown with the error as message, so a blip of the API server
// does not end a wait.
func (c *Client) Status(ctx context.Context, ref ObjectRef) ObjectStatus {
	s, _ := c.status(ctx, ref)
	return s
}

// status also returns the error when the object could not be read.
func (c *Client) status(ctx context.Context, ref ObjectRef) (ObjectStatus, error) {
	ri, ref, err := c.resourceFor(ref, c.Namespace)
	if err != nil {
		return ObjectStatus{Ref: ref, Status: status.UnknownStatus, Message: err.Error()}, err
	}
	u, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return ObjectStatus{Ref: ref, Status: status.NotFoundStatus, Message: "not found"}, nil
	}
	if err != nil {
		return ObjectStatus{Ref: ref, Status: status.UnknownStatus, Message: err.Error()}, err
	}
	res, err := status.Compute(u)
	if err != nil {
		return ObjectStatus{Ref: ref, Status: status.UnknownStatus, Message: fmt.Sprintf("compute status: %v", err)}, nil
	}
	return c.withPodProblems(ctx, u, ObjectStatus{Ref: ref, Status: res.Status, Message: res.Message}), nil
}
