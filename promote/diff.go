package promote

import (
	"context"
	"fmt"
	"strings"

	"berth/convert"
	"berth/internal/kube"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
)

// Replacement is an object the server will not change in place (immutable
// fields): applying it means deleting and creating it again.
type Replacement struct {
	Ref      kube.ObjectRef
	Why      string
	DataLoss bool // a PVC or a StatefulSet with volume claim templates
}

// provenanceAnnotations change with every compose edit or commit on every
// object; a change of only these is not a change of the application.
var provenanceAnnotations = []string{
	`metadata.annotations."` + convert.AnnotationComposeHash + `"`,
	`metadata.annotations."` + convert.AnnotationGitCommit + `"`,
}

// diff dry-runs every object (with its Secret values, which the diff
// redacts) and compares it with the live one. Objects are dry-run one by one
// so that a refusal is tied to its object.
func (p *Plan) diff(ctx context.Context) error {
	objs := p.withSecretValues(p.Objects)
	diffs := make([]*kube.ObjectDiff, len(objs))
	errs := make([]error, len(objs))
	forEach(len(objs), 8, func(i int) {
		ds, err := p.client.Diff(ctx, runtimeObjects(objs[i:i+1]), kube.DiffOptions{Namespace: p.Namespace, Force: true})
		if len(ds) == 1 {
			diffs[i] = &ds[0]
		}
		errs[i] = err
	})
	for i, o := range objs {
		if errs[i] != nil {
			p.classifyRefusal(o, errs[i])
			continue
		}
		if diffs[i] == nil {
			return fmt.Errorf("diff %s/%s: no result", convert.Kind(o), o.GetName())
		}
		d := *diffs[i]
		switch {
		case d.Action == kube.Configured && provenanceOnly(d.Changes):
			d.Action = kube.Unchanged
		case d.Ref.Kind == "Namespace" && p.namespaceCreated:
			d.Action, d.Changes = kube.Created, nil // created empty just before the dry run
		}
		p.Diffs = append(p.Diffs, d)
	}
	return nil
}

// classifyRefusal sorts a dry-run refusal: immutable fields mean replacing
// the object (data loss for volumes), anything else is a rejected object.
func (p *Plan) classifyRefusal(o convert.Object, err error) {
	kind := convert.Kind(o)
	ref := kube.ObjectRef{Kind: kind, Namespace: o.GetNamespace(), Name: o.GetName()}
	msg := err.Error()
	if apierrors.IsInvalid(err) || strings.Contains(msg, "Forbidden") || strings.Contains(msg, "immutable") {
		switch kind {
		case "StatefulSet", "PersistentVolumeClaim":
			p.Replace = append(p.Replace, Replacement{Ref: ref, Why: msg, DataLoss: true})
			return
		case "Job":
			p.Replace = append(p.Replace, Replacement{Ref: ref, Why: msg})
			return
		}
	}
	p.rejected = append(p.rejected, fmt.Sprintf("%s: %s", ref, msg))
}

func provenanceOnly(changes []kube.FieldChange) bool {
	for _, c := range changes {
		ok := false
		for _, a := range provenanceAnnotations {
			if c.Path == a {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// findPrunes lists live objects of the project's earlier promotions (by the
// labels part-of and managed-by, in the namespace) that this one no longer has.
func (p *Plan) findPrunes(ctx context.Context) error {
	if !p.NamespaceExists {
		return nil
	}
	refs, err := p.client.PruneCandidates(ctx, runtimeObjects(p.Objects), p.pruneOptions(false))
	if err != nil {
		return fmt.Errorf("find what to prune: %w", err)
	}
	for _, r := range refs {
		if !p.claimOfKeptStatefulSet(r) {
			p.Pruned = append(p.Pruned, r)
		}
	}
	return nil
}

func (p *Plan) pruneOptions(deletePVCs bool) kube.PruneOptions {
	return kube.PruneOptions{Selector: p.Selector(), Namespaces: []string{p.Namespace}, DeletePVCs: deletePVCs}
}

// Counts summarises the diff.
func (p *Plan) Counts() (created, changed, unchanged int) {
	for _, d := range p.Diffs {
		switch d.Action {
		case kube.Created:
			created++
		case kube.Configured:
			changed++
		default:
			unchanged++
		}
	}
	return created, changed, unchanged
}

// NothingChanges reports whether applying the plan would change nothing.
func (p *Plan) NothingChanges() bool {
	created, changed, _ := p.Counts()
	return created == 0 && changed == 0 && len(p.Pruned) == 0 && len(p.Replace) == 0
}
