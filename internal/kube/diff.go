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

// ObjectDiff is what applying one object would do.
type ObjectDiff struct {
	Ref     ObjectRef
	Action  Action        // Created, Configured (changed) or Unchanged
	Changes []FieldChange // for Configured: the fields that differ
	// Desired is the server's dry-run result, or the local object when the
	// dry run could not run (namespace not created yet).
	Desired *unstructured.Unstructured
	Live    *unstructured.Unstructured // nil when Created
}

// DiffOptions tunes Diff.
type DiffOptions struct {
	FieldManager string // defaults to FieldManager
	Namespace    string // for namespaced objects without one; defaults to the client's
	Force        bool   // as ApplyOptions.Force: without it, field conflicts are errors
}

// Diff dry-runs a server-side apply of every object and compares the result
// with the live object, ignoring status and server-set metadata. Objects whose
// namespace does not exist yet are reported as Created from their local form
// (a namespaced dry run needs the namespace). Changes are sorted by path and
// Secret values are redacted.
func (c *Client) Diff(ctx context.Context, objs []runtime.Object, o DiffOptions) ([]ObjectDiff, error) {
	us, err := toUnstructuredAll(objs)
	if err != nil {
		return nil, err
	}
	sortForApply(us)
	diffs := make([]ObjectDiff, len(us))
	errs := make([]error, len(us))
	parallel(len(us), func(i int) {
		d, err := c.diffOne(ctx, us[i], o)
		diffs[i] = d
		if err != nil {
			errs[i] = fmt.Errorf("diff %s: %w", d.Ref, err)
		}
	})
	out := make([]ObjectDiff, 0, len(us))
	for i, d := range diffs {
		if errs[i] == nil {
			out = append(out, d)
		}
	}
	return out, errors.Join(errs...)
}

func (c *Client) diffOne(ctx context.Context, u *unstructured.Unstructured, o DiffOptions) (ObjectDiff, error) {
	ns := o.Namespace
	if ns == "" {
		ns = c.Namespace
	}
	ri, ref, err := c.resourceFor(RefOf(u), ns)
	if err != nil {
		return ObjectDiff{Ref: ref}, err
	}
	u.SetNamespace(ref.Namespace)
	live, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return ObjectDiff{Ref: ref}, fmt.Errorf("get live: %w", err)
	}
	if err != nil {
		live = nil
	}
	fm := o.FieldManager
	if fm == "" {
		fm = FieldManager
	}
	dry, err := ri.Apply(ctx, ref.Name, u, metav1.ApplyOptions{FieldManager: fm, Force: o.Force, DryRun: []string{metav1.DryRunAll}})
	if err != nil && live == nil && ref.Namespace != "" && apierrors.IsNotFound(err) {
		// The namespace itself is missing: everything in it is new.
		return ObjectDiff{Ref: ref, Action: Created, Desired: u}, nil
	}
	if err != nil {
		return ObjectDiff{Ref: ref}, fmt.Errorf("dry-run apply: %w", err)
	}
	return compareLive(ref, live, dry), nil
}

// compareLive classifies a dry-run result against the live object.
func compareLive(ref ObjectRef, live, desired *unstructured.Unstructured) ObjectDiff {
	d := ObjectDiff{Ref: ref, Desired: desired, Live: live}
	if live == nil {
		d.Action = Created
		return d
	}
	d.Changes = FieldDiff(live, desired)
	d.Action = Unchanged
	if len(d.Changes) > 0 {
		d.Action = Configured
	}
	return d
}
