package promote

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"berth/convert"
	"berth/internal/kube"
	"berth/internal/kube/kubetest"
	"berth/store"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestGateTested(t *testing.T) {
	run := store.Run{ID: 4, ComposeHash: "aaaa", GitCommit: "c1", Started: time.Now()}
	notFound := fmt.Errorf("x: %w", store.ErrNotFound)
	cases := []struct {
		name         string
		hash, commit string
		run          store.Run
		err          error
		allow        bool
		ok, blocks   bool
		want         string
	}{
		{"same content and commit", "aaaa", "c1", run, nil, false, true, false, "ran locally"},
		{"never ran", "aaaa", "c1", store.Run{}, notFound, false, false, true, "never ran locally"},
		{"other content", "bbbb", "c1", run, nil, false, false, true, "not what last ran locally"},
		{"other commit", "aaaa", "c2", run, nil, false, false, true, "git commit (c2)"},
		{"other content, allowed", "bbbb", "c1", run, nil, true, false, false, "not what last ran locally"},
		{"store error", "aaaa", "c1", store.Run{}, errors.New("disk"), false, false, true, "cannot read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := gateTested(tc.hash, tc.commit, tc.run, tc.err, tc.allow)
			if v.OK != tc.ok || v.blocks() != tc.blocks || !strings.Contains(v.Message, tc.want) {
				t.Errorf("verdict %+v, want ok=%v blocks=%v message with %q", v, tc.ok, tc.blocks, tc.want)
			}
			if v.Flag != "--allow-untested" {
				t.Errorf("flag %q", v.Flag)
			}
		})
	}
}

func TestGateDataLoss(t *testing.T) {
	withClaims := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "shop"}}
	withClaims.Spec.VolumeClaimTemplates = []corev1.PersistentVolumeClaim{{ObjectMeta: metav1.ObjectMeta{Name: "data"}}}
	noClaims := &appsv1.StatefulSet{ObjectMeta: metav1.ObjectMeta{Name: "cache", Namespace: "shop"}}
	client := kube.NewClientFromParts(kubetest.Typed(fake.NewSimpleClientset(withClaims, noClaims)), nil, nil)
	ref := func(kind, name string) kube.ObjectRef {
		return kube.ObjectRef{Kind: kind, Namespace: "shop", Name: name}
	}
	cases := []struct {
		name    string
		pruned  []kube.ObjectRef
		replace []Replacement
		allow   bool
		blocks  bool
		want    string
	}{
		{"nothing pruned", nil, nil, false, false, "no volume"},
		{"a Deployment pruned", []kube.ObjectRef{ref("Deployment", "web")}, nil, false, false, "no volume"},
		{"a PVC pruned", []kube.ObjectRef{ref("PersistentVolumeClaim", "data")}, nil, false, true, "PersistentVolumeClaim/shop/data would be deleted"},
		{"a StatefulSet with volumes pruned", []kube.ObjectRef{ref("StatefulSet", "db")}, nil, false, true, "StatefulSet/shop/db (with volume claim templates)"},
		{"a StatefulSet without volumes pruned", []kube.ObjectRef{ref("StatefulSet", "cache")}, nil, false, false, "no volume"},
		{"a StatefulSet replaced", nil, []Replacement{{Ref: ref("StatefulSet", "db"), Why: "spec: Forbidden", DataLoss: true}}, false, true, "would be replaced"},
		{"a Job replaced", nil, []Replacement{{Ref: ref("Job", "migrate"), Why: "immutable"}}, false, false, "no volume"},
		{"a PVC pruned, allowed", []kube.ObjectRef{ref("PersistentVolumeClaim", "data")}, nil, true, false, "would be deleted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &Plan{client: client, Namespace: "shop", Pruned: tc.pruned, Replace: tc.replace}
			v := gateDataLoss(p, tc.allow)
			if v.blocks() != tc.blocks || !strings.Contains(v.Message, tc.want) {
				t.Errorf("verdict %+v, want blocks=%v message with %q", v, tc.blocks, tc.want)
			}
		})
	}
}

func TestGateLocalCluster(t *testing.T) {
	cases := []struct {
		name, context string
		kindNodes     []string
		allow         bool
		blocks        bool
	}{
		{"production context", "prod-eu", nil, false, false},
		{"kind-berth context", "kind-berth", nil, false, true},
		{"a kind node", "my-ctx", []string{"berth-control-plane"}, false, true},
		{"kind-berth, allowed", "kind-berth", nil, true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := gateLocalCluster(tc.context, "https://127.0.0.1:6443", tc.kindNodes, tc.allow)
			if v.blocks() != tc.blocks || v.Flag != "--allow-local-cluster" {
				t.Errorf("verdict %+v, want blocks=%v", v, tc.blocks)
			}
		})
	}
}

func TestGateSecretsAndRefusal(t *testing.T) {
	p := &Plan{Gates: []Verdict{
		gateSecrets([]string{"Secret web-env key API_TOKEN has no value in its source and none in the target"}, false),
		gateSecrets(nil, false),
	}}
	err := p.Refusal()
	if !errors.Is(err, ErrRefused) || !strings.Contains(err.Error(), "API_TOKEN") || !strings.Contains(err.Error(), "--allow-missing-secrets") {
		t.Fatalf("refusal = %v, want ErrRefused naming the key and the flag", err)
	}
	p.Gates[0] = gateSecrets([]string{"x"}, true)
	if err := p.Refusal(); err != nil {
		t.Errorf("overridden gate still refuses: %v", err)
	}
}

func TestSecretValuesNeverPrinted(t *testing.T) {
	sec := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "web-env", Namespace: "shop", Annotations: map[string]string{convert.AnnotationSecretValues: "omitted"}},
		StringData: map[string]string{"API_TOKEN": ""}}
	sec.SetGroupVersionKind(corev1.SchemeGroupVersion.WithKind("Secret"))
	p := &Plan{Project: "shop", Namespace: "shop", Objects: []convert.Object{sec}, secrets: secretValues{"web-env": {"API_TOKEN": "hunter2-very-secret"}}}
	if err := p.manifests(); err != nil {
		t.Fatal(err)
	}
	filled := p.withSecretValues(p.Objects)[0].(*corev1.Secret)
	if filled.StringData["API_TOKEN"] != "hunter2-very-secret" {
		t.Errorf("applied Secret lacks its value: %v", filled.StringData)
	}
	var out bytes.Buffer
	p.Print(&out)
	for what, text := range map[string]string{"manifests": string(p.Manifests), "plan": out.String()} {
		if strings.Contains(text, "hunter2") {
			t.Errorf("%s hold the secret value", what)
		}
	}
	if sec.StringData["API_TOKEN"] != "" {
		t.Error("filling values changed the rendered Secret")
	}
}

func TestSecretRefs(t *testing.T) {
	opt := true
	d := deployment("web", "busybox", "web:1")
	c := &d.Spec.Template.Spec.Containers[0]
	c.Env = []corev1.EnvVar{
		{Name: "A", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "needed"}, Key: "k"}}},
		{Name: "B", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "optional"}, Key: "k", Optional: &opt}}},
	}
	d.Spec.Template.Spec.Volumes = []corev1.Volume{{Name: "s", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "mounted"}}}}
	d.SetGroupVersionKind(appsv1.SchemeGroupVersion.WithKind("Deployment"))
	refs := secretRefs(d)
	if _, ok := refs["needed"]; !ok {
		t.Error("secretKeyRef not found")
	}
	if _, ok := refs["mounted"]; !ok {
		t.Error("secret volume not found")
	}
	if _, ok := refs["optional"]; ok {
		t.Error("optional reference counted as needed")
	}
}
