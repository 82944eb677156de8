package kube

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
)

func toU(t *testing.T, obj runtime.Object) *unstructured.Unstructured {
	t.Helper()
	u, err := ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// liveCopy dresses u up as the API server returns it.
func liveCopy(u *unstructured.Unstructured) *unstructured.Unstructured {
	l := u.DeepCopy()
	l.SetResourceVersion("4711")
	l.SetUID("0b6c2f1e")
	l.SetGeneration(3)
	l.SetCreationTimestamp(metav1.Now())
	l.SetManagedFields([]metav1.ManagedFieldsEntry{{Manager: "berth", Operation: metav1.ManagedFieldsOperationApply}})
	l.SetAnnotations(map[string]string{"deployment.kubernetes.io/revision": "2"})
	_ = unstructured.SetNestedField(l.Object, int64(1), "status", "readyReplicas")
	return l
}

func TestFieldDiffIgnoresServerSetFields(t *testing.T) {
	desired := toU(t, deployment("web", labelled("shop", "shop"), "web:1"))
	if got := FieldDiff(liveCopy(desired), desired); len(got) != 0 {
		t.Fatalf("want no changes, got %v", got)
	}
}

func TestFieldDiffNamesTheChangedContainerField(t *testing.T) {
	live := liveCopy(toU(t, deployment("web", labelled("shop", "shop"), "web:1")))
	desired := toU(t, deployment("web", labelled("shop", "shop"), "web:2"))
	got := FieldDiff(live, desired)
	if len(got) != 1 {
		t.Fatalf("want one change, got %v", got)
	}
	want := `spec.template.spec.containers[name=web].image: "web:1" -> "web:2"`
	if got[0].String() != want {
		t.Fatalf("got %q, want %q", got[0].String(), want)
	}
}

func TestFieldDiffAddedLabelAndListItem(t *testing.T) {
	a := toU(t, deployment("web", labelled("shop", "shop"), "web:1"))
	d := deployment("web", labelled("shop", "shop"), "web:1")
	d.Labels["app.kubernetes.io/version"] = "2"
	d.Spec.Template.Spec.Containers = append(d.Spec.Template.Spec.Containers, corev1.Container{Name: "sidecar", Image: "s:1"})
	got := FieldDiff(a, toU(t, d))
	paths := make([]string, len(got))
	for i, c := range got {
		paths[i] = c.Path
	}
	want := []string{`metadata.labels."app.kubernetes.io/version"`, "spec.template.spec.containers[name=sidecar]"}
	if strings.Join(paths, ",") != strings.Join(want, ",") {
		t.Fatalf("paths %v, want %v", paths, want)
	}
	if got[1].Old != nil || got[1].New == nil {
		t.Fatalf("added container should have only New: %+v", got[1])
	}
}

func TestFieldDiffTreatsEmptyAndNumbersAlike(t *testing.T) {
	a := &unstructured.Unstructured{Object: map[string]any{"kind": "X", "spec": map[string]any{"n": int64(3), "m": map[string]any{}}}}
	b := &unstructured.Unstructured{Object: map[string]any{"kind": "X", "spec": map[string]any{"n": float64(3), "l": []any{}}}}
	if got := FieldDiff(a, b); len(got) != 0 {
		t.Fatalf("want equal, got %v", got)
	}
}

func TestFieldDiffRedactsSecretValues(t *testing.T) {
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "db", Namespace: "shop"}, Data: map[string][]byte{"password": []byte("hunter2")}}
	live := toU(t, s)
	s.Data["password"] = []byte("correct horse")
	got := FieldDiff(live, toU(t, s))
	if len(got) != 1 || got[0].Path != "data.password" {
		t.Fatalf("want one change of data.password, got %v", got)
	}
	text := got[0].String()
	if strings.Contains(text, "aHVudGVyMg") || strings.Contains(text, "hunter2") || !strings.Contains(text, Redacted) {
		t.Fatalf("secret value leaked or not redacted: %s", text)
	}
}

func TestToUnstructuredFillsTypeMeta(t *testing.T) {
	u := toU(t, configMap("cfg", labelled("shop", "shop")))
	if u.GetAPIVersion() != "v1" || u.GetKind() != "ConfigMap" {
		t.Fatalf("got %s %s", u.GetAPIVersion(), u.GetKind())
	}
	if _, found, _ := unstructured.NestedFieldNoCopy(u.Object, "metadata", "creationTimestamp"); found {
		t.Fatal("creationTimestamp: null must not reach an apply patch")
	}
	d := toU(t, deployment("web", labelled("shop", "shop"), "web:1"))
	if d.GetAPIVersion() != "apps/v1" || d.GetKind() != "Deployment" {
		t.Fatalf("got %s %s", d.GetAPIVersion(), d.GetKind())
	}
	if _, found, _ := unstructured.NestedFieldNoCopy(d.Object, "status"); found {
		t.Fatal("status must be dropped")
	}
}

func TestActionOf(t *testing.T) {
	desired := toU(t, configMap("cfg", labelled("shop", "shop")))
	live := liveCopy(desired)
	same := live.DeepCopy()
	bumped := live.DeepCopy()
	bumped.SetResourceVersion("4712")
	changed := live.DeepCopy()
	_ = unstructured.SetNestedField(changed.Object, "w", "data", "k")
	cases := []struct {
		name      string
		live, got *unstructured.Unstructured
		dry       bool
		want      Action
	}{
		{"absent", nil, desired, false, Created},
		{"same rv", live, same, false, Unchanged},
		{"new rv", live, bumped, false, Configured},
		{"dry same", live, same, true, Unchanged},
		{"dry changed", live, changed, true, Configured},
	}
	for _, c := range cases {
		if got := actionOf(c.live, c.got, c.dry); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}
