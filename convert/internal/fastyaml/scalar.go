package fastyaml

// scalarToken scans a plain or quoted scalar in block context. isKey is
// true when a ':' indicator follows it on the same line; the cursor is then
// on the ':'. Otherwise the cursor is after the scalar.
func (p *parser) scalarToken() (n Node, isKey, ok bool) {
	n = Node{Kind: Scalar, Tag: Str, Line: p.line}
	switch p.at(0) {
	case '\'':
		n.Value, ok = p.singleQuoted()
	case '"':
		n.Value, ok = p.doubleQuoted()
	default:
		if !plainStart(p.at(0), p.at(1)) {
			return n, false, false
		}
		var text string
		text, isKey = p.plainInBlock()
		n.Tag, n.Value, ok = resolvePlain(text)
		// "<<" is a merge key, else a string yaml.v4 tags !!merge: declined.
		return n, isKey, ok && (isKey || n.Tag != mergeKey)
	}
	if !ok {
		return n, false, false
	}
	after := p.pos
	p.skipSpaces()
	if p.at(0) == ':' && p.blankOrEnd(1) {
		return n, true, true
	}
	p.pos = after
	return n, false, true
}

// plainStart reports whether a plain scalar may start with b followed by
// next. yaml.v4 also starts one with "?" or ":" followed by a non-blank in
// block context; those are declined here.
func plainStart(b, next byte) bool {
	switch b {
	case 0, ' ', '\n', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!',
		'|', '>', '\'', '"', '%', '@', '`':
		return false
	case '-':
		return next != ' ' && next != '\n' && next != 0
	}
	return true
}

// plainInBlock scans a plain scalar that ends on its line, in block
// context. It stops at the end of the line, at a comment (" #") or at a ':'
// followed by a blank; atColon tells the last case, with the cursor on the
// ':'. Spaces inside the scalar are kept and trailing ones dropped, as
// yaml.v4 does, so the value is a substring of the input.
func (p *parser) plainInBlock() (text string, atColon bool) {
	start, end := p.pos, p.pos
	for {
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			if c == ' ' || c == '\n' {
				break
			}
			if c == ':' && p.blankOrEnd(1) {
				return p.src[start:end], true
			}
			p.pos++
			end = p.pos
		}
		p.skipSpaces()
		if c := p.at(0); c == '\n' || c == 0 || c == '#' {
			return p.src[start:end], false
		}
	}
}

// singleQuoted scans a single-quoted scalar that ends on its line; it is
// false for one that goes on to further lines (whose folding is declined).
func (p *parser) singleQuoted() (string, bool) {
	p.pos++
	start := p.pos
	var buf []byte // used only when the scalar has an escaped quote
	for {
		i := p.indexOnLine('\'', '\'')
		if i < 0 {
			return "", false
		}
		p.pos += i
		if p.at(1) == '\'' {
			buf = append(buf, p.src[start:p.pos+1]...)
			p.pos += 2
			start = p.pos
			continue
		}
		text := p.src[start:p.pos]
		if buf != nil {
			text = string(append(buf, text...))
		}
		p.pos++
		return text, true
	}
}

// doubleQuoted scans a double-quoted scalar that ends on its line.
func (p *parser) doubleQuoted() (string, bool) {
	p.pos++
	start := p.pos
	var buf []byte // used only when the scalar has escapes
	for {
		i := p.indexOnLine('"', '\\')
		if i < 0 {
			return "", false
		}
		p.pos += i
		if p.src[p.pos] == '"' {
			text := p.src[start:p.pos]
			if buf != nil {
				text = string(append(buf, text...))
			}
			p.pos++
			return text, true
		}
		buf = append(buf, p.src[start:p.pos]...)
		var ok bool
		if buf, ok = p.escape(buf); !ok {
			return "", false
		}
		start = p.pos
	}
}

// indexOnLine returns the offset from the cursor of the first a or b on
// the current line, or -1.
func (p *parser) indexOnLine(a, b byte) int {
	for i := p.pos; i < len(p.src); i++ {
		switch p.src[i] {
		case a, b:
			return i - p.pos
		case '\n':
			return -1
		}
	}
	return -1
}
