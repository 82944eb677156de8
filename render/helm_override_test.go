package render_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"berth/render"
)

// TestHelmValuesDriveTheTemplates sets every value of each fixture's prod
// chart to a token and renders it: every token must show in the output (no
// value is dead), and prod's host names and TLS Secrets must be gone (every
// place that shows them reads values.yaml).
func TestHelmValuesDriveTheTemplates(t *testing.T) {
	for _, tc := range fixtureCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := renderCase(t, tc, "prod")
			dir := t.TempDir()
			if _, err := render.Helm(dir, b, render.HelmChart{}); err != nil {
				t.Fatal(err)
			}
			tokens := map[string]string{}
			edited := editLeaves(readValues(t, dir), nil, tokens).(map[string]any)
			var sb strings.Builder
			for _, text := range helmRender(t, dir, edited) {
				sb.WriteString(text)
			}
			out := sb.String()
			for _, p := range sortedKeys(tokens) {
				if !strings.Contains(out, tokens[p]) {
					t.Errorf("%s set to %s: the chart's output does not show it", p, tokens[p])
				}
			}
			for _, name := range exposedNames(t, b) {
				if strings.Contains(out, name) {
					t.Errorf("%q is still rendered after every value was changed", name)
				}
			}
		})
	}
}

// editLeaves returns v with every leaf replaced by a token (a number for
// numbers), recording path → token text; an empty map (resources not set)
// gets a CPU limit.
func editLeaves(v any, p []string, tokens map[string]string) any {
	key := strings.Join(p, ".")
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			tok := fmt.Sprintf("knob%dz", len(tokens))
			tokens[key] = tok
			return map[string]any{"limits": map[string]any{"cpu": tok}}
		}
		out := map[string]any{}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same tokens every run
		for _, k := range keys {
			out[k] = editLeaves(x[k], append(p[:len(p):len(p)], k), tokens)
		}
		return out
	case float64, int, int64:
		n := 9170000 + len(tokens)
		tokens[key] = fmt.Sprint(n)
		return n
	}
	tok := fmt.Sprintf("knob%dz", len(tokens))
	tokens[key] = tok
	return tok
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
