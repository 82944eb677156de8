package testcluster

import (
	"context"
	"fmt"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

func TestControlPlaneDeploymentBecomesAvailable(t *testing.T) {
	t.Parallel()
	kc := ControlPlane(t)
	if again := ControlPlane(t); again != kc {
		t.Fatalf("second call returned %q, want %q", again, kc)
	}
	cs := Clientset(t, kc)
	ns := Namespace(t, kc, "tcp-deploy")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, deployment("web", 2, nil), metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	err := poll(ctx, func() (bool, error) {
		d, err := cs.AppsV1().Deployments(ns).Get(ctx, "web", metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		return condition(d, appsv1.DeploymentAvailable) == corev1.ConditionTrue && d.Status.ReadyReplicas == 2, nil
	})
	if err != nil {
		t.Fatalf("deployment web never became Available with 2 ready replicas: %v", err)
	}
}

func TestControlPlaneNotReadyLabelKeepsPodUnready(t *testing.T) {
	t.Parallel()
	kc := ControlPlane(t)
	cs := Clientset(t, kc)
	ns := Namespace(t, kc, "tcp-notready")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// A plain pod beside it must get Ready: proves kwok is at work, so the
	// labelled pod's state comes from the not-ready stage, not from neglect.
	for name, labels := range map[string]map[string]string{
		"stuck": {NotReadyLabel: "true"},
		"fine":  nil,
	} {
		if _, err := cs.CoreV1().Pods(ns).Create(ctx, pod(name, labels), metav1.CreateOptions{}); err != nil {
			t.Fatalf("create pod %s: %v", name, err)
		}
	}
	if err := waitPod(ctx, cs, ns, "fine", corev1.PodRunning, corev1.ConditionTrue); err != nil {
		t.Fatalf("pod without the label: %v", err)
	}
	if err := waitPod(ctx, cs, ns, "stuck", corev1.PodRunning, corev1.ConditionFalse); err != nil {
		t.Fatalf("pod with %s=true: %v", NotReadyLabel, err)
	}
	// A Deployment of such pods is a failing rollout: it exceeds its progress deadline.
	d := deployment("stuck-deploy", 1, map[string]string{NotReadyLabel: "true"})
	deadline := int32(2)
	d.Spec.ProgressDeadlineSeconds = &deadline
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	err := poll(ctx, func() (bool, error) {
		got, err := cs.AppsV1().Deployments(ns).Get(ctx, d.Name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		for _, c := range got.Status.Conditions {
			if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
				return got.Status.ReadyReplicas == 0, fmt.Errorf("ready replicas %d", got.Status.ReadyReplicas)
			}
		}
		return false, nil
	})
	if err != nil {
		t.Fatalf("deployment of not-ready pods never reported ProgressDeadlineExceeded: %v", err)
	}
	// by now seconds have passed: nothing else may have turned the pod Ready meanwhile
	p, err := cs.CoreV1().Pods(ns).Get(ctx, "stuck", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := podReady(p); got != corev1.ConditionFalse {
		t.Fatalf("pod with %s=true: Ready=%q later, want False", NotReadyLabel, got)
	}
}

func TestControlPlaneBindsClaimsOfDefaultClass(t *testing.T) {
	t.Parallel()
	kc := ControlPlane(t)
	cs := Clientset(t, kc)
	ns := Namespace(t, kc, "tcp-pvc")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pvc := &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "data"},
		Spec: corev1.PersistentVolumeClaimSpec{ // no storageClassName: the default class applies
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
		},
	}
	if _, err := cs.CoreV1().PersistentVolumeClaims(ns).Create(ctx, pvc, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create pvc: %v", err)
	}
	err := poll(ctx, func() (bool, error) {
		got, err := cs.CoreV1().PersistentVolumeClaims(ns).Get(ctx, "data", metav1.GetOptions{})
		return err == nil && got.Status.Phase == corev1.ClaimBound, err
	})
	if err != nil {
		t.Fatalf("pvc data never became Bound: %v", err)
	}
}

func deployment(name string, replicas int32, podLabels map[string]string) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	p := pod(name, podLabels)
	for k, v := range labels {
		p.Labels[k] = v
	}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: p.ObjectMeta, Spec: p.Spec},
		},
	}
}

func pod(name string, labels map[string]string) *corev1.Pod {
	l := map[string]string{}
	for k, v := range labels {
		l[k] = v
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Labels: l},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "example.invalid/app:1"}}},
	}
}

func waitPod(ctx context.Context, cs kubernetes.Interface, ns, name string, phase corev1.PodPhase, ready corev1.ConditionStatus) error {
	var last *corev1.Pod
	err := poll(ctx, func() (bool, error) {
		p, err := cs.CoreV1().Pods(ns).Get(ctx, name, metav1.GetOptions{})
		last = p
		return err == nil && p.Status.Phase == phase && podReady(p) == ready, err
	})
	if err != nil && last != nil {
		return fmt.Errorf("want phase %s and Ready=%s, last seen phase %q Ready=%q: %w", phase, ready, last.Status.Phase, podReady(last), err)
	}
	return err
}

func podReady(p *corev1.Pod) corev1.ConditionStatus {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status
		}
	}
	return ""
}

func condition(d *appsv1.Deployment, t appsv1.DeploymentConditionType) corev1.ConditionStatus {
	for _, c := range d.Status.Conditions {
		if c.Type == t {
			return c.Status
		}
	}
	return ""
}

// poll calls check every 200 ms until it reports done, or ctx ends. Errors
// from check are kept as the reason but do not stop the polling.
func poll(ctx context.Context, check func() (bool, error)) error {
	var last error
	for {
		done, err := check()
		if done {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			if last != nil {
				return fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
			}
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
