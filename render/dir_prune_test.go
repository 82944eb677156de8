package render_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"berth/convert"
	"berth/render"
)

// TestDirRemovesStaleServiceFiles writes a project with -o DIR, removes a
// service and writes again: the removed service's file goes, a hand-written
// file stays.
func TestDirRemovesStaleServiceFiles(t *testing.T) {
	t.Parallel()
	project := t.TempDir()
	out := t.TempDir()
	write := func(compose string) []string {
		t.Helper()
		file := filepath.Join(project, "compose.yaml")
		if err := os.WriteFile(file, []byte(compose), 0o644); err != nil {
			t.Fatal(err)
		}
		l, err := convert.Load(context.Background(), convert.LoadOptions{Files: []string{file}, ProjectName: "p", Environ: []string{}})
		if err != nil {
			t.Fatal(err)
		}
		b, err := convert.Convert(l.Project, l.Options())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := render.Dir(out, b.Objects); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(out)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	write("services:\n  web:\n    image: nginx\n    ports: [\"80\"]\n  worker:\n    image: busybox\n")
	mine := []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mine\n")
	if err := os.WriteFile(filepath.Join(out, "mine.yaml"), mine, 0o644); err != nil {
		t.Fatal(err)
	}
	got := write("services:\n  web:\n    image: nginx\n    ports: [\"80\"]\n")
	if slices.Contains(got, "worker.yaml") {
		t.Errorf("worker.yaml of the removed service is still there: %v", got)
	}
	for _, want := range []string{"web.yaml", "shared.yaml", "mine.yaml"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s is missing: %v", want, got)
		}
	}
}
