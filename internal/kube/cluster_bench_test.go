package kube

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestClusterPlanTwentyServices measures what `promote` plans do: a diff
// (dry-run apply + compare) of a 20-service app, goal under 5 s.
func TestClusterPlanTwentyServices(t *testing.T) {
	c, ns := clusterClient(t, "kube-plan")
	var objs []runtime.Object
	for i := range 20 {
		app := webApp(ns, fmt.Sprintf("svc%02d", i), "page\n", "1")
		zero := int32(0) // no pods: this measures the API round trips only
		app[0].(*appsv1.Deployment).Spec.Replicas = &zero
		objs = append(objs, app...)
	}
	ctx := context.Background()
	start := time.Now()
	if _, err := c.Apply(ctx, objs, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("apply of %d objects: %s", len(objs), time.Since(start).Round(time.Millisecond))
	start = time.Now()
	diffs, err := c.Diff(ctx, objs, DiffOptions{})
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("diff of %d objects: %s", len(diffs), took.Round(time.Millisecond))
	for _, d := range diffs {
		if d.Action != Unchanged {
			t.Errorf("%s: %s %v", d.Ref, d.Action, d.Changes)
		}
	}
	if took > 5*time.Second {
		t.Errorf("plan took %s, goal < 5s", took)
	}
}
