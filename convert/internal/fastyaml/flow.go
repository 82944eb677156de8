package fastyaml

// Flow collections ("[a, 'b', {c: 1}]") may span lines, with comments
// between entries, as yaml.v4 allows without any indentation rule. Scalars
// inside them must each end on their line. Entries without a value ("{a}",
// "{a: }"), single-pair mappings in sequences ("[a: b]") and "?" are
// declined.

// flowNode parses the flow sequence or mapping at the cursor.
func (p *parser) flowNode() (Node, bool) {
	if p.depth++; p.depth > maxDepth {
		return Node{}, false
	}
	defer func() { p.depth-- }()
	if p.at(0) == '[' {
		return p.flowSequence()
	}
	return p.flowMapping()
}

func (p *parser) flowSequence() (Node, bool) {
	n := Node{Kind: Sequence, Line: p.line}
	mark := p.nodes.open()
	p.pos++ // the '['
	if !p.skipFlowSpace() {
		return n, false
	}
	for p.at(0) != ']' {
		item, ok := p.flowItem()
		if !ok {
			return n, false
		}
		p.nodes.push(item)
		if !p.flowSeparator(']') {
			return n, false
		}
	}
	p.pos++ // the ']'
	n.Content = p.nodes.close(mark)
	return n, true
}

func (p *parser) flowMapping() (Node, bool) {
	n := Node{Kind: Mapping, Line: p.line}
	mark := p.nodes.open()
	p.pos++ // the '{'
	if !p.skipFlowSpace() {
		return n, false
	}
	var merge Node // the value of "<<", if any
	for p.at(0) != '}' {
		key, ok := p.flowScalar()
		isMerge := key.Tag == mergeKey && merge.Kind == 0
		if !ok || !isMerge && (key.Tag != Str || key.Value == "<<") {
			return n, false
		}
		// The ':' must be on the key's line, as for a simple key.
		p.skipSpaces()
		if p.at(0) != ':' || p.at(1) != ' ' {
			return n, false
		}
		p.pos++
		if !p.skipFlowSpace() {
			return n, false
		}
		if isMerge {
			p.enterMerge()
			merge, ok = p.flowItem()
			p.leaveMerge()
		} else {
			var value Node
			value, ok = p.flowItem()
			p.nodes.push(key)
			p.nodes.push(value)
		}
		if !ok || !p.flowSeparator('}') {
			return n, false
		}
	}
	p.pos++ // the '}'
	if merge.Kind != 0 {
		return p.mergedMapping(mark, n.Line, merge)
	}
	n.Content = p.nodes.close(mark)
	return n, !p.hasDuplicateKeys(n.Content)
}

// flowSeparator consumes what follows an entry: a ',' (maybe trailing, as
// YAML allows) or nothing before closer.
func (p *parser) flowSeparator(closer byte) bool {
	if !p.skipFlowSpace() {
		return false
	}
	switch p.at(0) {
	case closer:
		return true
	case ',':
		p.pos++
		return p.skipFlowSpace()
	}
	return false
}

// skipFlowSpace skips the spaces, line breaks and comments between flow
// tokens. It is false on a comment right after a token (yaml.v4 takes
// "[a,#b" as a comment; declined as unusual) and on a document marker or
// directive at the start of a line, which yaml.v4 sees even inside flow
// collections.
func (p *parser) skipFlowSpace() bool {
	for {
		switch p.at(0) {
		case ' ':
			p.pos++
		case '\n':
			p.newline()
			if p.startsDocumentLine() {
				return false
			}
		case '#':
			if p.pos != p.lineStart && p.src[p.pos-1] != ' ' {
				return false
			}
			p.skipToLineEnd()
		default:
			return true
		}
	}
}

// flowItem parses a flow entry: a nested collection, a scalar, an alias,
// or one of those but an alias with an anchor on the same line.
func (p *parser) flowItem() (Node, bool) {
	switch p.at(0) {
	case '[', '{':
		return p.flowNode()
	case '*':
		return p.alias(true)
	case '&':
		return p.anchoredFlowItem()
	}
	n, ok := p.flowScalar()
	return n, ok && n.Tag != mergeKey
}

// anchoredFlowItem parses "&name" and the flow entry it names. An empty
// entry ("[&a , x]") is declined.
func (p *parser) anchoredFlowItem() (Node, bool) {
	line := p.line
	name, ok := p.anchorName(false)
	if !ok {
		return Node{}, false
	}
	p.skipSpaces()
	a := p.openAnchor(name)
	switch p.at(0) {
	case '&', '*', '!', ',', ']', '}', '\n', '#', 0:
		return Node{}, false
	}
	n, ok := p.flowItem()
	if !ok {
		return Node{}, false
	}
	n.Line = line
	p.closeAnchor(a, n)
	return n, true
}

// flowScalar scans a quoted or plain scalar inside a flow collection.
func (p *parser) flowScalar() (Node, bool) {
	n := Node{Kind: Scalar, Tag: Str, Line: p.line}
	var ok bool
	switch p.at(0) {
	case '\'':
		n.Value, ok = p.singleQuoted()
	case '"':
		n.Value, ok = p.doubleQuoted()
	default:
		if !plainStart(p.at(0), p.at(1)) {
			return n, false
		}
		var text string
		if text, ok = p.plainInFlow(); ok {
			n.Tag, n.Value, ok = resolvePlain(text)
		}
	}
	return n, ok
}

// plainInFlow scans a plain scalar inside a flow collection, where ',' and
// brackets also end it; the cursor is left on what ended it. It is false
// on a '?' (an indicator in some positions) and when the scalar goes on
// to the next line, which yaml.v4 folds.
func (p *parser) plainInFlow() (string, bool) {
	start, end := p.pos, p.pos
	for {
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if c == ' ' || c == '\n' || c == ',' || c == '[' || c == ']' ||
				c == '{' || c == '}' || (c == ':' && p.blankOrEnd(1)) {
				break
			}
			if c == '?' {
				return "", false
			}
			p.pos++
			end = p.pos
		}
		p.skipSpaces()
		if c := p.at(0); c == '\n' || c == '#' {
			// Only an indicator after the line break (and comments) ends
			// the scalar; anything else continues it.
			text := p.src[start:end]
			if !p.skipFlowSpace() {
				return "", false
			}
			c = p.at(0)
			return text, c == ',' || c == ']' || c == '}'
		}
		switch p.at(0) {
		case 0:
			return "", false
		case ',', '[', ']', '{', '}':
			return p.src[start:end], true
		case ':':
			if p.blankOrEnd(1) {
				return p.src[start:end], true
			}
		}
	}
}
