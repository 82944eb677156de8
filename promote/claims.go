package promote

import (
	"context"
	"fmt"
	"regexp"

	"berth/convert"
	"berth/internal/kube"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// provenanceKeys are the annotations convert puts on every object, volume
// claim templates included, that change with every compose edit or commit.
var provenanceKeys = []string{convert.AnnotationComposeHash, convert.AnnotationGitCommit}

// stabilizeClaimTemplates keeps the volume claim templates of StatefulSets
// as they are live: the API server forbids any change to them, and convert
// writes the compose hash into their metadata, which would make every
// promotion after a compose edit a refused "replacement". New templates get
// no provenance annotations at all.
func (p *Plan) stabilizeClaimTemplates(ctx context.Context) error {
	for _, o := range p.Objects {
		st, ok := o.(*appsv1.StatefulSet)
		if !ok || len(st.Spec.VolumeClaimTemplates) == 0 {
			continue
		}
		live, err := p.liveStatefulSet(ctx, st.Name)
		if err != nil {
			return err
		}
		liveAnn := map[string]map[string]string{}
		if live != nil {
			for _, t := range live.Spec.VolumeClaimTemplates {
				liveAnn[t.Name] = t.Annotations
			}
		}
		for i := range st.Spec.VolumeClaimTemplates {
			t := &st.Spec.VolumeClaimTemplates[i]
			for _, k := range provenanceKeys {
				if v, ok := liveAnn[t.Name][k]; ok {
					t.Annotations[k] = v
				} else {
					delete(t.Annotations, k)
				}
			}
		}
	}
	return nil
}

func (p *Plan) liveStatefulSet(ctx context.Context, name string) (*appsv1.StatefulSet, error) {
	if !p.NamespaceExists {
		return nil, nil
	}
	st, err := p.client.Typed.AppsV1().StatefulSets(p.Namespace).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read StatefulSet %s: %w", name, err)
	}
	return st, nil
}

// claimOfKeptStatefulSet reports whether a PVC was created from the volume
// claim template of a StatefulSet this promotion keeps
// (<template>-<statefulset>-<ordinal>): it carries the project's labels but
// is the StatefulSet's data, not an object to prune.
func (p *Plan) claimOfKeptStatefulSet(r kube.ObjectRef) bool {
	if r.Kind != "PersistentVolumeClaim" {
		return false
	}
	for _, o := range p.Objects {
		st, ok := o.(*appsv1.StatefulSet)
		if !ok {
			continue
		}
		for _, t := range st.Spec.VolumeClaimTemplates {
			re := regexp.MustCompile("^" + regexp.QuoteMeta(t.Name+"-"+st.Name+"-") + "[0-9]+$")
			if re.MatchString(r.Name) {
				return true
			}
		}
	}
	return false
}
