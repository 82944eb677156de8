package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

func TestClusterApplyDiffPrune(t *testing.T) {
	c, ns := clusterClient(t, "kube-apply")
	ctx := context.Background()
	app := webApp(ns, "web", "v1 page\n", "1")

	first := applyAndWait(t, c, app)
	if got := actions(first); got["ConfigMap"] != Created || got["Deployment"] != Created || got["Service"] != Created {
		t.Fatalf("first apply: %v", got)
	}
	if first[0].Ref.Kind != "ConfigMap" || first[2].Ref.Kind != "Deployment" {
		t.Fatalf("apply order: %v %v %v", first[0].Ref, first[1].Ref, first[2].Ref)
	}

	again, err := c.Apply(ctx, webApp(ns, "web", "v1 page\n", "1"), ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if r.Action != Unchanged {
			t.Errorf("re-apply %s: %s, want unchanged", r.Ref, r.Action)
		}
	}

	start := time.Now()
	diffs, err := c.Diff(ctx, webApp(ns, "web", "v1 page\n", "1"), DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("diff of 3 objects took %s", time.Since(start).Round(time.Millisecond))
	for _, d := range diffs {
		if d.Action != Unchanged {
			t.Errorf("diff %s: %s %v, want unchanged", d.Ref, d.Action, d.Changes)
		}
	}

	changed := webApp(ns, "web", "v2 page\n", "2")
	diffs, err = c.Diff(ctx, changed, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range diffs {
		var paths []string
		for _, ch := range d.Changes {
			paths = append(paths, ch.Path)
		}
		got[d.Ref.Kind] = string(d.Action) + " " + strings.Join(paths, ",")
	}
	want := map[string]string{
		"ConfigMap":  `configured data."index.html"`,
		"Deployment": "configured spec.template.spec.containers[name=web].env[name=VERSION].value",
		"Service":    "unchanged ",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("diff %s: %q, want %q", k, got[k], w)
		}
	}

	// A dry run reports the change but persists nothing.
	dry, err := c.Apply(ctx, changed, ApplyOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if a := actions(dry); a["ConfigMap"] != Configured || a["Service"] != Unchanged {
		t.Fatalf("dry-run actions %v", a)
	}
	cm, err := c.Typed.CoreV1().ConfigMaps(ns).Get(ctx, "web", metav1.GetOptions{})
	if err != nil || cm.Data["index.html"] != "v1 page\n" {
		t.Fatalf("dry run changed the ConfigMap: %v %v", cm.Data, err)
	}

	res := applyAndWait(t, c, changed)
	if a := actions(res); a["ConfigMap"] != Configured || a["Deployment"] != Configured || a["Service"] != Unchanged {
		t.Fatalf("second apply: %v", a)
	}

	testPrune(t, c, ns, changed)
}

func testPrune(t *testing.T, c *Client, ns string, keep []runtime.Object) {
	ctx := context.Background()
	stale := configMap("stale", labelled(ns, "shop"))
	if _, err := c.Apply(ctx, []runtime.Object{stale}, ApplyOptions{}); err != nil {
		t.Fatal(err)
	}
	manual := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "manual", Namespace: ns}}
	if _, err := c.Typed.CoreV1().ConfigMaps(ns).Create(ctx, manual, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	o := PruneOptions{Selector: selector, Namespaces: []string{ns}}
	cands, err := c.PruneCandidates(ctx, keep, o)
	if err != nil {
		t.Fatal(err)
	}
	if names(cands) != "ConfigMap/"+ns+"/stale" {
		t.Fatalf("prune candidates %q", names(cands))
	}
	deleted, err := c.Prune(ctx, cands, o)
	if err != nil || len(deleted) != 1 {
		t.Fatalf("prune: %v %v", deleted, err)
	}
	left, err := c.Typed.CoreV1().ConfigMaps(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var have []string
	for _, cm := range left.Items {
		have = append(have, cm.Name)
	}
	if s := strings.Join(have, ","); s != "kube-root-ca.crt,manual,web" {
		t.Fatalf("ConfigMaps after prune: %s", s)
	}
}

func TestClusterDiffInMissingNamespaceIsCreated(t *testing.T) {
	c, ns := clusterClient(t, "kube-nons")
	ctx := context.Background()
	missing := ns + "-new"
	diffs, err := c.Diff(ctx, webApp(missing, "web", "x", "1"), DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		if d.Action != Created || d.Desired == nil {
			t.Fatalf("%s: %s", d.Ref, d.Action)
		}
	}
	t.Cleanup(func() { _ = c.Typed.CoreV1().Namespaces().Delete(ctx, missing, metav1.DeleteOptions{}) })
	for i, want := range []bool{true, false} {
		created, err := c.EnsureNamespace(ctx, missing, map[string]string{"berth.dev/test": "true"})
		if err != nil || created != want {
			t.Fatalf("EnsureNamespace call %d: created=%v err=%v, want created=%v", i+1, created, err, want)
		}
	}
}
