package render_test

import (
	"bytes"
	"testing"

	"berth/convert"
	"berth/render"
)

// TestTypedWriterMatchesJSONPath: for every object of every fixture and
// corpus case in every environment, the typed writer writes the bytes the
// JSON way writes, and it writes nearly all of them itself.
func TestTypedWriterMatchesJSONPath(t *testing.T) {
	objects, typed := 0, 0
	for _, c := range allCases(t) {
		for _, env := range []string{"local", "prod"} {
			for _, o := range renderCase(t, c, env).Objects {
				objects++
				if render.TypedWrites(o) {
					typed++
				} else {
					t.Logf("%s/%s: %s %s goes the JSON way", c.name, env, convert.Kind(o), o.GetName())
				}
				sameAsJSONPath(t, c.name+"/"+env, o)
			}
		}
	}
	if objects < 100 || typed < objects*9/10 {
		t.Fatalf("the typed writer wrote %d of %d objects", typed, objects)
	}
	t.Logf("%d objects identical, %d of them written by the typed writer", objects, typed)
}

func sameAsJSONPath(t *testing.T, name string, o convert.Object) {
	t.Helper()
	got, gerr := render.ObjectYAML(o)
	want, werr := render.JSONObjectYAML(o)
	if (gerr == nil) != (werr == nil) || !bytes.Equal(got, want) {
		t.Errorf("%s %s %s: typed YAML differs from the JSON way (%v, %v)\n got:\n%s\nwant:\n%s",
			name, convert.Kind(o), o.GetName(), gerr, werr, got, want)
	}
}
