package fastyaml

// cursor is a position in the input. The parser works line by line: most
// decisions depend on a line's indentation and on what ends it.
type cursor struct {
	src       string
	pos       int // offset of the next byte
	line      int // 1-based line of pos
	lineStart int // offset of the first byte of the current line
}

// col is the 0-based column of pos; the input has no tabs, so bytes before
// pos on the line are spaces or text.
func (c *cursor) col() int { return c.pos - c.lineStart }

func (c *cursor) eof() bool { return c.pos >= len(c.src) }

// at returns the byte i bytes ahead of pos, or 0 past the end (the input has
// no NUL bytes, so 0 means the end).
func (c *cursor) at(i int) byte {
	if c.pos+i < len(c.src) {
		return c.src[c.pos+i]
	}
	return 0
}

// blankOrEnd reports whether the byte i ahead is a space, a line break or
// the end: the bytes after which "-", ":" and "?" are indicators.
func (c *cursor) blankOrEnd(i int) bool {
	b := c.at(i)
	return b == ' ' || b == '\n' || b == 0
}

func (c *cursor) skipSpaces() {
	for c.pos < len(c.src) && c.src[c.pos] == ' ' {
		c.pos++
	}
}

// newline consumes the line break at pos.
func (c *cursor) newline() {
	c.pos++
	c.line++
	c.lineStart = c.pos
}

// skipToLineEnd moves pos to the line break (or the end) of this line.
func (c *cursor) skipToLineEnd() {
	for c.pos < len(c.src) && c.src[c.pos] != '\n' {
		c.pos++
	}
}

// finishLine consumes the rest of a line after a complete token: spaces,
// then maybe a comment, then the line break. It is false when anything
// else follows. A comment must be preceded by a space: yaml.v4 also takes
// `"x"#y` as a comment but that is rare enough to decline.
func (c *cursor) finishLine() bool {
	c.skipSpaces()
	switch c.at(0) {
	case 0:
		return true
	case '\n':
		c.newline()
		return true
	case '#':
		if c.pos == c.lineStart || c.src[c.pos-1] != ' ' {
			return false
		}
		c.skipToLineEnd()
		if !c.eof() {
			c.newline()
		}
		return true
	}
	return false
}

// toContent moves from the start of a line to the first character of the
// next line that holds something other than spaces or a comment. It
// returns that character's column, or -1 at the end of the input. It is
// false on a document marker ("---", "...") or a directive ("%"), which
// only the full parser handles.
func (c *cursor) toContent() (col int, ok bool) {
	for {
		c.skipSpaces()
		switch c.at(0) {
		case 0:
			return -1, true
		case '\n':
			c.newline()
			continue
		case '#':
			c.skipToLineEnd()
			continue
		}
		if c.col() == 0 && c.startsDocumentLine() {
			return 0, false
		}
		return c.col(), true
	}
}

// startsDocumentLine reports whether the line at pos (column 0) is a
// directive or a document marker.
func (c *cursor) startsDocumentLine() bool {
	switch c.at(0) {
	case '%':
		return true
	case '-', '.':
		b := c.at(0)
		return c.at(1) == b && c.at(2) == b && c.blankOrEnd(3)
	}
	return false
}
