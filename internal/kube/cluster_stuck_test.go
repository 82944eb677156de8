package kube

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/util/retry"

	"berth/internal/testcluster"
)

func statefulSet(name string, podLabels map[string]string, env string) *appsv1.StatefulSet {
	one := int32(1)
	sel := map[string]string{"app": name}
	labels := map[string]string{"app": name}
	for k, v := range podLabels {
		labels[k] = v
	}
	return &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: appsv1.StatefulSetSpec{
		Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: sel},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "db", Image: busybox,
				Env: []corev1.EnvVar{{Name: "VERSION", Value: env}}}}}},
	}}
}

// TestClusterReplaceStuckPods: a StatefulSet pod that never got ready under
// its first template is not replaced by Kubernetes when the template is
// fixed; ReplaceStuckPods deletes it and the fixed pod gets ready.
func TestClusterReplaceStuckPods(t *testing.T) {
	c, ns := controlPlaneClient(t, "stuck")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sets := c.Typed.AppsV1().StatefulSets(ns)
	if _, err := sets.Create(ctx, statefulSet("db", map[string]string{testcluster.NotReadyLabel: "true"}, "1"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	old := waitPodOf(ctx, t, c, ns, "db-0", func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodRunning })
	fixed := statefulSet("db", nil, "2")
	updateStatefulSet(ctx, t, c, ns, "db", func(live *appsv1.StatefulSet) { live.Spec.Template = fixed.Spec.Template })
	// Kubernetes leaves the stuck pod in place: the premise of the fix.
	time.Sleep(3 * time.Second)
	if p, err := c.Typed.CoreV1().Pods(ns).Get(ctx, "db-0", metav1.GetOptions{}); err != nil || p.UID != old.UID {
		t.Fatalf("the StatefulSet controller replaced the stuck pod by itself (err %v); the test no longer shows the problem", err)
	}
	deleted, err := c.ReplaceStuckPods(ctx, ns, "db", 10*time.Second)
	if err != nil || len(deleted) != 1 || deleted[0] != "db-0" {
		t.Fatalf("ReplaceStuckPods: %v %v, want [db-0]", deleted, err)
	}
	waitPodOf(ctx, t, c, ns, "db-0", func(p *corev1.Pod) bool { return p.UID != old.UID && IsPodReady(p) })
	// Once the rollout is done there is nothing to replace.
	if again, err := c.ReplaceStuckPods(ctx, ns, "db", 10*time.Second); err != nil || len(again) != 0 {
		t.Fatalf("second call: %v %v, want none", again, err)
	}
}

// TestClusterReplaceStuckPodsSparesReadyAndPartitioned: a ready pod of the
// old revision, or one below the partition, is the controller's business.
func TestClusterReplaceStuckPodsSparesReadyAndPartitioned(t *testing.T) {
	c, ns := controlPlaneClient(t, "spared")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sets := c.Typed.AppsV1().StatefulSets(ns)
	stuck := statefulSet("parted", map[string]string{testcluster.NotReadyLabel: "true"}, "1")
	one := int32(1)
	stuck.Spec.UpdateStrategy.RollingUpdate = &appsv1.RollingUpdateStatefulSetStrategy{Partition: &one}
	if _, err := sets.Create(ctx, stuck, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := sets.Create(ctx, statefulSet("fine", nil, "1"), metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	waitPodOf(ctx, t, c, ns, "parted-0", func(p *corev1.Pod) bool { return p.Status.Phase == corev1.PodRunning })
	waitPodOf(ctx, t, c, ns, "fine-0", IsPodReady)
	for _, name := range []string{"parted", "fine"} {
		updateStatefulSet(ctx, t, c, ns, name, func(live *appsv1.StatefulSet) {
			live.Spec.Template.Spec.Containers[0].Env[0].Value = "2"
		})
		if deleted, err := c.ReplaceStuckPods(ctx, ns, name, 10*time.Second); err != nil || len(deleted) != 0 {
			t.Errorf("%s: deleted %v (%v), want none", name, deleted, err)
		}
	}
}

// updateStatefulSet changes StatefulSet name with change, reading it again
// when the controller wrote its status in between (a conflict).
func updateStatefulSet(ctx context.Context, t *testing.T, c *Client, ns, name string, change func(*appsv1.StatefulSet)) {
	t.Helper()
	sets := c.Typed.AppsV1().StatefulSets(ns)
	err := retry.RetryOnConflict(retry.DefaultRetry, func() error {
		live, err := sets.Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		change(live)
		_, err = sets.Update(ctx, live, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		t.Fatalf("update StatefulSet %s: %v", name, err)
	}
}

// waitPodOf polls pod name until ok holds for it.
func waitPodOf(ctx context.Context, t *testing.T, c *Client, ns, name string, ok func(*corev1.Pod) bool) *corev1.Pod {
	t.Helper()
	var last error
	for {
		p, err := c.Typed.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		if err == nil && ok(p) {
			return p
		}
		last = err
		if err == nil {
			last = fmt.Errorf("phase %s, labels %v", p.Status.Phase, p.Labels)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("pod %s: %v", name, last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}
