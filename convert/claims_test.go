package convert_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"berth/convert"

	appsv1 "k8s.io/api/apps/v1"
)

// TestClaimTemplatesDoNotChangeWithContent: a StatefulSet's
// volumeClaimTemplates are immutable, so an edit elsewhere in the compose
// file must leave them byte for byte as they were, or the next apply fails.
func TestClaimTemplatesDoNotChangeWithContent(t *testing.T) {
	render := func(extra string) []appsv1.StatefulSet {
		dir := t.TempDir()
		compose := "services:\n  db:\n    image: postgres:15\n    volumes: [data:/var/lib/postgresql/data]\n" + extra + "volumes:\n  data: {}\n"
		if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{filepath.Join(dir, "compose.yaml")}, ProjectName: "p", Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		o := l.Options()
		o.GitCommit = "c-" + extra
		b, err := convert.Convert(l.Project, o)
		if err != nil {
			t.Fatal(err)
		}
		var out []appsv1.StatefulSet
		for _, obj := range b.Objects {
			if st, ok := obj.(*appsv1.StatefulSet); ok {
				out = append(out, *st)
			}
		}
		return out
	}
	a, b := render(""), render("  web:\n    image: nginx\n")
	if len(a) != 1 || len(b) != 1 {
		t.Fatalf("want one StatefulSet each, got %d and %d", len(a), len(b))
	}
	if a[0].Annotations[convert.AnnotationComposeHash] == b[0].Annotations[convert.AnnotationComposeHash] {
		t.Fatal("the two projects should hash differently")
	}
	if !reflect.DeepEqual(a[0].Spec.VolumeClaimTemplates, b[0].Spec.VolumeClaimTemplates) {
		t.Fatalf("claim templates changed with the content:\n%+v\n%+v", a[0].Spec.VolumeClaimTemplates, b[0].Spec.VolumeClaimTemplates)
	}
}
