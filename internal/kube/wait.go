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
	parallel(len(refs), func(i int) { statuses[i] = c.Status(ctx, refs[i]) })
	var pending []ObjectStatus
	for i, ref := range refs {
		s := statuses[i]
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

// Status computes the kstatus of one live object. Errors reading it are
// reported as Unknown with the error as message, so a blip of the API server
// does not end a wait.
func (c *Client) Status(ctx context.Context, ref ObjectRef) ObjectStatus {
	ri, ref, err := c.resourceFor(ref, c.Namespace)
	if err != nil {
		return ObjectStatus{Ref: ref, Status: status.UnknownStatus, Message: err.Error()}
	}
	u, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return ObjectStatus{Ref: ref, Status: status.NotFoundStatus, Message: "not found"}
	}
	if err != nil {
		return ObjectStatus{Ref: ref, Status: status.UnknownStatus, Message: err.Error()}
	}
	res, err := status.Compute(u)
	if err != nil {
		return ObjectStatus{Ref: ref, Status: status.UnknownStatus, Message: fmt.Sprintf("compute status: %v", err)}
	}
	return ObjectStatus{Ref: ref, Status: res.Status, Message: res.Message}
}
