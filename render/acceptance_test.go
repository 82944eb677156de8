package render_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
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
// every fixture and corpus case in every environment it declares, to a real
// API server with a server-side dry-run apply: validation, defaulting and
// admission all run. The CRDs of the optional APIs berth renders (Gateway
// API, Prometheus Operator) are installed first, so every kind is checked
// against its schema; a kind the server does not serve fails the test.
func TestAPIServerAcceptsEveryObject(t *testing.T) {
	kubeconfig := testcluster.ControlPlane(t)
	installCRDs(t, kubeconfig)
	// A client made after the install: its discovery cache knows the CRDs.
	client, err := kube.NewClient(kubeconfig, "")
	if err != nil {
		t.Fatal(err)
	}
	accepted, envs := map[string]int{}, 0
	for _, tc := range allCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			ns := testcluster.Namespace(t, kubeconfig, "acc")
			l, err := tc.load()
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for _, env := range convert.EnvironmentNames(l.Project.Extensions) {
				dryRunEnv(t, client, l, env, ns, accepted)
				envs++
			}
		})
	}
	t.Logf("the API server accepted, in %d renders (case × environment): %s", envs, kindCounts(accepted))
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

// dryRunEnv converts a loaded case for one environment into namespace ns
// and dry-runs every object, counting those accepted by kind.
func dryRunEnv(t *testing.T, client *kube.Client, l *convert.Loaded, env, ns string, accepted map[string]int) {
	t.Helper()
	o := l.Options()
	o.Env = env
	o.Namespace = ns
	b, err := convert.Convert(l.Project, o)
	if err != nil {
		t.Fatalf("convert --env %s: %v", env, err)
	}
	objs := make([]runtime.Object, len(b.Objects))
	for i, obj := range b.Objects {
		objs[i] = obj
	}
	objs = append(objs, statefulSetPods(b.Objects)...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	results, err := client.Apply(ctx, objs, kube.ApplyOptions{DryRun: true, Namespace: b.Namespace})
	if err != nil {
		t.Errorf("--env %s: the API server refused objects:\n%s", env, refusals(results))
	}
	for _, r := range results {
		if r.Err == nil {
			accepted[r.Ref.Kind]++
		}
	}
}

// statefulSetPods builds pod 0 of every StatefulSet as its controller would
// (name, hostname, the pod-name and revision labels). The API server checks
// little of a StatefulSet's pod template (environment variable names not at
// all), and a pod it later refuses never exists: dry-running the pod is
// what shows it.
func statefulSetPods(objects []convert.Object) []runtime.Object {
	var out []runtime.Object
	for _, o := range objects {
		sts, ok := o.(*appsv1.StatefulSet)
		if !ok {
			continue
		}
		name := sts.Name + "-0"
		pod := &corev1.Pod{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: *sts.Spec.Template.ObjectMeta.DeepCopy(),
			Spec:       *sts.Spec.Template.Spec.DeepCopy(),
		}
		pod.Name, pod.Namespace = name, sts.Namespace
		pod.Labels["statefulset.kubernetes.io/pod-name"] = name
		pod.Labels["controller-revision-hash"] = sts.Name + "-5d8f7c9b6f" // the controller's "<name>-<10-character hash>"
		pod.Spec.Hostname, pod.Spec.Subdomain = name, sts.Spec.ServiceName
		for _, claim := range sts.Spec.VolumeClaimTemplates {
			pod.Spec.Volumes = append(pod.Spec.Volumes, corev1.Volume{Name: claim.Name, VolumeSource: corev1.VolumeSource{
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claim.Name + "-" + name}}})
		}
		out = append(out, pod)
	}
	return out
}

// kindCounts prints "123 objects: 40 Deployment, 2 HTTPRoute, ...".
func kindCounts(counts map[string]int) string {
	kinds := make([]string, 0, len(counts))
	for k := range counts {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	total := 0
	for i, k := range kinds {
		total += counts[k]
		kinds[i] = fmt.Sprintf("%d %s", counts[k], k)
	}
	return fmt.Sprintf("%d objects: %s", total, strings.Join(kinds, ", "))
}

func refusals(results []kube.ApplyResult) string {
	var sb strings.Builder
	for _, r := range results {
		switch {
		case r.Err == nil:
		case errors.Is(r.Err, kube.ErrUnknownKind):
			fmt.Fprintf(&sb, "  %s: the server does not serve this kind (a CRD missing from testdata/crds?): %v\n", r.Ref, r.Err)
		default:
			fmt.Fprintf(&sb, "  %s: %v\n", r.Ref, r.Err)
		}
	}
	return sb.String()
}
