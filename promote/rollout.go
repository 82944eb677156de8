package promote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/store"

	"k8s.io/apimachinery/pkg/runtime"
)

// rollout applies the plan, waits, and on failure rolls back; it records the
// promotion in every case and annotates the objects that end up live.
func (p *Plan) rollout(ctx context.Context, o *Options, start time.Time, res *Result) error {
	prev, prevErr := o.Store.LastSuccessfulPromotion(ctx, p.Project, p.Context)
	failure := p.applyAndWait(ctx, o)
	rec := p.record(start)
	if failure == nil {
		rec.Result = store.PromotionSucceeded
		return p.finish(ctx, o, rec, res, nil)
	}
	rec.Error = failure.Error()
	fmt.Fprintf(o.Out, "\npromotion failed: %v\n", failure)
	if prevErr != nil {
		rec.Result = store.PromotionFailed
		fmt.Fprintf(o.Out, "no earlier successful promotion of %s to %s to roll back to; the target keeps what was applied\n", p.Project, p.Context)
		return p.finish(ctx, o, rec, res, fmt.Errorf("%w: %v", ErrRolloutFailed, failure))
	}
	fmt.Fprintf(o.Out, "rolling back to promotion %d (%s)\n", prev.ID, prev.Started.Format(time.RFC3339))
	// The rollback runs even when the rollout ended because ctx was
	// cancelled (Ctrl-C): leaving a half-rolled-out version is worse. It is
	// bounded by the timeout.
	if err := Reapply(context.WithoutCancel(ctx), p.client, prev, o.RollbackTimeout, o.Out); err != nil {
		rec.Result = store.PromotionFailed
		rec.Error += "; rollback failed: " + err.Error()
		return p.finish(ctx, o, rec, res, fmt.Errorf("%w: %v; and the rollback failed: %v", ErrRolloutFailed, failure, err))
	}
	rec.Result = store.PromotionRolledBack
	if err := p.finish(ctx, o, rec, res, nil); err != nil {
		return err
	}
	_ = annotate(ctx, p.client, prev.Manifests, prev.ID, prev.Started, prev.ManifestHash, prev.User)
	return fmt.Errorf("%w to promotion %d: %v", ErrRolledBack, prev.ID, failure)
}

// finish records the promotion and, for a success, writes the audit
// annotations on the objects.
func (p *Plan) finish(ctx context.Context, o *Options, rec store.Promotion, res *Result, err error) error {
	id, recErr := o.Store.RecordPromotion(context.WithoutCancel(ctx), rec)
	res.PromotionID, res.Outcome = id, rec.Result
	if recErr != nil {
		return errors.Join(err, fmt.Errorf("record promotion: %w", recErr))
	}
	fmt.Fprintf(o.Out, "recorded as promotion %d (%s)\n", id, rec.Result)
	if rec.Result == store.PromotionSucceeded {
		if aerr := annotate(ctx, p.client, p.Manifests, id, rec.Started, p.ManifestHash, rec.User); aerr != nil {
			fmt.Fprintf(o.Out, "warning: audit annotations not written: %v\n", aerr)
		}
	}
	return err
}

// applyAndWait is the rollout proper: replacements, apply, wait (with a line
// per workload), blue-green switches, prune.
func (p *Plan) applyAndWait(ctx context.Context, o *Options) error {
	objs := p.withSecretValues(p.Objects)
	var now, later []convert.Object
	for _, obj := range objs {
		if p.switchedLater(obj) {
			later = append(later, obj)
		} else {
			now = append(now, obj)
		}
	}
	if err := p.replace(ctx, o.Out); err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "\napplying %d objects to %s (namespace %s)\n", len(now), p.Context, p.Namespace)
	if _, err := p.client.Apply(ctx, runtimeObjects(now), kube.ApplyOptions{Namespace: p.Namespace, Force: true}); err != nil {
		return err
	}
	if err := waitWorkloads(ctx, p.client, p.Namespace, runtimeObjects(now), o.Timeout, o.Out); err != nil {
		return err
	}
	if len(later) > 0 {
		for _, sw := range p.blueGreen {
			fmt.Fprintf(o.Out, "  %s: switching traffic to %s (%s)\n", sw.service, sw.to, sw.deployment)
		}
		if _, err := p.client.Apply(ctx, runtimeObjects(later), kube.ApplyOptions{Namespace: p.Namespace, Force: true}); err != nil {
			return err
		}
	}
	return p.prune(ctx, o)
}

// replace deletes the objects the server will not change in place; the
// apply creates them again. The data gate has allowed it by now.
func (p *Plan) replace(ctx context.Context, out io.Writer) error {
	if len(p.Replace) == 0 {
		return nil
	}
	refs := make([]kube.ObjectRef, 0, len(p.Replace))
	for _, r := range p.Replace {
		fmt.Fprintf(out, "  replacing %s\n", r.Ref)
		refs = append(refs, p.fullRef(r.Ref))
	}
	_, err := p.client.Prune(ctx, refs, p.pruneOptions(true))
	return err
}

// fullRef fills in the group and version of a reference from the objects.
func (p *Plan) fullRef(r kube.ObjectRef) kube.ObjectRef {
	for _, o := range p.Objects {
		if convert.Kind(o) == r.Kind && o.GetName() == r.Name {
			gvk := o.GetObjectKind().GroupVersionKind()
			r.Group, r.Version = gvk.Group, gvk.Version
		}
	}
	return r
}

func (p *Plan) prune(ctx context.Context, o *Options) error {
	if len(p.Pruned) == 0 {
		return nil
	}
	deleted, err := p.client.Prune(ctx, p.Pruned, p.pruneOptions(o.Allow.DataLoss))
	for _, d := range deleted {
		fmt.Fprintf(o.Out, "  pruned %s\n", d)
	}
	return err
}

// waitWorkloads waits until every workload among objs is ready, printing a
// line each time one's status changes, and explains what failed otherwise.
func waitWorkloads(ctx context.Context, c *kube.Client, ns string, objs []runtime.Object, timeout time.Duration, out io.Writer) error {
	var workloads []runtime.Object
	for _, o := range objs {
		if convert.IsWorkloadKind(o.GetObjectKind().GroupVersionKind().Kind) {
			workloads = append(workloads, o)
		}
	}
	if len(workloads) == 0 {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	ff := newFailFast(cancel)
	defer ff.stop()
	err := c.Wait(wctx, workloads, func(s kube.ObjectStatus) {
		ff.observe(s)
		fmt.Fprintf(out, "  %-40s %s %s\n", s.Ref.Kind+"/"+s.Ref.Name, s.Status, s.Message)
	})
	var nre *kube.NotReadyError
	if errors.As(err, &nre) {
		return &RolloutError{Pending: nre.Pending, After: time.Since(start).Round(time.Second), Details: explain(ctx, c, ns, nre.Pending)}
	}
	if err == nil {
		fmt.Fprintf(out, "  all %d workloads ready in %s\n", len(workloads), time.Since(start).Round(100*time.Millisecond))
	}
	return err
}
