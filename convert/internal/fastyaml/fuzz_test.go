package fastyaml

import (
	"os"
	"strings"
	"testing"
)

// trickySnippets seed the fuzz test with the constructs where a small
// parser most easily differs from yaml.v4.
var trickySnippets = []string{
	"a: 1\nb: -1\nc: 0.5\nd: 10000\ne: 0755\nf: 0x1F\ng: 1_000\nh: 1e3\ni: .5\nj: +1\n",
	"a: true\nb: True\nc: TRUE\nd: yes\ne: no\nf: on\ng: off\nh: ~\ni: null\nj: Null\nk:\n",
	"a: .inf\nb: -.inf\nc: .nan\nd: -0\ne: -0.0\nf: 1.\ng: 99999999999999999999\nh: 9223372036854775808\n",
	"a: 2024-01-01\nb: 2001-12-14t21:59:43.10-05:00\nc: 1000-2000\nd: 8080:80\ne: 10s\nf: 256M\n",
	"a: http://x:8080/y # comment\nb: a#b\nc: a :b\nd: ${VAR:-default}\ne: 'it''s'\nf: \"\\x41\\u00e9\\U0001F600\\n\\t\"\n",
	"a: \"\\/\"\nb: \"\\N\\_\\L\\P\\e\\0\"\nc: \"\\ud800\"\n",
	"services:\n  web:\n    image: nginx\n    ports:\n    - \"80:80\"\n    - 443:443\n    command: [\"CMD\", \"curl\"]\n",
	"a:\n  - b: 1\n    c: 2\n  - - x\n    - y\n  -\n  - z\n",
	"a: {cpus: \"0.5\", memory: 256M}\nb: {}\nc: []\nd: [a, [b, {c: d}]]\n",
	"a: [\n  x,\n  y, # c\n]\nb: {x: 1,\n  y: 2}\n",
	"a: [x\n  y]\nb: [x:y]\nc: [x:]\nd: {x: b:c}\n",
	"a: |\n  line1\n  line2\nb: |-\n  x\n\nc: |+\n  x\n\n\nd: >\n  a\n  b\n\n  c\n   d\n  e\ne: >-\n  x\n",
	"a: |\n\n   x\n  y\nb: |\nc: >\n\n",
	"- a\n- b\n",
	"a\n",
	"---\na: 1\n",
	"--- # c\na: 1\n...\n",
	"a: 1\n---\nb: 2\n",
	"%YAML 1.1\n---\na: 1\n",
	"a: &x 1\nb: *x\n",
	"a: !reset []\n",
	"<<: {a: 1}\n",
	"? a\n: b\n",
	"a: 1\na: 2\n",
	"'a': 1\na: 2\n",
	"80: x\ntrue: y\n",
	"a:\tb\n",
	"a: b\r\nc: d\r\n",
	"\ufeffa: 1\n",
	"a: b: c\n",
	"a: - b\n",
	"a:\n  b\n  c\n",
	"a: b\n  c: d\n",
	"a:\n    b: 1\n  c: 2\n",
	"  a: 1\n  b: 2\n",
	"a: 'x\n  y'\n",
	"a: \"x\\\n  y\"\n",
	"a: \"x\" # c\nb: 'y'#c\n",
	"a: [x, # c\n  y]\n",
	"a: [\n---\n]\n",
	"a:\n- |\n x\n- >-\n  y\n",
	"a: |\n  x\n # c\n",
	"\"a b\": 1\n'c': 2\n\"\": 3\n",
	"a: @x\nb: `x`\n",
	"a: -x\nb: --y\nc: -\n",
}

// FuzzParseMatchesYAMLv4 checks that whatever Parse accepts, yaml.v4
// decodes without error to the same value, and that Parse never panics.
func FuzzParseMatchesYAMLv4(f *testing.F) {
	for _, path := range composeFiles(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range trickySnippets {
		f.Add([]byte(s))
		// Each line alone too: one declined construct in a snippet hides
		// the others.
		for _, line := range strings.SplitAfter(s, "\n") {
			f.Add([]byte(line))
		}
	}
	for _, s := range append(anchorCases, anchorDeclined...) {
		f.Add([]byte(s))
	}
	f.Add([]byte(billionLaughs(4)))
	for seed := range 100 {
		f.Add([]byte(generateDocument(uint64(seed))))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, ok := Parse(data)
		if ok {
			checkAgainstYAMLv4(t, data, root)
		}
	})
}

// TestTrickySnippets runs the fuzz seeds as a plain test, so that go test
// checks them without -fuzz.
func TestTrickySnippets(t *testing.T) {
	accepted := 0
	for _, s := range trickySnippets {
		if root, ok := Parse([]byte(s)); ok {
			accepted++
			checkAgainstYAMLv4(t, []byte(s), root)
		}
	}
	t.Logf("accepted %d of %d snippets", accepted, len(trickySnippets))
}
