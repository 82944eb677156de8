package fastyaml

// Anchors and aliases. An alias gives a copy of the anchored Node whose
// Content is shared with it (nothing in the tree is ever modified after it
// is built, so sharing is safe as long as the caller does not modify it
// either); only its Line is the alias's own, as yaml.v4's AliasNode has.

// anchorDef is what an anchor names. yaml.v4 registers an anchor when its
// node starts, so an alias inside the node refers to the node itself (an
// error for yaml.v4, declined here) and a later anchor of the same name
// replaces it, even one nested inside it: id tells whether the definition
// being completed is still the current one.
type anchorDef struct {
	node Node
	size int // expanded nodes in node, counted as by expandedCount
	id   int
	done bool
}

// anchorStart is what openAnchor returns for closeAnchor.
type anchorStart struct {
	name  string
	id    int
	count int // expandedCount when the anchor was opened
}

// anchorName scans "&name" or "*name" at the cursor. Names are kept to
// letters, digits, '-', '_' and '.' (yaml.v4 allows more ASCII), and must
// be followed by a blank or the end, or in flow context also by ',', ']'
// or '}', where yaml.v4 ends them too.
func (p *parser) anchorName(inFlow bool) (string, bool) {
	p.pos++ // the '&' or '*'
	start := p.pos
	for p.pos < len(p.src) && anchorChar(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if name == "" {
		return "", false
	}
	if p.blankOrEnd(0) {
		return name, true
	}
	c := p.at(0)
	return name, inFlow && (c == ',' || c == ']' || c == '}')
}

func anchorChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '_' || c == '.'
}

// openAnchor registers an anchor whose node starts now.
func (p *parser) openAnchor(name string) anchorStart {
	if p.anchors == nil {
		p.anchors = make(map[string]anchorDef)
	}
	p.anchorIDs++
	p.anchors[name] = anchorDef{id: p.anchorIDs}
	return anchorStart{name: name, id: p.anchorIDs, count: p.expandedCount()}
}

// closeAnchor records the completed node of an anchor, unless a later
// anchor of the same name replaced it meanwhile.
func (p *parser) closeAnchor(a anchorStart, n Node) {
	if p.anchors[a.name].id != a.id {
		return
	}
	// +1: n itself is pushed only after this.
	size := p.expandedCount() - a.count + 1
	p.anchors[a.name] = anchorDef{node: n, size: size, id: a.id, done: true}
}

// alias scans "*name" and returns the copy it stands for.
func (p *parser) alias(inFlow bool) (Node, bool) {
	line := p.line
	name, ok := p.anchorName(inFlow)
	if !ok {
		return Node{}, false
	}
	def := p.anchors[name]
	if !def.done {
		return Node{}, false // undefined, or used inside its own node
	}
	p.aliased += def.size
	if !p.aliasesOK() {
		return Node{}, false
	}
	p.aliasUses = append(p.aliasUses, AliasUse{Anchor: def.id, Line: line})
	n := def.node
	n.Line = line
	n.alias = true
	return n, true
}
