package convert

import (
	"sort"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/tree"
	"github.com/compose-spec/compose-go/v2/types"
)

// composeCastPatterns is compose-go's own table of interpolation casts,
// the largest of the pattern maps its loader looks paths up in.
func composeCastPatterns(t testing.TB) []tree.Path {
	t.Helper()
	o := loader.ToOptions(&types.ConfigDetails{}, nil)
	if o.Interpolate == nil || len(o.Interpolate.TypeCastMapping) < 50 {
		t.Fatal("compose-go's cast table is not where berth expects it")
	}
	var out []tree.Path
	for p := range o.Interpolate.TypeCastMapping {
		out = append(out, p)
	}
	return append(out, "services.*.ports.*", "a.*", "*.b", "*", "a.*.c", "a.b.*")
}

// linearMatch is what compose-go did before the index: try every
// pattern (here in sorted order, the index's tie rule).
func linearMatch(patterns []tree.Path, p tree.Path) (tree.Path, bool) {
	sorted := append([]tree.Path(nil), patterns...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for _, pattern := range sorted {
		if p.Matches(pattern) {
			return pattern, true
		}
	}
	return "", false
}

// FuzzPatternIndexMatchesLinear: for any path, the index finds the
// pattern a linear scan finds (third_party/compose-go/BERTH.md).
func FuzzPatternIndexMatchesLinear(f *testing.F) {
	patterns := composeCastPatterns(f)
	byPattern := map[tree.Path]tree.Path{}
	for _, p := range patterns {
		byPattern[p] = p
	}
	index := tree.NewPatternIndex(byPattern)
	for _, p := range append(patterns, "services.web.deploy.replicas", "services.web.ports.[].published", "", "a", "a.b", "a.b.c", "x.b", "services.web.ports.0") {
		f.Add(strings.ReplaceAll(string(p), "*", "web"))
	}
	f.Fuzz(func(t *testing.T, path string) {
		got, gotOK := index.Match(tree.Path(path))
		want, wantOK := linearMatch(patterns, tree.Path(path))
		if got != want || gotOK != wantOK {
			t.Fatalf("index.Match(%q) = %q, %v; a linear scan gives %q, %v", path, got, gotOK, want, wantOK)
		}
	})
}
