package promote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/store"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
)

// Reapply puts a recorded promotion's manifests back: it applies them,
// waits for the workloads and prunes the project's objects they do not have.
// Secrets are left as they are live: their values are never recorded, so a
// rollback does not roll back secret values. PVCs are never pruned here.
func Reapply(ctx context.Context, c *kube.Client, prev store.Promotion, timeout time.Duration, out io.Writer) error {
	objs, err := parseManifests(prev.Manifests)
	if err != nil {
		return fmt.Errorf("promotion %d: %w", prev.ID, err)
	}
	var apply, keep []runtime.Object
	for _, u := range objs {
		keep = append(keep, u)
		if u.GetKind() != "Secret" {
			apply = append(apply, u)
		}
	}
	if _, err := c.EnsureNamespace(ctx, prev.Namespace, map[string]string{
		convert.LabelPartOf: prev.Project, convert.LabelManagedBy: convert.ManagedBy,
	}); err != nil {
		return err
	}
	if _, err := c.Apply(ctx, apply, kube.ApplyOptions{Namespace: prev.Namespace, Force: true}); err != nil {
		return err
	}
	if err := waitWorkloads(ctx, c, prev.Namespace, apply, timeout, out); err != nil {
		return err
	}
	sel := convert.LabelPartOf + "=" + prev.Project + "," + convert.LabelManagedBy + "=" + convert.ManagedBy
	po := kube.PruneOptions{Selector: sel, Namespaces: []string{prev.Namespace}}
	cands, err := c.PruneCandidates(ctx, keep, po)
	if err != nil {
		return err
	}
	deleted, err := c.Prune(ctx, cands, po)
	for _, d := range deleted {
		fmt.Fprintf(out, "  pruned %s\n", d)
	}
	return err
}

// parseManifests reads a YAML stream into unstructured objects.
func parseManifests(data []byte) ([]*unstructured.Unstructured, error) {
	dec := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(data), 4096)
	var out []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		err := dec.Decode(&u.Object)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse manifests: %w", err)
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}

// RollbackOptions configure Rollback.
type RollbackOptions struct {
	Store      *store.Store
	Project    string // the project's name as converted (DNS name)
	Kubeconfig string
	Context    string        // "" means the context of the promotion rolled back to
	To         int64         // promotion id; 0 means the previous successful one
	Timeout    time.Duration // default 5 min
	Out        io.Writer
	Confirm    func(target store.Promotion, diff store.DiffSummary) (bool, error)
}

// Rollback re-applies a recorded promotion and records that as a promotion
// whose Env says "rollback to N". It returns the new record's id.
func Rollback(ctx context.Context, o RollbackOptions) (int64, error) {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	target, err := rollbackTarget(ctx, o)
	if err != nil {
		return 0, err
	}
	kctx := o.Context
	if kctx == "" {
		kctx = target.Context
	}
	c, err := kube.NewClient(o.Kubeconfig, kctx)
	if err != nil {
		return 0, fmt.Errorf("target cluster: %w", err)
	}
	summary, err := diffManifests(ctx, c, target)
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(o.Out, "roll %s on %s back to promotion %d (%s, commit %s): %s\n", target.Project, kctx, target.ID,
		target.Started.Format("2006-01-02 15:04:05"), orNone(target.GitCommit), describe(summary))
	if o.Confirm != nil {
		ok, err := o.Confirm(target, summary)
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, ErrNotConfirmed
		}
	}
	start := time.Now()
	rerr := Reapply(ctx, c, target, o.Timeout, o.Out)
	rec := target
	rec.ID, rec.User, rec.Host, rec.Started, rec.Duration = 0, currentUser(), hostname(), start, time.Since(start)
	rec.Context, rec.Env, rec.Diff, rec.Result, rec.Error = kctx, fmt.Sprintf("rollback to %d", target.ID), summary, store.PromotionSucceeded, ""
	if rerr != nil {
		rec.Result, rec.Error = store.PromotionFailed, rerr.Error()
	}
	id, err := o.Store.RecordPromotion(context.WithoutCancel(ctx), rec)
	if err != nil {
		return 0, errors.Join(rerr, fmt.Errorf("record rollback: %w", err))
	}
	if rerr != nil {
		return id, fmt.Errorf("%w: rollback to promotion %d: %v", ErrRolloutFailed, target.ID, rerr)
	}
	fmt.Fprintf(o.Out, "recorded as promotion %d\n", id)
	return id, annotate(ctx, c, target.Manifests, id, start, target.ManifestHash, rec.User)
}

// rollbackTarget is promotion o.To, or the successful promotion before the
// latest successful one (to the same context).
func rollbackTarget(ctx context.Context, o RollbackOptions) (store.Promotion, error) {
	if o.To != 0 {
		p, err := o.Store.GetPromotion(ctx, o.To)
		if err != nil {
			return p, err
		}
		if p.Project != o.Project {
			return p, fmt.Errorf("promotion %d is of project %s, not %s", p.ID, p.Project, o.Project)
		}
		if len(p.Manifests) == 0 {
			return p, fmt.Errorf("promotion %d has no manifests to re-apply", p.ID)
		}
		return p, nil
	}
	list, err := o.Store.ListPromotions(ctx, o.Project, 1000)
	if err != nil {
		return store.Promotion{}, err
	}
	kctx, seen := o.Context, 0
	for _, p := range list {
		if kctx == "" {
			kctx = p.Context
		}
		if p.Context != kctx || p.Result != store.PromotionSucceeded {
			continue
		}
		if seen++; seen == 2 {
			return o.Store.GetPromotion(ctx, p.ID)
		}
	}
	return store.Promotion{}, fmt.Errorf("no earlier successful promotion of %s to %s to roll back to: %w", o.Project, orNone(kctx), store.ErrNotFound)
}

// diffManifests summarises what re-applying a promotion changes.
func diffManifests(ctx context.Context, c *kube.Client, p store.Promotion) (store.DiffSummary, error) {
	objs, err := parseManifests(p.Manifests)
	if err != nil {
		return store.DiffSummary{}, err
	}
	var apply []runtime.Object
	for _, u := range objs {
		if u.GetKind() != "Secret" {
			apply = append(apply, u)
		}
	}
	diffs, err := c.Diff(ctx, apply, kube.DiffOptions{Namespace: p.Namespace, Force: true})
	if err != nil {
		return store.DiffSummary{}, err
	}
	var s store.DiffSummary
	for _, d := range diffs {
		switch {
		case d.Action == kube.Created:
			s.Created = append(s.Created, d.Ref.String())
		case d.Action == kube.Configured && !provenanceOnly(d.Changes):
			s.Changed = append(s.Changed, d.Ref.String())
		default:
			s.Unchanged++
		}
	}
	return s, nil
}
