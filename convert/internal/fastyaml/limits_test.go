package fastyaml

import (
	"strings"
	"testing"
)

// TestLongAndDeep checks sizes where YAML parsers have limits: a key longer
// than libyaml's historical 1024-character simple key limit, a long value,
// and nesting deeper than maxDepth, which is declined rather than risking
// the stack.
func TestLongAndDeep(t *testing.T) {
	long := "k" + strings.Repeat("x", 2000) + ": " + strings.Repeat("v", 100000) + "\n"
	if root, ok := Parse([]byte(long)); !ok {
		t.Error("declined a long key and value")
	} else {
		checkAgainstYAMLv4(t, []byte(long), root)
	}
	var nested strings.Builder
	for i := 0; i < 100; i++ {
		nested.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	if root, ok := Parse([]byte(nested.String())); !ok {
		t.Error("declined 100 nested mappings")
	} else {
		checkAgainstYAMLv4(t, []byte(nested.String()), root)
	}
	deepFlow := "k: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	if _, ok := Parse([]byte(deepFlow)); ok {
		t.Error("accepted flow collections nested beyond maxDepth")
	}
}
