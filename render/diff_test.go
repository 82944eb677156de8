package render_test

import (
	"strings"
	"testing"

	"berth/convert"
	"berth/render"
)

// TestLocalProdDifferOnlyInKnobs proves, on every fixture and corpus case,
// that every field where local and prod (and any declared environment)
// differ is a declared knob.
func TestLocalProdDifferOnlyInKnobs(t *testing.T) {
	for _, tc := range allCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := tc.load()
			if err != nil {
				t.Fatal(err)
			}
			local := renderCase(t, tc, "local")
			for _, env := range convert.EnvironmentNames(l.Project.Extensions) {
				other := renderCase(t, tc, env)
				diffs, err := render.Diff(local.Objects, other.Objects)
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range render.KnobViolations(diffs) {
					t.Errorf("local → %s: %s", env, v)
				}
			}
		})
	}
}

// TestKnobViolationsCatchNonKnobs makes sure the check above can fail.
func TestKnobViolationsCatchNonKnobs(t *testing.T) {
	tc := allCases(t)[0]
	a, b := renderCase(t, tc, "local"), renderCase(t, tc, "local")
	b.Objects[0].SetLabels(map[string]string{"changed": "yes"})
	diffs, err := render.Diff(a.Objects, b.Objects)
	if err != nil {
		t.Fatal(err)
	}
	v := render.KnobViolations(diffs)
	if len(v) == 0 || !strings.Contains(v[0], "metadata.labels") {
		t.Fatalf("a changed label was not reported: %v", v)
	}
	var out strings.Builder
	render.WriteDiff(&out, "a", "b", diffs)
	if !strings.Contains(out.String(), "~ Namespace") || !strings.Contains(out.String(), "metadata.labels.changed: (absent) → \"yes\"   [NOT A KNOB]") {
		t.Fatalf("diff output:\n%s", out.String())
	}
}
