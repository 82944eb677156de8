package localenv

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"berth/convert"
	"berth/internal/kube"

	"github.com/compose-spec/compose-go/v2/types"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// apply creates the namespace and the Secrets from their sources, server-side
// applies the local environment's objects and prunes what the compose files
// no longer have. Services that wait for a one-shot Job
// (service_completed_successfully) are applied after it completes.
func (s *Session) apply(ctx context.Context) error {
	// once applied (or failed to), no service is building or loading any
	// more: from then on the dashboard shows what the cluster says
	defer s.snap.applied()
	c := s.Cluster.Client
	if err := s.waitNamespaceGone(ctx); err != nil {
		return err
	}
	if _, err := c.EnsureNamespace(ctx, s.Namespace, map[string]string{
		convert.LabelPartOf: s.Project, convert.LabelManagedBy: convert.ManagedBy,
	}); err != nil {
		return fmt.Errorf("namespace %s: %w", s.Namespace, err)
	}
	objs, missing, err := withSecretValues(s.Bundle)
	if err != nil {
		return err
	}
	for _, m := range missing {
		s.Pub.Publish(Event{Kind: EventInfo, Message: "warning: secret " + m + " has no value in its source (.env, env_file, secret file or environment)"})
	}
	first, later := splitByJobs(s.Loaded.Project, objs)
	if err := s.applyObjects(ctx, first); err != nil {
		return err
	}
	if len(later) > 0 {
		if err := s.waitJobs(ctx, first); err != nil {
			return err
		}
		if err := s.applyObjects(ctx, later); err != nil {
			return err
		}
	}
	return s.prune(ctx, objs)
}

func (s *Session) applyObjects(ctx context.Context, objs []runtime.Object) error {
	results, err := s.Cluster.Client.Apply(ctx, objs, kube.ApplyOptions{Namespace: s.Namespace, Force: true})
	if err != nil {
		results, err = s.recreateJobs(ctx, objs, results, err)
	}
	changed := map[string][]string{}
	for _, r := range results {
		if r.Action != kube.Unchanged && r.Err == nil {
			svc := serviceOf(r.Object.GetAnnotations())
			changed[svc] = append(changed[svc], strings.ToLower(r.Ref.Kind)+"/"+r.Ref.Name+" "+string(r.Action))
		}
	}
	for _, svc := range sortedKeys(changed) {
		s.Pub.Publish(Event{Service: svc, Kind: EventApply, Message: strings.Join(changed[svc], ", ")})
	}
	s.replaceStuckPods(ctx, results)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	return nil
}

// stuckObservedWait bounds how long `up` waits, per StatefulSet, for its
// controller to see the template just applied.
const stuckObservedWait = 10 * time.Second

// replaceStuckPods deletes StatefulSet pods that never got ready under an
// earlier template: Kubernetes would keep them, and the fixed template
// would never roll out (see kube.ReplaceStuckPods). Only `up` does this; a
// failure is reported, not fatal.
func (s *Session) replaceStuckPods(ctx context.Context, results []kube.ApplyResult) {
	for _, r := range results {
		// a StatefulSet created just now has no pods of an earlier template
		if r.Err != nil || r.Ref.Kind != convert.KindStatefulSet || r.Action == kube.Created {
			continue
		}
		svc := serviceOf(r.Object.GetAnnotations())
		deleted, err := s.Cluster.Client.ReplaceStuckPods(ctx, s.Namespace, r.Ref.Name, stuckObservedWait)
		for _, pod := range deleted {
			s.Pub.Publish(Event{Service: svc, Kind: EventRollout, Message: "replacing pod " + pod +
				": it never got ready under the previous template, and Kubernetes does not replace such a pod"})
		}
		if err != nil {
			s.Pub.Publish(Event{Service: svc, Kind: EventInfo, Message: "warning: " + err.Error()})
		}
	}
}

