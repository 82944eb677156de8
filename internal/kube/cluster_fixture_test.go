package kube

import (
	"context"
	"net"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"

	"berth/internal/testcluster"
)

// busybox is preloaded in the offline node image; nothing can be pulled.
const busybox = "localhost/kindnode/busybox:1.35"

// clusterClient returns a client for the shared test cluster and a fresh
// namespace, or skips (fails under BERTH_E2E=1) when there is no cluster.
func clusterClient(t *testing.T, prefix string) (*Client, string) {
	t.Helper()
	return clientIn(t, testcluster.Kubeconfig(t), prefix)
}

// controlPlaneClient is the same on the shared test control plane (a real
// API server, nodes simulated).
func controlPlaneClient(t *testing.T, prefix string) (*Client, string) {
	t.Helper()
	return clientIn(t, testcluster.ControlPlane(t), prefix)
}

// clientIn is a Client for the cluster of kubeconfig kc and a fresh
// namespace in it.
func clientIn(t *testing.T, kc, prefix string) (*Client, string) {
	t.Helper()
	ns := testcluster.Namespace(t, kc, prefix)
	c, err := NewClient(kc, "")
	if err != nil {
		t.Fatal(err)
	}
	return c, ns
}

// webApp is a busybox httpd serving index.html from a ConfigMap on :8080,
// logging every request (-vv), with a readiness probe, plus its Service.
func webApp(ns, name, page, version string) []runtime.Object {
	meta := func() metav1.ObjectMeta {
		m := labelled(ns, "shop")
		m.Name = name
		return m
	}
	sel := map[string]string{"app": name}
	one := int32(1)
	zero := int64(0)
	cm := &corev1.ConfigMap{ObjectMeta: meta(), Data: map[string]string{"index.html": page}}
	dep := &appsv1.Deployment{ObjectMeta: meta(), Spec: appsv1.DeploymentSpec{
		Replicas: &one,
		Selector: &metav1.LabelSelector{MatchLabels: sel},
		Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: sel},
			Spec: corev1.PodSpec{
				TerminationGracePeriodSeconds: &zero,
				Containers: []corev1.Container{{
					Name:            "web",
					Image:           busybox,
					ImagePullPolicy: corev1.PullNever,
					Command:         []string{"sh", "-c", "echo started version $VERSION; exec httpd -f -vv -p 8080 -h /www"},
					Env:             []corev1.EnvVar{{Name: "VERSION", Value: version}},
					Ports:           []corev1.ContainerPort{{ContainerPort: 8080}},
					ReadinessProbe: &corev1.Probe{
						ProbeHandler:  corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: intstr.FromInt32(8080)}},
						PeriodSeconds: 1,
					},
					VolumeMounts: []corev1.VolumeMount{{Name: "www", MountPath: "/www"}},
				}},
				Volumes: []corev1.Volume{{Name: "www", VolumeSource: corev1.VolumeSource{
					ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: name}},
				}}},
			},
		},
	}}
	svc := &corev1.Service{ObjectMeta: meta(), Spec: corev1.ServiceSpec{
		Selector: sel,
		Ports:    []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080)}},
	}}
	return []runtime.Object{dep, svc, cm} // deliberately not in apply order
}

// applyAndWait applies objs and waits (up to 2 minutes) for them to be Current.
func applyAndWait(t *testing.T, c *Client, objs []runtime.Object) []ApplyResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := c.Apply(ctx, objs, ApplyOptions{})
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	start := time.Now()
	if err := c.Wait(ctx, objs, nil); err != nil {
		t.Fatalf("wait: %v", err)
	}
	t.Logf("ready %s after apply", time.Since(start).Round(10*time.Millisecond))
	return res
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

func actions(res []ApplyResult) map[string]Action {
	m := map[string]Action{}
	for _, r := range res {
		m[r.Ref.Kind] = r.Action
	}
	return m
}
