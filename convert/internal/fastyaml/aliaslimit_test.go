package fastyaml

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v4"
)

// billionLaughs is the classic alias bomb: each level holds ten aliases of
// the one before, 10^levels strings in all.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= levels; i++ {
		prev := fmt.Sprintf("*l%d", i-1)
		fmt.Fprintf(&b, "l%d: &l%d [%s]\n", i, i, strings.Repeat(prev+", ", 9)+prev)
	}
	return b.String()
}

// TestAliasBombsDeclinedQuickly checks that documents expanding to far
// more nodes than they hold are declined, in little time.
func TestAliasBombsDeclinedQuickly(t *testing.T) {
	var chain strings.Builder // each mapping merges the one before
	chain.WriteString("m0: &m0 {k0: 0}\n")
	for i := 1; i < 3000; i++ {
		fmt.Fprintf(&chain, "m%d: &m%d {<<: *m%d, k%d: %d}\n", i, i, i-1, i, i)
	}
	bombs := map[string]string{
		"billion laughs": billionLaughs(9),
		"wide":           "a: &a [" + strings.Repeat("x, ", 999) + "x]\nb: [" + strings.Repeat("*a, ", 99999) + "*a]\n",
		"merge chain":    chain.String(),
		"deep":           "a: &a [x]\n" + nestedAliases(400),
	}
	for name, doc := range bombs {
		start := time.Now()
		const runs = 20
		for range runs {
			if _, ok := Parse([]byte(doc)); ok {
				t.Fatalf("%s: accepted", name)
			}
		}
		per := time.Since(start) / runs
		t.Logf("%s (%d bytes): declined in %v", name, len(doc), per)
		// Generous, for loaded machines: the bombs take microseconds
		// and the wide one (400 KB) about a millisecond.
		if per > 50*time.Millisecond {
			t.Errorf("%s: took %v", name, per)
		}
	}
}

// nestedAliases gives n levels that each hold two aliases of the one
// before: 2^n nodes when expanded.
func nestedAliases(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		prev := "a"
		if i > 1 {
			prev = fmt.Sprintf("a%d", i-1)
		}
		fmt.Fprintf(&b, "a%d: &a%d [*%s, *%s]\n", i, i, prev, prev)
	}
	return b.String()
}

// TestAliasLimitsBelowYAMLv4 generates documents around yaml.v4's
// excessive aliasing check: aliases of large anchors at the start, in
// merges, among padding of many sizes. Whatever Parse accepts, yaml.v4
// must decode the same (checkAgainstYAMLv4 fails on its error).
func TestAliasLimitsBelowYAMLv4(t *testing.T) {
	n := 100
	if testing.Short() {
		n = 30
	}
	accepted, rejected := 0, 0
	for seed := range n {
		doc := aliasHeavyDocument(uint64(seed))
		var v any
		if yaml.Unmarshal([]byte(doc), &v) != nil {
			rejected++
		}
		if root, ok := Parse([]byte(doc)); ok {
			accepted++
			checkAgainstYAMLv4(t, []byte(doc), root)
		}
	}
	t.Logf("of %d documents, Parse accepted %d, yaml.v4 rejected %d", n, accepted, rejected)
	if !testing.Short() && (accepted < n/4 || rejected == 0) {
		t.Error("the documents do not reach both sides of the limits")
	}
}

func aliasHeavyDocument(seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 2))
	var b strings.Builder
	pad := func() {
		for i, k := 0, r.IntN(3); i < k; i++ {
			fmt.Fprintf(&b, "p%d: [%s1]\n", b.Len(), strings.Repeat("1, ", r.IntN(300)))
		}
	}
	pad()
	width := 1 + r.IntN(40)
	fmt.Fprintf(&b, "m0: &m0 {%s}\n", pairs(width))
	fmt.Fprintf(&b, "l0: &l0 [%s1]\n", strings.Repeat("1, ", width-1))
	levels := r.IntN(3)
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [%s*l%d]\n", i, i, strings.Repeat(fmt.Sprintf("*l%d, ", i-1), r.IntN(20)), i-1)
	}
	// Aliases of the largest anchor right away: at this point yaml.v4
	// has decoded few nodes of its own.
	for i, front := 0, r.IntN(4)*levels; i < front; i++ {
		fmt.Fprintf(&b, "f%d: *l%d\n", i, levels)
	}
	for u, uses := 0, 1+r.IntN(1000>>(2*levels)); u < uses; u++ {
		switch r.IntN(6) {
		case 0:
			fmt.Fprintf(&b, "u%d: *l%d\n", u, r.IntN(levels+1))
		case 1:
			fmt.Fprintf(&b, "u%d: {<<: *m0}\n", u)
		case 2:
			fmt.Fprintf(&b, "u%d: {<<: [*m0, {x: 1}], k1: 0}\n", u)
		case 3:
			fmt.Fprintf(&b, "u%d: {<<: &n%d {%s}, k: *l%d}\n", u, u, pairs(r.IntN(30)), r.IntN(levels+1))
		case 4:
			fmt.Fprintf(&b, "u%d: [*m0, *l%d]\n", u, r.IntN(levels+1))
		default:
			pad()
		}
	}
	pad()
	return b.String()
}

func pairs(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("k%d: %d", i, i)
	}
	return strings.Join(s, ", ")
}
