package convert

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/tree"
)

// splitMatches is compose-go's own Path.Matches, which third_party/compose-go
// replaces with one that does not allocate (see its BERTH.md).
func splitMatches(p, pattern string) bool {
	parts, patternParts := strings.Split(p, "."), strings.Split(pattern, ".")
	if len(parts) != len(patternParts) {
		return false
	}
	for i, part := range parts {
		if patternParts[i] != tree.PathMatchAll && patternParts[i] != part {
			return false
		}
	}
	return true
}

func FuzzPathMatchesAsUpstream(f *testing.F) {
	for _, c := range [][2]string{
		{"services.web.ports", "services.*.ports"}, {"services.web", "services.*.ports"},
		{"services.web.ports.0", "services.*.ports"}, {"", ""}, {"", "*"}, {"a..b", "a.*.b"},
		{"services.*.x", "services.*.x"}, {"a.b.", "a.b.*"}, {".", "*.*"},
	} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, p, pattern string) {
		if got, want := tree.Path(p).Matches(tree.Path(pattern)), splitMatches(p, pattern); got != want {
			t.Fatalf("Path(%q).Matches(%q) = %v, upstream gives %v", p, pattern, got, want)
		}
	})
}
