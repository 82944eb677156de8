package render_test

import (
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"berth/convert"
	"berth/render"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// TestKustomizeOverlaysRenderEachEnvironment builds every overlay with
// Kustomize's own library: each must equal `convert --env <env>`, and the
// base must hold no object that differs between environments outside knobs.
func TestKustomizeOverlaysRenderEachEnvironment(t *testing.T) {
	for _, tc := range allCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			envs := map[string]*convert.Bundle{"local": renderCase(t, tc, "local"), "prod": renderCase(t, tc, "prod")}
			dir := t.TempDir()
			if _, err := render.Kustomize(dir, envs); err != nil {
				t.Fatal(err)
			}
			for name, b := range envs {
				got := kustomizeBuild(t, filepath.Join(dir, "overlays", name))
				compareObjects(t, objectMaps(t, b.Objects), got)
			}
			checkPatchesTouchOnlyKnobs(t, dir)
		})
	}
}

func kustomizeBuild(t *testing.T, dir string) map[string]map[string]any {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out := map[string]map[string]any{}
	for _, r := range rm.Resources() {
		m, err := r.Map()
		if err != nil {
			t.Fatal(err)
		}
		out[refOf(m)] = m
	}
	return out
}

// checkPatchesTouchOnlyKnobs reads the prod overlay's patches: every path
// must be a knob field of its kind (list items may appear by index).
func checkPatchesTouchOnlyKnobs(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "overlays", "prod", "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var k struct {
		Patches []struct {
			Target struct{ Kind string }
			Patch  string
		}
	}
	if err := yaml.Unmarshal(data, &k); err != nil {
		t.Fatal(err)
	}
	for _, p := range k.Patches {
		var ops []struct{ Path string }
		if err := yaml.Unmarshal([]byte(p.Patch), &ops); err != nil {
			t.Fatal(err)
		}
		for _, op := range ops {
			if !isKnobPointer(p.Target.Kind, op.Path) {
				t.Errorf("%s patch touches %s, which is no knob", p.Target.Kind, op.Path)
			}
		}
	}
}

// isKnobPointer matches a JSON pointer against the kind's knob paths, where
// a named list item may be addressed by its index.
func isKnobPointer(kind, pointer string) bool {
	segs := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	for _, kp := range convert.KnobPaths[kind] {
		if len(segs) < len(kp.Segments) {
			continue
		}
		ok := true
		for i, pat := range kp.Segments {
			matched, _ := path.Match(pat, segs[i])
			if _, err := strconv.Atoi(segs[i]); err == nil && i > 0 {
				matched = true // a list item by index
			}
			ok = ok && matched
		}
		if ok {
			return true
		}
	}
	return false
}
