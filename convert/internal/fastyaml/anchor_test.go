package fastyaml

import (
	"strings"
	"testing"
)

// anchorCases are accepted, and checked against yaml.v4 (values and lines).
var anchorCases = []string{
	// Anchors on every kind of node, aliases in every place.
	"x: &a v\ny: *a\nz: [*a, *a]\nw: {k: *a}\nq:\n- *a\n",
	"x: &a\n  k: v\n  l: [1, 2]\ny: *a\n",
	"x: &a\n  - 1\n  - k: v\ny: *a\n",
	"x: &a\n- 1\ny: *a\n",
	"x: &a\ny: *a\n",
	"x: &a # c\n  k: v\ny: *a # c\n",
	"x: &a |\n  text\ny: *a\n",
	"x: &a {k: [1, {l: m}]}\ny:\n  *a\n",
	"x:\n- &a k: v\n  k2: v2\n- *a\n",
	"x:\n  &a k: v\n  &b k2: v2\ny: [*a, *b]\n",
	"x: &m\n  &k k: v\ny: [*m, *k]\n",
	"&a k: v\nk2: *a\n",
	"x:\n- &a\n  k: v\n- &b\n- *a\n- *b\n",
	"x: [&a 1, &b [2], &c {k: v}, *a, *b, *c]\n",
	"x: &a.b-c_D9 1\ny: *a.b-c_D9\n",
	// An anchor defined again: later aliases use the newest, even when the
	// newer one is nested in the older.
	"x: &a 1\ny: *a\nz: &a 2\nw: *a\n",
	"x: &a [&a 1, *a]\ny: *a\n",
	// Aliases of nodes holding aliases and merges.
	"a: &a {k: 1}\nb: &b {l: *a}\nc: &c {<<: *a, m: *b}\nd: [*c, *b]\n",
	// Merge keys.
	"b: &b {x: 1, y: 1}\nm: {<<: *b, x: 2}\n",
	"b: &b {x: 1, y: 1}\nm:\n  x: 2\n  <<: *b\n  z: 3\n",
	"a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<: [*a, *b]\n",
	"a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<: [*b, *a]\n",
	"a: &a {x: 1}\nb: &b {x: 2, y: 2}\nm:\n  <<:\n  - *a\n  - *b\n  - {z: 3, x: 3}\n",
	"m: {<<: {a: 1}, b: 2}\n",
	"m: {<<: [], b: 2}\n",
	"m: {<<: {}}\n",
	"m:\n  <<: &a {x: 1}\nn: *a\n",
	"m:\n  <<: &s [{x: 1}]\nn: *s\n",
	// Nested merges: a merged mapping's own keys win over its merges.
	"a: &a {x: 1, y: 1}\nb: &b {<<: *a, x: 2}\nm: {<<: *b, z: 3}\n",
	"m: {<<: [{<<: {a: 1}}, {a: 2, b: 2}]}\n",
	"m: {<<: {<<: {a: 1}, b: 2}, a: 3}\n",
	"a: &a {x: {<<: {q: 1}}}\nm: {<<: *a}\n",
	// The same key merged from several places, and a merge of a merge.
	"a: &a {k: 1}\nb: &b {<<: *a}\nc: &c {<<: [*b, *a]}\nm: {<<: [*c, *b, *a], k: 0}\n",
	// What compose files do.
	"x-common: &common\n  restart: always\n  environment: &env\n    A: 1\nservices:\n  web:\n    <<: *common\n    image: nginx\n    environment:\n      <<: *env\n      B: 2\n",
}

