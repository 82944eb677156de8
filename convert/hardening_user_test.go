package convert

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// TestImageUserHardening: Convert uses the image users it is given (Load
// reads them; Convert reads nothing) as it uses compose's `user:`.
func TestImageUserHardening(t *testing.T) {
	t.Parallel()
	const compose = `
services:
  num: {build: ., image: num}
  group: {build: ., image: group}
  named: {build: ., image: named}
  root: {build: ., image: root}
  huge: {build: ., image: huge}
  composewins: {build: ., image: cw, user: "0"}
  pulled: {image: busybox}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(context.Background(), LoadOptions{ProjectDir: dir, ProjectName: "t", Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	o := l.Options()
	o.ImageUsers = map[string]ImageUser{
		"num": {User: "1000:3000", Dockerfile: InlineDockerfile, Line: 2}, "group": {User: "1000:staff"}, "named": {User: "app"},
		"root": {User: "0:0"}, "huge": {User: "4294967296"}, "composewins": {User: "1000"}, "pulled": {User: "1000"},
	}
	b, err := Convert(l.Project, o)
	if err != nil {
		t.Fatal(err)
	}
	sc := func(name string) *corev1.SecurityContext {
		return find[*appsv1.Deployment](t, b, name).Spec.Template.Spec.Containers[0].SecurityContext
	}
	if s := sc("num"); s.RunAsNonRoot == nil || *s.RunAsUser != 1000 || *s.RunAsGroup != 3000 || s.Capabilities.Drop[0] != "ALL" {
		t.Errorf("num (USER 1000:3000): %+v", s)
	}
	// runAsUser alone would change the group the image names: leave both to the image.
	if s := sc("group"); s.RunAsNonRoot == nil || s.RunAsUser != nil || s.RunAsGroup != nil {
		t.Errorf("group (USER 1000:staff): %+v", s)
	}
	for _, name := range []string{"named", "root", "huge", "composewins", "pulled"} {
		if s := sc(name); s.RunAsNonRoot != nil || (s.RunAsUser != nil && *s.RunAsUser != 0) {
			t.Errorf("%s must not run as non-root: %+v", name, s)
		}
	}
	for _, note := range []string{`the image runs as user "app"`, "runs as root (USER 0:0", "USER 4294967296", "uid 1000:3000 (non-root, USER in dockerfile_inline:2)"} {
		if !hasNote(b, note) {
			t.Errorf("no note %q in %v", note, b.Report.Notes)
		}
	}
}

func find[T Object](t *testing.T, b *Bundle, name string) T {
	t.Helper()
	for _, o := range b.Objects {
		if v, ok := o.(T); ok && o.GetName() == name {
			return v
		}
	}
	var zero T
	t.Fatalf("no %T %s", zero, name)
	return zero
}
