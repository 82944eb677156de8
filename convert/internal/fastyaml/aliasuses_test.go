package fastyaml

import (
	"reflect"
	"testing"
)

// TestParseWithAliasesTellsUses checks the alias uses: their lines, merges
// included, and a redefined anchor counted as a new one.
func TestParseWithAliasesTellsUses(t *testing.T) {
	src := "x-a: &a {k: v}\n" + // 1
		"s:\n" + // 2
		"  one:\n" + // 3
		"    <<: *a\n" + // 4
		"    two: [*a, *a]\n" + // 5
		"x-b: &a 1\n" + // 6
		"x-c: *a\n" // 7
	_, uses, ok := ParseWithAliases([]byte(src))
	if !ok {
		t.Fatal("declined")
	}
	if len(uses) != 4 {
		t.Fatalf("uses = %+v, want 4", uses)
	}
	lines := []int{uses[0].Line, uses[1].Line, uses[2].Line, uses[3].Line}
	if !reflect.DeepEqual(lines, []int{4, 5, 5, 7}) {
		t.Errorf("lines = %v, want [4 5 5 7]", lines)
	}
	if uses[0].Anchor != uses[2].Anchor || uses[3].Anchor == uses[0].Anchor {
		t.Errorf("anchors = %+v: the first three use one anchor, the last its redefinition", uses)
	}
	if _, uses, _ := ParseWithAliases([]byte("a: 1\n")); len(uses) != 0 {
		t.Errorf("uses without aliases = %+v", uses)
	}
}