// anchorDeclined are declined: yaml.v4 rejects them, or they are outside
// the subset.
var anchorDeclined = []string{
	"x: *a\n",                          // undefined
	"x: *a\ny: &a 1\n",                 // alias before its anchor
	"x: &a [*a]\n",                     // inside its own node
	"x: &a 1\ny: &a [*a]\n",            // inside the newer node of that name
	"x: &a {k: *a}\n",                  // likewise
	"x: &a &b 1\n",                     // two anchors
	"x: &a *b\n",                       // an anchored alias
	"x: &a\n  *a\n",                    // likewise, on the next line
	"x: &a\n  &b 1\n",                  // two anchors, on two lines
	"x:\n- &a\n  &b [1]\n",             // likewise
	"x: &a b\n*a : 1\n",                // an alias as key
	"x: &a b\ny: {*a : 1}\n",           // likewise in flow
	"x: &a b\ny: *a: 1\n",              // likewise
	"x: - &a - 1\n",                    // not YAML
	"x:\n- &a - 1\n",                   // not YAML
	"x: &a k: v\n",                     // not YAML
	"x: &a a\ny: *a#c\n",               // the name is "a#c" for yaml.v4
	"x: &a# 1\n",                       // likewise
	"x: &a:b 1\n",                      // a name yaml.v4 ends at ':'
	"x: & 1\n",                         // no name
	"x: [&a , 1]\n",                    // an anchored empty entry
	"x:\n  &a\n  k: v\n",               // an anchor alone on the line of no key
	"&a\nk: v\n",                       // likewise
	"x: !reset []\n",                   // tags
	"x: !override [1]\n",               // tags
	"x: &a !t 1\n",                     // tags
	"s: &s [{x: 1}]\nm: {<<: *s}\n",    // merging an alias of a sequence
	"m: {<<: }\n",                      // merging null
	"m:\n  <<:\n",                      // likewise
	"m: {<<: 1}\n",                     // merging a scalar
	"s: &s 1\nm: {<<: *s}\n",           // likewise, through an alias
	"m: {<<: [[{x: 1}]]}\n",            // a nested sequence
	"m: {<<: [{x: 1}, 2]}\n",           // a scalar in the sequence
	"m: {<<: {a: 1}, <<: {b: 1}}\n",    // "<<" twice: a duplicate key
	"m:\n  <<: {a: 1}\n  <<: {b: 1}\n", // likewise
	"m: {a: 1, a: 2, <<: {b: 1}}\n",    // a duplicate key beside a merge
	"m: {'<<': {a: 1}}\n",              // a quoted "<<" is a plain key: rare
	"m: {\"<<\": 1, <<: {a: 1}}\n",     // a duplicate key for yaml.v4
	"m: <<\n",                          // "<<" as a value
	"m: [<<]\n",                        // likewise
	"m: {k: 1, <<: {k: {d: 1, d: 2}}}\n",
	"&a <<: {k: 1}\nx: *a\n",       // an anchor on a merge key
	"x: 1\n&a <<: {k: 1}\ny: *a\n", // likewise // yaml.v4 never decodes the duplicate; Parse still declines
}

func TestAnchorsMatchYAMLv4(t *testing.T) {
	for _, s := range anchorCases {
		root, ok := Parse([]byte(s))
		if !ok {
			t.Errorf("declined:\n%s", s)
			continue
		}
		checkAgainstYAMLv4(t, []byte(s), root)
	}
	for _, s := range anchorDeclined {
		if _, ok := Parse([]byte(s)); ok {
			t.Errorf("accepted:\n%s", s)
		}
	}
}

// TestMergeOrder checks the order of merged pairs and their lines, which
// yaml.v4's map does not show: own pairs first, then the merged mappings'
// pairs in order.
func TestMergeOrder(t *testing.T) {
	src := `a: &a {x: 1, y: 1}
b: &b
  y: 2
  z: 2
m:
  k: 0
  <<: [*a, *b]
  x: 0
`
	root, ok := Parse([]byte(src))
	if !ok {
		t.Fatal("declined")
	}
	m := lookup(t, &root, "m")
	var keys []string
	var lines []int
	for i := 0; i < len(m.Content); i += 2 {
		keys = append(keys, m.Content[i].Value+"="+m.Content[i+1].Value)
		lines = append(lines, m.Content[i].Line)
	}
	if got, want := strings.Join(keys, " "), "k=0 x=0 y=1 z=2"; got != want {
		t.Errorf("pairs %s, want %s", got, want)
	}
	if got, want := lines, []int{6, 8, 1, 4}; !equalInts(got, want) {
		t.Errorf("lines %v, want %v", got, want)
	}
	if m.Line != 6 {
		t.Errorf("mapping line %d, want 6", m.Line)
	}
}

// TestAliasLines checks the lines of an anchored node and of alias copies:
// the anchor's and the alias's, the children's own.
func TestAliasLines(t *testing.T) {
	src := "x: &a\n  k: v\ny: *a\n"
	root, ok := Parse([]byte(src))
	if !ok {
		t.Fatal("declined")
	}
	x, y := lookup(t, &root, "x"), lookup(t, &root, "y")
	if x.Line != 1 || y.Line != 3 || y.Content[0].Line != 2 {
		t.Errorf("lines: anchored %d (want 1), alias %d (want 3), its key %d (want 2)",
			x.Line, y.Line, y.Content[0].Line)
	}
	if &x.Content[0] != &y.Content[0] {
		t.Error("the alias copy does not share the anchored node's Content")
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
