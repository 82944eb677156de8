package promote

import (
	"berth/internal/gitinfo"
	"context"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"berth/internal/kube"
	"berth/store"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

// Audit annotations written on every object a promotion leaves live. They are
// applied by their own field manager (AuditFieldManager) once the promotion is
// recorded, so they never show up in the next promotion's diff and never
// restart a pod (pod templates do not carry them).
const (
	AnnotationPromotionID  = "berth.dev/promotion-id"
	AnnotationPromotedAt   = "berth.dev/promoted-at"
	AnnotationPromotedBy   = "berth.dev/promoted-by"
	AnnotationManifestHash = "berth.dev/manifest-hash"
	AuditFieldManager      = "berth-audit"
)

// record is the audit record of this plan, without result.
func (p *Plan) record(start time.Time) store.Promotion {
	digests := map[string]string{}
	for _, pin := range p.Images {
		if pin.Pinned != "" {
			digests[pin.Rendered] = pin.Pinned[strings.LastIndex(pin.Pinned, "@")+1:]
		}
	}
	return store.Promotion{
		Project: p.Project, User: currentUser(), Host: hostname(), Started: start, Duration: time.Since(start),
		Context: p.Context, Namespace: p.Namespace, Env: p.Env, GitCommit: p.GitCommit,
		ComposeHash: p.ComposeHash, ManifestHash: p.ManifestHash, ImageDigests: digests,
		Diff: p.Summary(), Manifests: p.Manifests,
	}
}

// Summary is the diff summary the store keeps.
func (p *Plan) Summary() store.DiffSummary {
	var s store.DiffSummary
	for _, d := range p.Diffs {
		switch d.Action {
		case kube.Created:
			s.Created = append(s.Created, d.Ref.String())
		case kube.Configured:
			s.Changed = append(s.Changed, d.Ref.String())
		default:
			s.Unchanged++
		}
	}
	for _, r := range p.Replace {
		s.Changed = append(s.Changed, r.Ref.String()+" (replaced)")
	}
	for _, r := range p.Pruned {
		s.Pruned = append(s.Pruned, r.String())
	}
	return s
}

// annotate writes the audit annotations on the objects of a manifest stream.
func annotate(ctx context.Context, c *kube.Client, manifests []byte, id int64, at time.Time, hash, by string) error {
	objs, err := parseManifests(manifests)
	if err != nil {
		return err
	}
	patches := make([]runtime.Object, 0, len(objs))
	for _, u := range objs {
		patch := &unstructured.Unstructured{}
		patch.SetAPIVersion(u.GetAPIVersion())
		patch.SetKind(u.GetKind())
		patch.SetName(u.GetName())
		patch.SetNamespace(u.GetNamespace())
		patch.SetAnnotations(map[string]string{
			AnnotationPromotionID:  strconv.FormatInt(id, 10),
			AnnotationPromotedAt:   at.UTC().Format(time.RFC3339),
			AnnotationPromotedBy:   by,
			AnnotationManifestHash: hash,
		})
		patches = append(patches, patch)
	}
	_, err = c.Apply(context.WithoutCancel(ctx), patches, kube.ApplyOptions{FieldManager: AuditFieldManager, Force: true})
	return err
}

func currentUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

// GitCommit returns the commit checked out in dir (see gitinfo.Commit).
func GitCommit(dir string) string { return gitinfo.Commit(dir) }

// describe is a one-line summary of a diff summary.
func describe(s store.DiffSummary) string {
	if len(s.Created)+len(s.Changed)+len(s.Pruned) == 0 {
		return fmt.Sprintf("nothing changed (%d unchanged)", s.Unchanged)
	}
	return fmt.Sprintf("%d created, %d changed, %d pruned, %d unchanged", len(s.Created), len(s.Changed), len(s.Pruned), s.Unchanged)
}
