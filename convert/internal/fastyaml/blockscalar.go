package fastyaml

import "strings"

// Block scalars ("|", ">", with "-" or "+") follow yaml.v4's scanner
// (scanBlockScalar and scanBlockScalarBreaks in internal/libyaml) step by
// step, since their indentation and folding rules are easy to get subtly
// wrong. Explicit indentation indicators ("|2") are declined.

type chomping int8

const (
	clip  chomping = iota // one final line break
	strip                 // "-": no final line break
	keep                  // "+": all final line breaks
)

// blockScalar parses a block scalar at the cursor (on "|" or ">"). parent
// is the indentation of the enclosing collection; content must be indented
// deeper.
func (p *parser) blockScalar(parent int) (Node, bool) {
	n := Node{Kind: Scalar, Tag: Str, Line: p.line}
	literal := p.at(0) == '|'
	p.pos++
	chomp := clip
	switch p.at(0) {
	case '-':
		chomp = strip
		p.pos++
	case '+':
		chomp = keep
		p.pos++
	}
	if !p.blankOrEnd(0) || !p.finishLine() {
		return n, false
	}
	n.Value = p.blockScalarBody(literal, chomp, parent)
	// The scalar ended at the end of the input or on a line indented less
	// than its content; that line is read again as the next content.
	if !p.eof() {
		p.pos = p.lineStart
	}
	_, ok := p.toContent()
	return n, ok
}

// blockScalarBody reads the content lines, the cursor being at the start of
// the line after the header.
func (p *parser) blockScalarBody(literal bool, chomp chomping, parent int) string {
	var s strings.Builder
	indent := 0
	trailingBreaks := p.blockBreaks(&indent, parent)
	leadingBreak := false // the last content line ended with a line break
	leadingBlank := false // the last content line started with a space
	for p.col() == indent && !p.eof() {
		trailingBlank := p.at(0) == ' '
		if !literal && leadingBreak && !leadingBlank && !trailingBlank {
			// Folding: a single line break becomes a space, and is
			// dropped before empty lines.
			if trailingBreaks == 0 {
				s.WriteByte(' ')
			}
		} else if leadingBreak {
			s.WriteByte('\n')
		}
		writeBreaks(&s, trailingBreaks)
		leadingBlank = trailingBlank
		start := p.pos
		p.skipToLineEnd()
		s.WriteString(p.src[start:p.pos])
		leadingBreak = !p.eof()
		if leadingBreak {
			p.newline()
		}
		trailingBreaks = p.blockBreaks(&indent, parent)
	}
	if chomp != strip && leadingBreak {
		s.WriteByte('\n')
	}
	if chomp == keep {
		writeBreaks(&s, trailingBreaks)
	}
	return s.String()
}

// blockBreaks consumes empty lines and the indentation of the next
// non-empty one, returning how many line breaks it consumed. When indent is
// 0 (not yet known) it sets it: the deepest indentation seen, at least
// parent+1.
func (p *parser) blockBreaks(indent *int, parent int) int {
	breaks, maxIndent := 0, 0
	for {
		for (*indent == 0 || p.col() < *indent) && p.at(0) == ' ' {
			p.pos++
		}
		maxIndent = max(maxIndent, p.col())
		if p.at(0) != '\n' {
			break
		}
		p.newline()
		breaks++
	}
	if *indent == 0 {
		*indent = max(maxIndent, parent+1, 1)
	}
	return breaks
}

func writeBreaks(s *strings.Builder, n int) {
	for ; n > 0; n-- {
		s.WriteByte('\n')
	}
}
