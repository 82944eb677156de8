package render_test

import (
	"bytes"
	"testing"

	"berth/convert"
	"berth/render"
)

// TestObjectYAMLMatchesOldPath: the tree writer gives, for every object of
// every fixture and corpus case in every environment, the bytes the map
// path (JSON decoded into map[string]any, then written) gave.
func TestObjectYAMLMatchesOldPath(t *testing.T) {
	objects, tree := 0, 0
	for _, c := range allCases(t) {
		for _, env := range []string{"local", "prod"} {
			b := renderCase(t, c, env)
			for _, o := range b.Objects {
				objects++
				if render.TreeWrites(o) {
					tree++
				}
				compareOldPath(t, c.name+"/"+env, o)
			}
			var stream, old bytes.Buffer
			if err := render.WriteStream(&stream, b.Objects); err != nil {
				t.Fatal(err)
			}
			for i, o := range b.Objects {
				y, _ := render.OldObjectYAML(o)
				if i > 0 {
					old.WriteString("---\n")
				}
				old.Write(y)
			}
			if !bytes.Equal(stream.Bytes(), old.Bytes()) {
				t.Errorf("%s/%s: the stream differs from the old one", c.name, env)
			}
		}
	}
	if objects < 100 {
		t.Fatalf("only %d objects compared", objects)
	}
	t.Logf("%d objects identical, %d of them written from the JSON tree", objects, tree)
}

func compareOldPath(t *testing.T, name string, o convert.Object) {
	t.Helper()
	got, err := render.ObjectYAML(o)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	want, err := render.OldObjectYAML(o)
	if err != nil {
		t.Fatalf("%s: old path: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s %s %s: YAML differs from the old path\n got:\n%s\nwant:\n%s", name, convert.Kind(o), o.GetName(), got, want)
	}
}
