package render

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v2"
)

// sameAsYAMLv2 checks that the writer either gives up or writes exactly
// what yaml.v2 writes for m, and reports whether it wrote it.
func sameAsYAMLv2(t *testing.T, m map[string]any) bool {
	t.Helper()
	want, err := yaml.Marshal(m)
	if err != nil {
		return false
	}
	got, err := newYAMLWriter().object(m)
	if err != nil {
		return false
	}
	if string(got) != string(want) {
		t.Fatalf("writer differs from yaml.v2 for %#v\n got:\n%s\nwant:\n%s", m, got, want)
	}
	return true
}

func TestYAMLWriterMatchesYAMLv2(t *testing.T) {
	long := strings.Repeat("word ", 20)
	cases := []map[string]any{
		{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "web", "labels": map[string]any{"app.kubernetes.io/name": "web"}},
			"spec": map[string]any{"replicas": int64(2), "template": map[string]any{"spec": map[string]any{"containers": []any{
				map[string]any{"name": "web", "image": "nginx:1.27", "args": []any{"-c", "echo hi", "0", "on", "", "1:20", "x: y"}, "ports": []any{map[string]any{"containerPort": int64(80)}}},
			}}}}},
		{"a": []any{[]any{"x", map[string]any{"b": nil}}, []any{}, map[string]any{}, true, 1.5, -0.25, 1e21}},
		{"k10": 1.0, "k9": "x", "k09": "y", "K": "z", "_": "u", "1": "one", "a-b": "v", "a.b": "w", "a0b": "n"},
		{"short": "a b c", "x": map[string]any{"y": map[string]any{"z": long}}},
		{"multi": "line one\nline two\n"},
		{"fold": map[string]any{"plain": strings.Repeat("until nc -w 2 svc 8080; do sleep 1; ", 4), "single": "- " + strings.Repeat("it's a test ", 12),
			"list": []any{strings.Repeat("word ", 30), []any{strings.Repeat("deep  er ", 20)}}}},
		{"quote": "it's \"quoted\"", "tab": "a\tb", "hash": "a #b", "colon": "a:b", "unicode": "é ü"},
	}
	wrote := 0
	for _, m := range cases {
		if sameAsYAMLv2(t, m) {
			wrote++
		}
	}
	if wrote < len(cases)-1 { // only the literal block is left to yaml.v2
		t.Fatalf("the writer wrote only %d of %d cases itself", wrote, len(cases))
	}
}

// FuzzYAMLWriter: for any strings and numbers, in keys and values, at any
// depth, the writer gives up or writes what yaml.v2 writes.
func FuzzYAMLWriter(f *testing.F) {
	for _, s := range []string{"web", "0", "on", "a b", "- x", "x: y", "é", " ", "a\nb", "#", "'", "\"", "1e3", "~", "null", "0x1F", strings.Repeat("ab ", 40),
		"- " + strings.Repeat("it's  a ", 15), strings.Repeat("x", 75) + " y z", "a: " + strings.Repeat("é ", 50), strings.Repeat(" q", 45)} {
		f.Add(s, s+"k", int64(len(s)), float64(len(s))/3)
	}
	f.Fuzz(func(t *testing.T, a, b string, n int64, x float64) {
		sameAsYAMLv2(t, map[string]any{
			a: b, b: []any{a, n, x, map[string]any{a: []any{b}, "k": map[string]any{b: a}}},
			"nested": map[string]any{"deeper": map[string]any{"deepest": []any{map[string]any{a: b}}}, a: x},
		})
	})
}
