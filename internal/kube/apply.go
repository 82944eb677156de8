package kube

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// FieldManager is the server-side apply field manager berth uses everywhere,
// so that `up` and `promote` own the same fields.
const FieldManager = "berth"

// ApplyOptions tunes Apply.
type ApplyOptions struct {
	FieldManager string // defaults to FieldManager
	DryRun       bool   // server-side dry run: validated and defaulted, not persisted
	Force        bool   // take over fields owned by other managers
	// Namespace for namespaced objects that have none; defaults to the
	// client's namespace.
	Namespace string
}

// Action says what an apply did (or, in a dry run, would do) to an object.
type Action string

// Actions of Apply.
const (
	Created    Action = "created"
	Configured Action = "configured"
	Unchanged  Action = "unchanged"
)

// ApplyResult is the outcome for one object.
type ApplyResult struct {
	Ref    ObjectRef
	Action Action
	Object *unstructured.Unstructured // as returned by the server
	Err    error                      // non-nil when this object failed
}

// Apply server-side applies objs in dependency order (namespaces first,
// workloads after their config, services and volumes). It applies every
// object even when some fail; the returned error joins the failures and
// each failing result carries its own Err.
//
// A dry run of a namespaced object needs its namespace to exist: call
// EnsureNamespace first.
func (c *Client) Apply(ctx context.Context, objs []runtime.Object, o ApplyOptions) ([]ApplyResult, error) {
	us, err := toUnstructuredAll(objs)
	if err != nil {
		return nil, err
	}
	sortForApply(us)
	results := make([]ApplyResult, len(us))
	byRank(us, func(i int) { results[i] = c.applyOne(ctx, us[i], o) })
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("apply %s: %w", r.Ref, r.Err))
		}
	}
	return results, errors.Join(errs...)
}

func (c *Client) applyOne(ctx context.Context, u *unstructured.Unstructured, o ApplyOptions) ApplyResult {
	ns := o.Namespace
	if ns == "" {
		ns = c.Namespace
	}
	ri, ref, err := c.resourceFor(RefOf(u), ns)
	if err != nil {
		return ApplyResult{Ref: ref, Err: err}
	}
	u.SetNamespace(ref.Namespace)
	live, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return ApplyResult{Ref: ref, Err: fmt.Errorf("get live: %w", err)}
	}
	if err != nil {
		live = nil
	}
	opts := metav1.ApplyOptions{FieldManager: o.FieldManager, Force: o.Force}
	if opts.FieldManager == "" {
		opts.FieldManager = FieldManager
	}
	if o.DryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	got, err := ri.Apply(ctx, ref.Name, u, opts)
	if err != nil {
		return ApplyResult{Ref: ref, Err: err}
	}
	return ApplyResult{Ref: ref, Action: actionOf(live, got, o.DryRun), Object: got}
}

// actionOf compares the live object (nil when absent) with the server's
// answer. A persisted change bumps resourceVersion; a dry run does not, so
// there the normalised contents are compared instead.
func actionOf(live, got *unstructured.Unstructured, dryRun bool) Action {
	switch {
	case live == nil:
		return Created
	case !dryRun && live.GetResourceVersion() == got.GetResourceVersion():
		return Unchanged
	case dryRun && len(FieldDiff(live, got)) == 0:
		return Unchanged
	default:
		return Configured
	}
}
