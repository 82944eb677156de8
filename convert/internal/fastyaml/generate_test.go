package fastyaml

import (
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The fuzzer mutates bytes, so most of what it tries is declined early. This
// test builds documents from the constructs compose files use, with tricky
// scalars, odd indentation and small mutations, so that much of what it
// checks against yaml.v4 is accepted.

var (
	genKeys = []string{
		"a", "image", "a b", "a#b", "x:y", "-x", "y", "on", "no", "'q'", `"d"`,
		`"a\"b"`, "''", "80", "true", "null", "~", "1.5", "<<", "a:", "é", "--",
	}
	genScalars = []string{
		"1", "-1", "0", "-0", "+1", "0755", "0x1F", "0o17", "0b11", "1_000", "10000",
		"9223372036854775807", "9223372036854775808", "-9223372036854775809",
		"18446744073709551616", "0.5", "-1.25", "1.", ".5", "1e3", "1E-3", "1e999",
		"+.inf", ".NaN", "-0.0", "00.5", "true", "False", "TRUE", "yes", "off", "~",
		"null", "Null", "nULL", "", "2024-01-01", "2024-1-1 10:00:00", "1000-2000",
		"8080:80", "10s", "256M", "a b  c", "a#b", "a :b", "http://x:1/y", "${A:-b}",
		"-Xmx1g", "./app", "..", "...", "---", "'it''s'", "'a b'", `"\x41\u00e9"`,
		`"\U0001F600"`, `"\ud800"`, `"\/"`, `"\N\_\L\P"`, `"a\"b"`, `"tab\there"`,
		"[a, b]", "[]", "{}", "{a: 1, b: [x, y]}", "[a:b, c:]", "{x: b:c}", "[a,]",
		"[ 'x' , \"y\" ]", "{a: }", "[a: b]", "@x", "`x`", "&a x", "*a", "!t x", "%x",
		"|", "|-", ">+", "|2", "a: b", "- x", "?x", ":x", "a,b", "[a]b", "'x'y",
	}
	genComments = []string{"", "", "", " # c", "  #c", "#c", " #"}
	genText     = []string{"x", "  y", "", " ", "# not a comment", "a: b", "- z", "   deep"}
)

type docGen struct {
	r *rand.Rand
	b strings.Builder

	// Anchors written so far, for aliases; mappings also for merges.
	anchors, mapAnchors []string
}

func (g *docGen) pick(list []string) string { return list[g.r.IntN(len(list))] }

// splitScalars divides genScalars into those Parse accepts as the value
// of "k: " and the others.
var splitScalars = sync.OnceValues(func() (accepted, declined []string) {
	for _, s := range genScalars {
		if _, ok := Parse([]byte("k: " + s + "\n")); ok {
			accepted = append(accepted, s)
		} else {
			declined = append(declined, s)
		}
	}
	return accepted, declined
})

// scalar picks mostly accepted scalars, so that whole documents are often
// accepted.
func (g *docGen) scalar() string {
	accepted, declined := splitScalars()
	if g.r.IntN(10) == 0 {
		return g.pick(declined)
	}
	return g.pick(accepted)
}

// key picks mostly among the first, string keys.
func (g *docGen) key() string {
	if g.r.IntN(10) == 0 {
		return g.pick(genKeys)
	}
	return g.pick(genKeys[:10])
}

func (g *docGen) line(indent int, text string) {
	g.b.WriteString(strings.Repeat(" ", indent))
	g.b.WriteString(text)
	g.b.WriteByte('\n')
	if g.r.IntN(8) == 0 {
		g.b.WriteString(strings.Repeat(" ", g.r.IntN(6)))
		g.b.WriteString(g.pick([]string{"", "# comment", "#"}))
		g.b.WriteByte('\n')
	}
}

// mapping writes a block mapping at indent; first, when not "", is written
// before the first key (a "- " of a compact mapping).
func (g *docGen) mapping(indent, depth int, first string) {
	for i, n := 0, 1+g.r.IntN(4); i < n; i++ {
		prefix := strings.Repeat(" ", indent)
		if i == 0 && first != "" {
			prefix = first
		}
		if g.r.IntN(6) == 0 {
			g.b.WriteString(prefix + "<<: " + g.mergeValue() + "\n")
			continue
		}
		g.value(indent, depth, prefix+g.key()+":")
	}
}

// mergeValue gives the value of a merge key: mostly aliases of mappings.
func (g *docGen) mergeValue() string {
	alias := func() string {
		switch {
		case g.r.IntN(10) == 0:
			return g.alias()
		case len(g.mapAnchors) == 0:
			return "{" + g.key() + ": " + g.scalar() + "}"
		}
		return "*" + g.pick(g.mapAnchors)
	}
	switch g.r.IntN(5) {
	case 0:
		return "{" + g.key() + ": " + g.scalar() + "}"
	case 1:
		return "[" + alias() + ", " + alias() + "]"
	case 2:
		return g.pick([]string{"[]", "{}", "", "[{a: 1}, " + alias() + "]", "[[]]", "1"})
	}
	return alias()
}

// alias gives an alias of an anchor written so far, or now and then of
// one that is not (yet); a scalar while there is none.
func (g *docGen) alias() string {
	switch {
	case g.r.IntN(20) == 0:
		return "*" + g.anchorName()
	case len(g.anchors) == 0:
		return g.scalar()
	}
	return "*" + g.pick(g.anchors)
}

// anchorName picks among few names, so that they are defined again.
func (g *docGen) anchorName() string { return "a" + strconv.Itoa(g.r.IntN(12)) }

// anchor returns " &name" now and then, for a node about to be written,
// and records the name (also as a mapping's when isMap) at once: an alias
// inside the node is then a self-reference, which Parse must decline as
// yaml.v4 rejects it.
func (g *docGen) anchor(isMap bool) string {
	if g.r.IntN(4) != 0 {
		return ""
	}
	name := g.anchorName()
	g.anchors = append(g.anchors, name)
	if isMap {
		g.mapAnchors = append(g.mapAnchors, name)
	}
	return " &" + name
}

// value writes head (a key with its ':' or a '-') followed by a value.
func (g *docGen) value(indent, depth int, head string) {
	switch k := g.r.IntN(11); {
	case k < 4 || depth > 3:
		g.b.WriteString(head + g.anchor(false) + " " + g.scalar() + g.pick(genComments) + "\n")
	case k == 10:
		g.b.WriteString(head + " " + g.alias() + g.pick(genComments) + "\n")
	case k == 4:
		g.b.WriteString(head + " " + g.pick([]string{"|", "|-", "|+", ">", ">-", ">+"}) + "\n")
		g.blockText(indent + 1 + g.r.IntN(3))
	case k == 5:
		g.b.WriteString(head + g.pick(genComments) + "\n")
	case k == 6:
		g.b.WriteString(head + g.anchor(true) + "\n")
		g.mapping(indent+1+g.r.IntN(4), depth+1, "")
	case k == 7:
		g.b.WriteString(head + g.anchor(false) + "\n")
		g.sequence(indent+g.r.IntN(4), depth+1)
	case k == 8:
		g.b.WriteString(head + " [\n" + strings.Repeat(" ", indent+2) + g.scalar() +
			",\n" + strings.Repeat(" ", g.r.IntN(indent+3)) + g.scalar() + g.pick([]string{"]", ",]", "\n]"}) + "\n")
	default:
		g.b.WriteString(head + "\n")
		g.line(indent+1+g.r.IntN(3), g.scalar())
	}
}

func (g *docGen) sequence(indent, depth int) {
	for i, n := 0, 1+g.r.IntN(3); i < n; i++ {
		dash := strings.Repeat(" ", indent) + "-"
		switch g.r.IntN(4) {
		case 0:
			g.mapping(indent+2, depth+1, dash+" ")
		case 1:
			g.value(indent, depth+1, dash)
		default:
			g.b.WriteString(dash + " " + g.scalar() + g.pick(genComments) + "\n")
		}
	}
}

func (g *docGen) blockText(indent int) {
	for i, n := 0, g.r.IntN(5); i < n; i++ {
		g.b.WriteString(strings.Repeat(" ", max(0, indent+g.r.IntN(3)-1)) + g.pick(genText) + "\n")
	}
}

// mutate makes a small change, to test inputs near valid ones.
func (g *docGen) mutate(s string) string {
	if s == "" {
		return s
	}
	i := g.r.IntN(len(s))
	switch g.r.IntN(3) {
	case 0:
		return s[:i] + s[i+1:]
	case 1:
		return s[:i] + g.pick([]string{" ", "\n", ":", "-", "#", "'", "[", "]", ","}) + s[i:]
	}
	return s[:i] + strings.Repeat(" ", 1+g.r.IntN(2)) + s[i:]
}

// generateDocument builds the document of a seed; one in three is mutated.
func generateDocument(seed uint64) string {
	g := &docGen{r: rand.New(rand.NewPCG(seed, 1))}
	g.mapping(0, 0, "")
	if seed%3 == 0 {
		return g.mutate(g.b.String())
	}
	return g.b.String()
}

func TestGeneratedDocumentsMatchYAMLv4(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	if s := os.Getenv("FASTYAML_GEN"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	accepted, withAliases := 0, 0
	for seed := 0; seed < n; seed++ {
		doc := generateDocument(uint64(seed))
		if root, ok := Parse([]byte(doc)); ok {
			accepted++
			if strings.Contains(doc, " *") || strings.Contains(doc, "<<:") {
				withAliases++
			}
			checkAgainstYAMLv4(t, []byte(doc), root)
		}
	}
	t.Logf("accepted %d of %d generated documents, %d with aliases or merges", accepted, n, withAliases)
}
