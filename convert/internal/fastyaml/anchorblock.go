package fastyaml

// anchored parses "&name" and the node it names in block context. keyOK
// tells whether the node may be the first key of a block mapping, to which
// the anchor then belongs (as in "- &a key: value"); the mapping's keys
// are then at the anchor's column, where yaml.v4's simple key starts.
// onNextLines parses the node when nothing follows the name on its line,
// from right after the name; nil declines that (yaml.v4 allows an anchor alone on a line in more
// places than after "key:" and "-", but compose files do not use them).
// As for yaml.v4, the anchored node's Line is the anchor's.
func (p *parser) anchored(parent int, keyOK bool, onNextLines func() (Node, bool)) (Node, bool) {
	line, col := p.line, p.col()
	name, ok := p.anchorName(false)
	if !ok {
		return Node{}, false
	}
	afterName := p.pos
	p.skipSpaces()
	a := p.openAnchor(name)
	var n Node
	switch c := p.at(0); {
	case p.blankOrEnd(0) || c == '#':
		if onNextLines == nil {
			return Node{}, false
		}
		p.pos = afterName
		n, ok = onNextLines()
	case c == '|' || c == '>':
		n, ok = p.blockScalar(parent)
	case c == '[' || c == '{':
		n, ok = p.flowNode()
		ok = ok && p.endNode()
	case c == '&' || c == '*' || c == '!' || p.atEntry():
		return Node{}, false // two properties, an anchored alias, "&a - x"
	case keyOK:
		return p.anchoredScalarOrMapping(col, a)
	default:
		var isKey bool
		n, isKey, ok = p.scalarToken()
		ok = ok && !isKey && p.endNode()
	}
	// What the next lines hold must not have properties of its own: "&a"
	// then "*b" or "&b x" are not YAML ("&a" then "&b key:" is, the
	// second anchor being the key's).
	if !ok || n.alias || n.anchored {
		return Node{}, false
	}
	n.Line = line
	n.anchored = true
	p.closeAnchor(a, n)
	return n, true
}

// anchoredValue parses "&name" and the value it names after "key:".
func (p *parser) anchoredValue(parent int) (Node, bool) {
	// mappingValue and sequenceItem, from right after the name, find
	// nothing on the line and parse the next lines as they do after
	// "key:" and "-".
	return p.anchored(parent, false, func() (Node, bool) { return p.mappingValue(parent) })
}

// anchoredItem parses "&name" and the item it names after "-".
func (p *parser) anchoredItem(indent int) (Node, bool) {
	return p.anchored(indent, true, func() (Node, bool) { return p.sequenceItem(indent) })
}

// anchoredScalarOrMapping parses the scalar named by anchor a, or the
// block mapping whose first key it is, the keys being at column indent.
func (p *parser) anchoredScalarOrMapping(indent int, a anchorStart) (Node, bool) {
	n, isKey, ok := p.scalarToken()
	if !ok || n.Tag == mergeKey {
		return Node{}, false // an alias of "<<" would bring mergeKey into the tree
	}
	n.anchored = true
	p.closeAnchor(a, n)
	if isKey {
		return p.blockMapping(indent, n)
	}
	return n, p.endNode()
}