// prune deletes objects of this project the compose files no longer have;
// PVCs (data) are never pruned by `up`.
func (s *Session) prune(ctx context.Context, keep []runtime.Object) error {
	po := kube.PruneOptions{Selector: s.Selector(), Namespaces: []string{s.Namespace}}
	cands, err := s.Cluster.Client.PruneCandidates(ctx, keep, po)
	if err != nil {
		return fmt.Errorf("prune: %w", err)
	}
	deleted, err := s.Cluster.Client.Prune(ctx, cands, po)
	for _, d := range deleted {
		s.Pub.Publish(Event{Kind: EventApply, Message: fmt.Sprintf("pruned %s/%s (no longer in the compose files)", strings.ToLower(d.Kind), d.Name)})
	}
	return err
}

// splitByJobs separates the workloads of services that wait for a Job to
// complete from everything else.
func splitByJobs(p *types.Project, objs []runtime.Object) (first, later []runtime.Object) {
	waiting := map[string]bool{}
	for name, svc := range p.Services {
		for _, d := range svc.DependsOn {
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				waiting[name] = true
			}
		}
	}
	for _, o := range objs {
		obj, ok := o.(convert.Object)
		if ok && waiting[serviceOf(obj.GetAnnotations())] && convert.IsWorkloadKind(convert.Kind(obj)) {
			later = append(later, o)
			continue
		}
		first = append(first, o)
	}
	return first, later
}

// waitJobs waits for the Jobs among objs to complete.
func (s *Session) waitJobs(ctx context.Context, objs []runtime.Object) error {
	var jobs []runtime.Object
	for _, o := range objs {
		if obj, ok := o.(convert.Object); ok && convert.Kind(obj) == convert.KindJob {
			jobs = append(jobs, o)
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, s.Opts.Timeout)
	defer cancel()
	return s.Cluster.Client.Wait(wctx, jobs, s.onStatus)
}

func serviceOf(annotations map[string]string) string {
	return annotations[convert.AnnotationService]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedServices(p *types.Project) []string {
	return sortedKeys(p.Services)
}

// waitNamespaceGone waits while the project's namespace is being deleted (a
// `down -v` just before): nothing can be created in it until it is gone.
func (s *Session) waitNamespaceGone(ctx context.Context) error {
	announced := false
	for {
		ns, err := s.Cluster.Client.Typed.CoreV1().Namespaces().Get(ctx, s.Namespace, metav1.GetOptions{})
		if err != nil || ns.DeletionTimestamp == nil {
			return nil
		}
		if !announced {
			s.Pub.Publish(Event{Kind: EventInfo, Message: "waiting for namespace " + s.Namespace + " to finish deleting"})
			announced = true
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// recreateJobs deletes and applies again the Jobs whose apply failed because
// a Job's pod template is immutable (the compose file or the image changed):
// a one-shot task holds no data, so `up` runs the new version.
func (s *Session) recreateJobs(ctx context.Context, objs []runtime.Object, results []kube.ApplyResult, err error) ([]kube.ApplyResult, error) {
	var again []runtime.Object
	for _, r := range results {
		if r.Err == nil || r.Ref.Kind != convert.KindJob || !apierrors.IsInvalid(r.Err) {
			continue
		}
		bg := metav1.DeletePropagationBackground
		if derr := s.Cluster.Client.Typed.BatchV1().Jobs(s.Namespace).Delete(ctx, r.Ref.Name, metav1.DeleteOptions{PropagationPolicy: &bg}); derr != nil && !apierrors.IsNotFound(derr) {
			return results, err
		}
		if werr := s.waitJobGone(ctx, r.Ref.Name); werr != nil {
			return results, err
		}
		for _, o := range objs {
			if obj, ok := o.(convert.Object); ok && convert.Kind(obj) == convert.KindJob && obj.GetName() == r.Ref.Name {
				again = append(again, o)
			}
		}
		s.Pub.Publish(Event{Service: r.Ref.Name, Kind: EventApply, Message: "job/" + r.Ref.Name + " changed: deleted to run the new version"})
	}
	if len(again) == 0 {
		return results, err
	}
	return s.Cluster.Client.Apply(ctx, objs, kube.ApplyOptions{Namespace: s.Namespace, Force: true})
}

func (s *Session) waitJobGone(ctx context.Context, name string) error {
	for i := 0; i < 60; i++ {
		if _, err := s.Cluster.Client.Typed.BatchV1().Jobs(s.Namespace).Get(ctx, name, metav1.GetOptions{}); apierrors.IsNotFound(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return fmt.Errorf("job %s is still being deleted", name)
}
