package fastyaml

import "strings"

// maxDepth bounds nesting so that hostile input cannot exhaust the stack;
// yaml.v4 has similar limits, and real compose files nest a few levels.
const maxDepth = 500

type parser struct {
	cursor
	nodes arena
	depth int
	keys  map[string]struct{} // reused by the key checks of large mappings

	anchors   map[string]anchorDef // made at the first anchor
	anchorIDs int
	aliasUses []AliasUse

	// For the alias limits (aliaslimit.go).
	aliased     int // nodes that aliases expanded to
	mergeExtra  int // nodes yaml.v4 decodes for merges beyond those of the source
	mergeDepth  int // merge values being parsed
	mergeMark   int // nodes.pushed() when the outermost merge value started
	mergePushed int // nodes pushed inside merge values
}

// Parse parses one YAML document whose top level is a block mapping. ok is
// false when the input uses anything outside the supported subset or is not
// valid YAML; the caller then uses the full parser, which gives the real
// error.
func Parse(data []byte) (root Node, ok bool) {
	root, _, ok = ParseWithAliases(data)
	return root, ok
}

// AliasUse is where an alias (or a merge's alias) stood, and which anchor
// definition it used: a redefined name is a new Anchor.
type AliasUse struct {
	Anchor int
	Line   int
}

// ParseWithAliases is Parse, also telling every alias it expanded, in the
// order met. compose-go refuses some uses that yaml.v4 accepts (two aliases
// of one anchor nested in one service, as it judges cycles), which its
// caller checks by these.
func ParseWithAliases(data []byte) (root Node, aliases []AliasUse, ok bool) {
	root, aliases, declined := parseAll(data)
	return root, aliases, declined == 0
}

// parse is Parse, telling on which line it declined (0 when it did not),
// for the tests that show why a file is declined.
func parse(data []byte) (root Node, declinedLine int) {
	root, _, declinedLine = parseAll(data)
	return root, declinedLine
}

// parseAll is parse, with the aliases met.
func parseAll(data []byte) (root Node, aliases []AliasUse, declinedLine int) {
	if !charsetOK(data) {
		return Node{}, nil, 1
	}
	// One copy of the input; scalar values are substrings of it.
	src := string(data)
	p := &parser{
		cursor: cursor{src: src, line: 1},
		nodes:  newArena(estimateNodes(src)),
	}
	if !p.documentStart() || p.eof() {
		return Node{}, nil, p.line
	}
	root, ok := p.blockNode(-1)
	if !ok || root.Kind != Mapping || !p.eof() || !p.aliasesOK() {
		return Node{}, nil, p.line
	}
	return root, p.aliasUses, 0
}

// estimateNodes guesses how many nodes src holds, to size the arena: about
// two a line (a key and its value) and two a comma (a flow entry, or a key
// and its value).
func estimateNodes(src string) int {
	return 2*strings.Count(src, "\n") + 2*strings.Count(src, ",") + 16
}

// documentStart skips blank and comment lines and an optional "---" line,
// leaving the cursor on the first content character.
func (p *parser) documentStart() bool {
	if _, ok := p.toContent(); ok {
		return true
	}
	if !strings.HasPrefix(p.src[p.pos:], "---") {
		return false
	}
	p.pos += 3
	if !p.finishLine() {
		return false
	}
	_, ok := p.toContent()
	return ok
}

// nextCol is the column of the content the cursor is on, or -1 at the end.
func (p *parser) nextCol() int {
	if p.eof() {
		return -1
	}
	return p.col()
}

// endNode finishes the line of a node that ends on it and moves to the next
// content.
func (p *parser) endNode() bool {
	if !p.finishLine() {
		return false
	}
	_, ok := p.toContent()
	return ok
}

// atEntry reports whether the cursor is on a block sequence entry "- ".
func (p *parser) atEntry() bool { return p.at(0) == '-' && p.blankOrEnd(1) }

// blockNode parses the node at the cursor, which may be a block
// collection. parent is the indentation of the enclosing collection (what
// yaml.v4 calls the current indent), which block scalars need.
func (p *parser) blockNode(parent int) (Node, bool) {
	if p.depth++; p.depth > maxDepth {
		return Node{}, false
	}
	defer func() { p.depth-- }()
	if n, found, ok := p.indicatedNode(parent); found {
		return n, ok
	}
	if p.at(0) == '&' {
		// Only after "key:" or "-" may the anchored node start on a later
		// line; that is handled there.
		return p.anchored(parent, true, nil)
	}
	if p.atEntry() {
		return p.blockSequence(p.col())
	}
	col := p.col()
	n, isKey, ok := p.scalarToken()
	if !ok {
		return Node{}, false
	}
	if isKey {
		return p.blockMapping(col, n)
	}
	return n, p.endNode()
}

// blockMapping parses a block mapping whose keys are at column indent; key
// is its first key, already scanned, and the cursor is on the ':' after it.
func (p *parser) blockMapping(indent int, key Node) (Node, bool) {
	mark := p.nodes.open()
	line := key.Line
	var merge Node // the value of "<<", if any
	for {
		p.pos++ // the ':'
		switch {
		case key.Tag == mergeKey && merge.Kind == 0:
			p.enterMerge()
			var ok bool
			merge, ok = p.mappingValue(indent)
			p.leaveMerge()
			if !ok {
				return Node{}, false
			}
		case key.Tag != Str || key.Value == "<<":
			return Node{}, false // also a second "<<", a duplicate key
		default:
			value, ok := p.mappingValue(indent)
			if !ok {
				return Node{}, false
			}
			p.nodes.push(key)
			p.nodes.push(value)
		}
		col := p.nextCol()
		if col < indent {
			break
		}
		if col > indent || p.atEntry() {
			return Node{}, false
		}
		var isKey, ok bool
		if p.at(0) == '&' {
			key, isKey, ok = p.anchoredKey()
		} else {
			key, isKey, ok = p.scalarToken()
		}
		if !ok || !isKey {
			return Node{}, false
		}
	}
	if merge.Kind != 0 {
		return p.mergedMapping(mark, line, merge)
	}
	content := p.nodes.close(mark)
	if p.hasDuplicateKeys(content) {
		return Node{}, false
	}
	return Node{Kind: Mapping, Line: line, Content: content}, true
}

