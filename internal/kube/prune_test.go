package kube

import (
	"context"
	"errors"
	"sort"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

func pvc(name string, meta metav1.ObjectMeta) *corev1.PersistentVolumeClaim {
	meta.Name = name
	return &corev1.PersistentVolumeClaim{ObjectMeta: meta, Spec: corev1.PersistentVolumeClaimSpec{
		AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
		Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
	}}
}

func names(refs []ObjectRef) string {
	s := make([]string, len(refs))
	for i, r := range refs {
		s[i] = r.String()
	}
	sort.Strings(s)
	return strings.Join(s, " ")
}

func pruneFixture(t *testing.T) (*Client, []runtime.Object) {
	shop := labelled("shop", "shop")
	other := labelled("shop", "other")
	live := []runtime.Object{
		deployment("web", shop, "web:1"),
		deployment("old", shop, "old:1"),                                  // no longer in compose: prune
		deployment("theirs", other, "x:1"),                                // another project
		deployment("manual", metav1.ObjectMeta{Namespace: "shop"}, "m:1"), // unlabelled
		configMap("old-cfg", shop),                                        // prune
		pvc("old-data", shop),                                             // only with DeletePVCs
	}
	return fakeClient(t, live...), []runtime.Object{deployment("web", shop, "web:2")}
}

func TestPruneCandidatesSelectsOnlyLabelledObjectsNotKept(t *testing.T) {
	c, keep := pruneFixture(t)
	got, err := c.PruneCandidates(context.Background(), keep, PruneOptions{Selector: selector, Namespaces: []string{"shop"}})
	if err != nil {
		t.Fatal(err)
	}
	want := "ConfigMap/shop/old-cfg Deployment/shop/old PersistentVolumeClaim/shop/old-data"
	if names(got) != want {
		t.Fatalf("candidates %q, want %q", names(got), want)
	}
}

func TestPruneKeepsPVCsUnlessAsked(t *testing.T) {
	for _, deletePVCs := range []bool{false, true} {
		c, keep := pruneFixture(t)
		o := PruneOptions{Selector: selector, Namespaces: []string{"shop"}, DeletePVCs: deletePVCs}
		cands, err := c.PruneCandidates(context.Background(), keep, o)
		if err != nil {
			t.Fatal(err)
		}
		deleted, err := c.Prune(context.Background(), cands, o)
		if err != nil {
			t.Fatal(err)
		}
		want := "ConfigMap/shop/old-cfg Deployment/shop/old"
		if deletePVCs {
			want = "ConfigMap/shop/old-cfg Deployment/shop/old PersistentVolumeClaim/shop/old-data"
		}
		if names(deleted) != want {
			t.Fatalf("DeletePVCs=%v: deleted %q, want %q", deletePVCs, names(deleted), want)
		}
		_, err = c.Dynamic.Resource(schema.GroupVersionResource{Version: "v1", Resource: "persistentvolumeclaims"}).Namespace("shop").Get(context.Background(), "old-data", metav1.GetOptions{})
		if gone := apierrors.IsNotFound(err); gone != deletePVCs {
			t.Fatalf("DeletePVCs=%v but PVC gone=%v (%v)", deletePVCs, gone, err)
		}
	}
}

func TestPruneNeverDeletesUnlabelledObjects(t *testing.T) {
	c, _ := pruneFixture(t)
	// A caller passing a hand-made candidate list cannot make Prune delete
	// something without the labels.
	cands := []ObjectRef{
		{Group: "apps", Version: "v1", Kind: "Deployment", Namespace: "shop", Name: "manual"},
		{Group: "apps", Version: "v1", Kind: "Deployment", Namespace: "shop", Name: "theirs"},
	}
	deleted, err := c.Prune(context.Background(), cands, PruneOptions{Selector: selector})
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 0 {
		t.Fatalf("deleted %v", names(deleted))
	}
	gvr := schema.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}
	for _, n := range []string{"manual", "theirs"} {
		if _, err := c.Dynamic.Resource(gvr).Namespace("shop").Get(context.Background(), n, metav1.GetOptions{}); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
	}
}

func TestPruneRefusesEmptySelector(t *testing.T) {
	c, keep := pruneFixture(t)
	if _, err := c.PruneCandidates(context.Background(), keep, PruneOptions{}); err == nil {
		t.Fatal("empty selector accepted by PruneCandidates")
	}
	if _, err := c.Prune(context.Background(), nil, PruneOptions{Selector: "   "}); err == nil {
		t.Fatal("blank selector accepted by Prune")
	}
}

func TestPruneKeepKinds(t *testing.T) {
	c, keep := pruneFixture(t)
	o := PruneOptions{Selector: selector, Namespaces: []string{"shop"}, KeepKinds: []string{"ConfigMap"}}
	cands, _ := c.PruneCandidates(context.Background(), keep, o)
	deleted, err := c.Prune(context.Background(), cands, o)
	if err != nil {
		t.Fatal(err)
	}
	if names(deleted) != "Deployment/shop/old" {
		t.Fatalf("deleted %q", names(deleted))
	}
}

func TestDeleteByLabelDeletesWorkloadsFirst(t *testing.T) {
	c, _ := pruneFixture(t)
	deleted, err := c.DeleteByLabel(context.Background(), "shop", selector, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 3 || deleted[0].Kind != "Deployment" {
		t.Fatalf("deleted %v (want the two deployments first, then the ConfigMap)", deleted)
	}
}

func TestUnknownKindIsTyped(t *testing.T) {
	c := fakeClient(t)
	_, err := c.mapping(schema.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"})
	if !errors.Is(err, ErrUnknownKind) {
		t.Fatalf("got %v, want ErrUnknownKind", err)
	}
}
