package render_test

import (
	"bytes"
	"testing"

	"berth/convert"
	"berth/render"

	"sigs.k8s.io/yaml"
)

// TestObjectYAMLMatchesSigsYAML proves the fast serialiser byte-identical
// to sigs.k8s.io/yaml (JSON, parsed with yaml.v2, marshalled with yaml.v2)
// on every object of every fixture and corpus case, in every environment.
func TestObjectYAMLMatchesSigsYAML(t *testing.T) {
	objects := 0
	for _, c := range allCases(t) {
		l, err := c.load()
		if err != nil {
			t.Fatalf("%s: load: %v", c.name, err)
		}
		for _, env := range []string{"local", "prod"} {
			opts := l.Options()
			opts.Env = env
			b, err := convert.Convert(l.Project, opts)
			if err != nil {
				t.Fatalf("%s/%s: convert: %v", c.name, env, err)
			}
			for _, o := range b.Objects {
				objects++
				got, err := render.ObjectYAML(o)
				if err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				m, err := render.ToMap(o)
				if err != nil {
					t.Fatal(err)
				}
				want, err := yaml.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s/%s %s %s: fast YAML differs\n got:\n%s\nwant:\n%s", c.name, env, convert.Kind(o), o.GetName(), got, want)
				}
			}
		}
	}
	if objects < 100 {
		t.Fatalf("only %d objects compared", objects)
	}
	t.Logf("%d objects identical", objects)
}
