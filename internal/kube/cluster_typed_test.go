package kube

import (
	"context"
	"errors"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/util/retry"
)

// TestClusterTypedClientRoundTrips drives every verb of berth's own typed
// client against a real API server: the JSON codecs, the query parameters
// and the watch decoding are berth's, not client-go's clientset.
func TestClusterTypedClientRoundTrips(t *testing.T) {
	c, ns := controlPlaneClient(t, "typed")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cms := c.Typed.CoreV1().ConfigMaps(ns)

	w, err := cms.Watch(ctx, metav1.ListOptions{LabelSelector: "berth.dev/case=typed"})
	if err != nil {
		t.Fatalf("watch: %v", err)
	}
	defer w.Stop()
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "page", Labels: map[string]string{"berth.dev/case": "typed"}},
		Data: map[string]string{"a": "1"}}
	if _, err := cms.Create(ctx, cm, metav1.CreateOptions{FieldManager: FieldManager}); err != nil {
		t.Fatalf("create: %v", err)
	}
	if ev := nextEvent(t, w); ev.Type != watch.Added || ev.Object.(*corev1.ConfigMap).Name != "page" {
		t.Fatalf("watch saw %s %T, want ADDED page", ev.Type, ev.Object)
	}
	got, err := cms.Patch(ctx, "page", types.MergePatchType, []byte(`{"data":{"b":"2"}}`), metav1.PatchOptions{})
	if err != nil || got.Data["a"] != "1" || got.Data["b"] != "2" {
		t.Fatalf("patch: %v %v", got.Data, err)
	}
	got.Data["c"] = "3"
	if _, err := cms.Update(ctx, got, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("update: %v", err)
	}
	list, err := cms.List(ctx, metav1.ListOptions{LabelSelector: "berth.dev/case=typed"})
	if err != nil || len(list.Items) != 1 || list.Items[0].Data["c"] != "3" {
		t.Fatalf("list: %+v %v", list, err)
	}
	if other, err := cms.List(ctx, metav1.ListOptions{LabelSelector: "berth.dev/case=other"}); err != nil || len(other.Items) != 0 {
		t.Fatalf("list with a selector that matches nothing: %d items, %v", len(other.Items), err)
	}
	if err := cms.Delete(ctx, "page", metav1.DeleteOptions{}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, err := cms.Get(ctx, "page", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("get after delete: %v, want NotFound", err)
	}
	if _, err := c.Typed.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{}); err != nil {
		t.Fatalf("cluster-scoped get: %v", err)
	}
}

func nextEvent(t *testing.T, w watch.Interface) watch.Event {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatal("watch closed")
		}
		return ev
	case <-time.After(30 * time.Second):
		t.Fatal("no watch event in 30 s")
	}
	return watch.Event{}
}

// TestClusterTypedScale reads and writes a StatefulSet's scale subresource,
// which the database backups use to stop and restart a database.
func TestClusterTypedScale(t *testing.T) {
	c, ns := controlPlaneClient(t, "scale")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sets := c.Typed.AppsV1().StatefulSets(ns)
	one := int32(1)
	sel := map[string]string{"app": "db"}
	sts := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db"}, Spec: appsv1.StatefulSetSpec{
		Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: sel},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: sel},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "db", Image: busybox}}}},
	}}
	if _, err := sets.Create(ctx, sts, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	scale, err := sets.GetScale(ctx, "db", metav1.GetOptions{})
	if err != nil || scale.Spec.Replicas != 1 {
		t.Fatalf("scale: %+v %v, want 1 replica", scale, err)
	}
	// The controller writes the status meanwhile: a conflict is the API
	// server's answer to a stale scale, not a failure of the client.
	err = retry.RetryOnConflict(retry.DefaultRetry, func() error {
		scale, err := sets.GetScale(ctx, "db", metav1.GetOptions{})
		if err != nil {
			return err
		}
		scale.Spec.Replicas = 0
		_, err = sets.UpdateScale(ctx, "db", scale, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("update scale: %v", err)
	}
	live, err := sets.Get(ctx, "db", metav1.GetOptions{})
	if err != nil || live.Spec.Replicas == nil || *live.Spec.Replicas != 0 {
		t.Fatalf("after scaling to 0: %v %v", live.Spec.Replicas, err)
	}
}

// TestClusterDiscoveryMapper maps kinds through the API server's discovery,
// as apply and prune do.
func TestClusterDiscoveryMapper(t *testing.T) {
	c, _ := controlPlaneClient(t, "mapper")
	cases := []struct {
		gk       schema.GroupKind
		versions []string
		resource string
		scope    meta.RESTScopeName
	}{
		{schema.GroupKind{Kind: "Pod"}, []string{"v1"}, "pods", meta.RESTScopeNameNamespace},
		{schema.GroupKind{Kind: "Namespace"}, []string{"v1"}, "namespaces", meta.RESTScopeNameRoot},
		{schema.GroupKind{Group: "apps", Kind: "Deployment"}, []string{"v1"}, "deployments", meta.RESTScopeNameNamespace},
		{schema.GroupKind{Group: "apps", Kind: "StatefulSet"}, nil, "statefulsets", meta.RESTScopeNameNamespace},
		{schema.GroupKind{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}, []string{"v1"}, "clusterroles", meta.RESTScopeNameRoot},
		{schema.GroupKind{Group: "networking.k8s.io", Kind: "NetworkPolicy"}, []string{"v2", "v1"}, "networkpolicies", meta.RESTScopeNameNamespace},
	}
	for _, tc := range cases {
		m, err := c.Mapper.RESTMapping(tc.gk, tc.versions...)
		if err != nil {
			t.Errorf("%s %v: %v", tc.gk, tc.versions, err)
			continue
		}
		if m.Resource.Resource != tc.resource || m.Scope.Name() != tc.scope || m.GroupVersionKind.Kind != tc.gk.Kind {
			t.Errorf("%s %v: mapped to %s (%s) as %s", tc.gk, tc.versions, m.Resource, m.Scope.Name(), m.GroupVersionKind)
		}
	}
	unknown := []struct {
		gk       schema.GroupKind
		versions []string
	}{
		{schema.GroupKind{Group: "apps", Kind: "Scale"}, []string{"v1"}}, // only a subresource
		{schema.GroupKind{Group: "apps", Kind: "Gadget"}, []string{"v1"}},
		{schema.GroupKind{Group: "apps", Kind: "Deployment"}, []string{"v9"}},
		{schema.GroupKind{Group: "example.com", Kind: "Widget"}, []string{"v1"}},
		{schema.GroupKind{Group: "example.com", Kind: "Widget"}, nil},
	}
	for _, tc := range unknown {
		_, err := c.Mapper.RESTMapping(tc.gk, tc.versions...)
		var nm *meta.NoKindMatchError
		if !errors.As(err, &nm) {
			t.Errorf("%s %v: %v, want a NoKindMatchError", tc.gk, tc.versions, err)
		}
	}
}
