package kube

import (
	"context"
	"errors"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// PrunableKinds are the kinds berth creates and therefore may prune. Nothing
// else is ever listed for pruning, so objects of other kinds that happen to
// carry the labels are left alone.
var PrunableKinds = []schema.GroupVersionKind{
	{Group: "apps", Version: "v1", Kind: "Deployment"},
	{Group: "apps", Version: "v1", Kind: "StatefulSet"},
	{Group: "apps", Version: "v1", Kind: "DaemonSet"},
	{Group: "batch", Version: "v1", Kind: "Job"},
	{Group: "batch", Version: "v1", Kind: "CronJob"},
	{Version: "v1", Kind: "Service"},
	{Version: "v1", Kind: "ConfigMap"},
	{Version: "v1", Kind: "Secret"},
	{Version: "v1", Kind: "PersistentVolumeClaim"},
	{Version: "v1", Kind: "ServiceAccount"},
	{Group: "networking.k8s.io", Version: "v1", Kind: "NetworkPolicy"},
	{Group: "networking.k8s.io", Version: "v1", Kind: "Ingress"},
	{Group: "policy", Version: "v1", Kind: "PodDisruptionBudget"},
	{Group: "autoscaling", Version: "v2", Kind: "HorizontalPodAutoscaler"},
}

// PruneOptions selects what may be pruned.
type PruneOptions struct {
	// Selector every pruned object must match, e.g.
	// "app.kubernetes.io/part-of=shop,app.kubernetes.io/managed-by=berth".
	// Required: an empty selector is refused rather than matching everything.
	Selector string
	// Namespaces to search; empty means all namespaces.
	Namespaces []string
	// DeletePVCs allows deleting PersistentVolumeClaims (data). Off by default.
	DeletePVCs bool
	// KeepKinds are never deleted (e.g. "Secret" while its source is unknown).
	KeepKinds []string
	DryRun    bool
}

// PruneCandidates lists live objects of PrunableKinds matching o.Selector that
// are not among keep (the objects about to be applied). PVCs are listed even
// when DeletePVCs is off, so a plan can show that data would be orphaned.
func (c *Client) PruneCandidates(ctx context.Context, keep []runtime.Object, o PruneOptions) ([]ObjectRef, error) {
	sel, err := parseSelector(o.Selector)
	if err != nil {
		return nil, err
	}
	keepSet, err := refSet(keep, c.Namespace)
	if err != nil {
		return nil, err
	}
	namespaces := o.Namespaces
	if len(namespaces) == 0 {
		namespaces = []string{metav1.NamespaceAll}
	}
	var out []ObjectRef
	for _, gvk := range PrunableKinds {
		for _, ns := range namespaces {
			refs, err := c.listByLabel(ctx, gvk, ns, sel)
			if err != nil {
				return nil, err
			}
			out = append(out, notIn(refs, keepSet)...)
		}
	}
	return out, nil
}

// Prune deletes candidates with background propagation. Each object is
// fetched again and deleted only if it still matches o.Selector (with a UID
// precondition, so a same-named replacement is never hit). PVCs are skipped
// unless o.DeletePVCs, and KeepKinds always. It returns what it deleted.
func (c *Client) Prune(ctx context.Context, candidates []ObjectRef, o PruneOptions) ([]ObjectRef, error) {
	sel, err := parseSelector(o.Selector)
	if err != nil {
		return nil, err
	}
	refs := append([]ObjectRef(nil), candidates...)
	sortRefsForDelete(refs)
	var deleted []ObjectRef
	var errs []error
	for _, ref := range refs {
		if !mayDelete(ref.Kind, o) {
			continue
		}
		ok, err := c.deleteIfMatches(ctx, ref, sel, o.DryRun)
		if err != nil {
			errs = append(errs, fmt.Errorf("prune %s: %w", ref, err))
		}
		if ok {
			deleted = append(deleted, ref)
		}
	}
	return deleted, errors.Join(errs...)
}

func mayDelete(kind string, o PruneOptions) bool {
	if kind == "PersistentVolumeClaim" && !o.DeletePVCs {
		return false
	}
	for _, k := range o.KeepKinds {
		if k == kind {
			return false
		}
	}
	return true
}

func (c *Client) deleteIfMatches(ctx context.Context, ref ObjectRef, sel labels.Selector, dryRun bool) (bool, error) {
	ri, ref, err := c.resourceFor(ref, c.Namespace)
	if err != nil {
		return false, err
	}
	live, err := ri.Get(ctx, ref.Name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !sel.Matches(labels.Set(live.GetLabels())) {
		return false, nil // relabelled or replaced by someone else's object
	}
	uid := live.GetUID()
	prop := metav1.DeletePropagationBackground
	opts := metav1.DeleteOptions{PropagationPolicy: &prop, Preconditions: &metav1.Preconditions{UID: &uid}}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	err = ri.Delete(ctx, ref.Name, opts)
	if apierrors.IsNotFound(err) || apierrors.IsConflict(err) {
		return false, nil
	}
	return err == nil, err
}

func parseSelector(s string) (labels.Selector, error) {
	if s == "" {
		return nil, errors.New("prune needs a label selector; refusing to match everything")
	}
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("label selector %q: %w", s, err)
	}
	if sel.Empty() {
		return nil, fmt.Errorf("label selector %q matches everything", s)
	}
	return sel, nil
}

// listByLabel lists objects of gvk in ns matching sel. A kind the cluster
// does not serve yields nothing rather than an error.
func (c *Client) listByLabel(ctx context.Context, gvk schema.GroupVersionKind, ns string, sel labels.Selector) ([]ObjectRef, error) {
	m, err := c.mapping(gvk)
	if errors.Is(err, ErrUnknownKind) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	list, err := c.Dynamic.Resource(m.Resource).Namespace(ns).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", gvk.Kind, err)
	}
	refs := make([]ObjectRef, 0, len(list.Items))
	for i := range list.Items {
		it := &list.Items[i]
		if !sel.Matches(labels.Set(it.GetLabels())) {
			continue // fake clients and old servers may ignore the selector
		}
		r := RefOf(it)
		r.Group, r.Version, r.Kind = gvk.Group, gvk.Version, gvk.Kind
		refs = append(refs, r)
	}
	return refs, nil
}

func refSet(objs []runtime.Object, defaultNS string) (map[string]bool, error) {
	us, err := toUnstructuredAll(objs)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(us))
	for _, u := range us {
		r := RefOf(u)
		set[r.key()] = true
		if r.Namespace == "" {
			r.Namespace = defaultNS // namespaced objects that rely on the default
			set[r.key()] = true
		}
	}
	return set, nil
}

func notIn(refs []ObjectRef, keep map[string]bool) []ObjectRef {
	var out []ObjectRef
	for _, r := range refs {
		if !keep[r.key()] {
			out = append(out, r)
		}
	}
	return out
}
