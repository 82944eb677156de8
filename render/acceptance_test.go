package render_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/testcluster"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// TestAPIServerAcceptsEveryObject sends every object berth renders, for
// every fixture and corpus case in local and prod, to a real API server with
// a server-side dry-run apply: validation, defaulting and admission all run.
// Kinds whose API the cluster lacks (Gateway API, Prometheus Operator CRDs)
// are skipped with a logged note.
func TestAPIServerAcceptsEveryObject(t *testing.T) {
	kubeconfig := testcluster.Kubeconfig(t)
	client, err := kube.NewClient(kubeconfig, "")
	if err != nil {
		t.Fatal(err)
	}
	missing := missingAPIs(t, client)
	accepted := 0
	for _, tc := range allCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			ns := testcluster.Namespace(t, kubeconfig, "acc")
			for _, env := range []string{"local", "prod"} {
				accepted += dryRunCase(t, client, tc, env, ns, missing)
			}
		})
	}
	t.Logf("the API server accepted %d objects", accepted)
	t.Run("control: an invalid object is refused", func(t *testing.T) {
		refusedControl(t, client, testcluster.Namespace(t, kubeconfig, "acc"))
	})
}

// refusedControl proves the dry run validates: a privileged container that
// also forbids privilege escalation is invalid, and must be refused.
func refusedControl(t *testing.T, client *kube.Client, ns string) {
	yes, no := true, false
	d := &appsv1.Deployment{
		TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: metav1.ObjectMeta{Name: "invalid", Namespace: ns},
		Spec: appsv1.DeploymentSpec{
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"a": "b"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"a": "b"}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox",
					SecurityContext: &corev1.SecurityContext{Privileged: &yes, AllowPrivilegeEscalation: &no}}}},
			},
		},
	}
	_, err := client.Apply(context.Background(), []runtime.Object{d}, kube.ApplyOptions{DryRun: true, Namespace: ns})
	if err == nil || !strings.Contains(err.Error(), "allowPrivilegeEscalation") {
		t.Fatalf("the API server accepted an invalid Deployment (err = %v): the dry run does not validate", err)
	}
}

// missingAPIs lists the optional group/versions berth renders that the
// cluster does not serve.
func missingAPIs(t *testing.T, client *kube.Client) map[string]bool {
	missing := map[string]bool{}
	for _, gv := range []string{"gateway.networking.k8s.io/v1", "monitoring.coreos.com/v1"} {
		if _, err := client.Typed.Discovery().ServerResourcesForGroupVersion(gv); err != nil {
			t.Logf("NOTE: the cluster does not serve %s (%v): objects of that API are not checked", gv, err)
			missing[gv] = true
		}
	}
	return missing
}

func dryRunCase(t *testing.T, client *kube.Client, tc testCase, env, ns string, missing map[string]bool) int {
	t.Helper()
	l, err := tc.load()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	o := l.Options()
	o.Env = env
	o.Namespace = ns
	b, err := convert.Convert(l.Project, o)
	if err != nil {
		t.Fatalf("convert --env %s: %v", env, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var objs []runtime.Object
	for _, obj := range b.Objects {
		if gv := obj.GetObjectKind().GroupVersionKind().GroupVersion().String(); missing[gv] {
			t.Logf("NOTE: %s %s not checked: the cluster lacks %s", convert.Kind(obj), obj.GetName(), gv)
			continue
		}
		objs = append(objs, obj)
	}
	results, err := client.Apply(ctx, objs, kube.ApplyOptions{DryRun: true, Namespace: b.Namespace})
	if err != nil {
		t.Errorf("--env %s: the API server refused objects:\n%s", env, refusals(results))
	}
	ok := 0
	for _, r := range results {
		if r.Err == nil {
			ok++
		}
	}
	return ok
}

func refusals(results []kube.ApplyResult) string {
	var sb strings.Builder
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(&sb, "  %s: %v\n", r.Ref, r.Err)
		}
	}
	return sb.String()
}