// anchoredKey scans "&name" and the key of a block mapping after its
// first, like scalarToken.
func (p *parser) anchoredKey() (key Node, isKey, ok bool) {
	name, ok := p.anchorName(false)
	if !ok {
		return Node{}, false, false
	}
	p.skipSpaces()
	anchor := p.openAnchor(name)
	if key, isKey, ok = p.scalarToken(); key.Tag == mergeKey {
		return Node{}, false, false // as in scalarOrMapping
	}
	key.anchored = true
	p.closeAnchor(anchor, key)
	return key, isKey, ok
}

// mappingValue parses what follows "key:" in a block mapping at column
// indent: a node on the same line, a node on the following lines indented
// deeper, a sequence at the key's own indent, or nothing (null).
func (p *parser) mappingValue(indent int) (Node, bool) {
	if !p.blankOrEnd(0) {
		return Node{}, false
	}
	p.skipSpaces()
	if !p.blankOrEnd(0) && p.at(0) != '#' {
		return p.inlineValue(indent)
	}
	return p.valueOnNextLines(indent, true)
}

// valueOnNextLines parses a value that does not start on its key's (or
// "-"'s) line: a node on the following lines indented deeper than indent,
// with sequenceAtIndent also a block sequence at indent (which a mapping's
// value may be, a sequence item's may not), or nothing (null, on the line
// of its key or "-").
func (p *parser) valueOnNextLines(indent int, sequenceAtIndent bool) (Node, bool) {
	line := p.line
	if !p.finishLine() {
		return Node{}, false
	}
	col, ok := p.toContent()
	switch {
	case !ok:
		return Node{}, false
	case col > indent:
		return p.blockNode(indent)
	case sequenceAtIndent && col == indent && p.atEntry():
		return p.blockSequence(col)
	}
	return Node{Kind: Scalar, Tag: Null, Line: line}, true
}

// indicatedNode parses the node an indicator at the cursor starts, the same
// wherever a value may stand: a block scalar, a flow collection or an
// alias. found is false when the cursor is on none of them.
func (p *parser) indicatedNode(parent int) (n Node, found, ok bool) {
	switch p.at(0) {
	case '|', '>':
		n, ok = p.blockScalar(parent)
	case '[', '{':
		n, ok = p.flowNode()
		ok = ok && p.endNode()
	case '*':
		n, ok = p.alias(false)
		ok = ok && p.endNode()
	default:
		return Node{}, false, false
	}
	return n, true, ok
}

// inlineValue parses a mapping value that starts on the key's line. Unlike
// blockNode it refuses a block sequence or another key on that line, which
// YAML does not allow.
func (p *parser) inlineValue(parent int) (Node, bool) {
	if n, found, ok := p.indicatedNode(parent); found {
		return n, ok
	}
	if p.at(0) == '&' {
		return p.anchoredValue(parent)
	}
	n, isKey, ok := p.scalarToken()
	if !ok || isKey {
		return Node{}, false
	}
	return n, p.endNode()
}

// blockSequence parses a block sequence whose "-" are at column indent;
// the cursor is on the first "-".
func (p *parser) blockSequence(indent int) (Node, bool) {
	mark := p.nodes.open()
	line := p.line
	for {
		p.pos++ // the '-'
		item, ok := p.sequenceItem(indent)
		if !ok {
			return Node{}, false
		}
		p.nodes.push(item)
		col := p.nextCol()
		if col < indent {
			break
		}
		if col > indent {
			return Node{}, false
		}
		if !p.atEntry() {
			// A key after a sequence at its parent key's indent; the
			// mapping decides.
			break
		}
	}
	return Node{Kind: Sequence, Line: line, Content: p.nodes.close(mark)}, true
}

// sequenceItem parses what follows a "-" at column indent.
func (p *parser) sequenceItem(indent int) (Node, bool) {
	p.skipSpaces()
	if p.at(0) == '&' {
		return p.anchoredItem(indent)
	}
	if !p.blankOrEnd(0) && p.at(0) != '#' {
		return p.blockNode(indent)
	}
	return p.valueOnNextLines(indent, false)
}

// hasDuplicateKeys reports whether a mapping has a key twice, which yaml.v4
// rejects. Keys are strings here, so comparing values is its comparison.
func (p *parser) hasDuplicateKeys(content []Node) bool {
	const small = 16
	if len(content) <= 2*small {
		for i := 0; i < len(content); i += 2 {
			for j := i + 2; j < len(content); j += 2 {
				if content[i].Value == content[j].Value {
					return true
				}
			}
		}
		return false
	}
	if p.keys == nil {
		p.keys = make(map[string]struct{}, len(content)/2)
	}
	clear(p.keys)
	for i := 0; i < len(content); i += 2 {
		if _, seen := p.keys[content[i].Value]; seen {
			return true
		}
		p.keys[content[i].Value] = struct{}{}
	}
	return false
}
